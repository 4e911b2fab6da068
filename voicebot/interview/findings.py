"""What an answer shows: its behaviours, markers and red flags, each with its evidence span.

The scorer (:mod:`scoring`) turns these into points; this module only finds them, and makes
sure every stretch of the transcript and every behaviour is counted once:

* a rubric phrase and a lexicon variant at the same words are one finding (the rubric's,
  since HR wrote it for this question); a weak rubric phrase ("多沟通") absorbs the
  behaviour inside it, so "沟通" there earns nothing;
* one behaviour said twice ("问清楚…再问问") is one finding, the best one; rubric phrases
  count one by one, and so do the tasks of a job ("分拣", "上架");
* a clause with the shape of an action that nothing else explains ("把单子列出来") is a
  concrete step (:mod:`steps`);
* negated phrases ("我不会挂电话", "先别急着解释", "仓库没做过") are dropped, unless the
  phrase itself is negative ("不往心里去", "不要用手直接碰"), where a negation is part of the
  behaviour; a behaviour the question rewards that the candidate negates about themselves
  ("我才不会去帮他") is kept aside as a *rejected* behaviour (:mod:`stance`);
* a lexicon variant said inside a rubric phrase earns that phrase's level: "外卖" is what
  the rubric's average "送外卖" names, even though "快递" (strong) is the same behaviour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from voicebot.interview import behaviours, lexicon, matching, negation, stance, steps
from voicebot.interview.behaviour_words import BEHAVIOURS
from voicebot.interview.behaviours import RANK
from voicebot.interview.matching import Hit
from voicebot.interview.profile import Language, Question
from voicebot.interview.textnorm import is_cjk, normalize, words


def _keep(hit: Hit, text: str, language: Language) -> bool:
    return negation.find(hit, text, language) is None


@dataclass(frozen=True, slots=True)
class Finding:
    hit: Hit
    level: str
    """A behaviour level (see :data:`behaviours.RANK`), or what else was found: "weak" (a
    weak rubric phrase), "vague", "structure", "negative", ..."""
    behaviour: str | None
    """The lexicon behaviour shown (None: a rubric phrase that names none)."""
    stands_for: str | None = None
    """The rubric phrase whose level a lexicon variant earned."""
    from_rubric: bool = False
    priority: int = 1
    """0 a rubric level phrase, 1 a rubric action, lexicon variant or hedge: where findings
    share words, the lower priority claims them, then the longer, then the closer match."""
    verb: Hit | None = None
    """The concrete action inside a rubric phrase ("询问" in "询问客户需求"), if any."""

    @property
    def key(self) -> str:
        return self.behaviour or self.hit.phrase

    def explain(self) -> str | None:
        if self.behaviour is None:
            return None
        if self.stands_for and self.stands_for != self.hit.phrase:
            return f"{self.behaviour} ~ {self.stands_for}"
        return self.behaviour


@dataclass(frozen=True, slots=True)
class Findings:
    behaviours: list[Finding]
    """Distinct behaviours, best level first."""
    weak: list[Finding]
    """Weak rubric phrases."""
    structure: list[Finding] = field(default_factory=list)
    example: list[Finding] = field(default_factory=list)
    vague: list[Finding] = field(default_factory=list)
    """Hedges and claims ("尽量", "I'm a fast learner"), outside rubric phrases."""
    non_answer: list[Finding] = field(default_factory=list)
    red_flags: list[Finding] = field(default_factory=list)
    topic: list[Finding] = field(default_factory=list)
    """Words of the question itself ("期待", "customer"): on topic, if nothing else."""
    stance: list[Finding] = field(default_factory=list)
    """Refusal, sarcasm and no-example markers (level "refusal", "sarcasm", "no_example")."""
    rejected: list[Finding] = field(default_factory=list)
    """Behaviours the question rewards that the candidate refuses, the lexicon's soft red
    flags (working alone) and refusals followed by "but": they weigh less than a stance."""


def _overlaps(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _claim(found: list[Finding]) -> list[Finding]:
    """Best first (priority, exact before homophone before loose, longer, closer match);
    drop what overlaps a better one."""
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.priority, _tier(f.hit), f.hit.start - f.hit.end,
                                          -f.hit.score)):  # fmt: skip
        if all(not _overlaps(f.hit, k.hit) for k in kept):
            kept.append(f)
    return kept


def _with_verb(f: Finding, found: list[Finding]) -> Finding:
    """A rubric phrase's own action word, said inside it: the evidence of the behaviour."""
    if not f.from_rubric or f.behaviour is None:
        return f
    if f.verb is not None:
        return f
    inside = [g for g in found if g.behaviour == f.behaviour and g is not f
              and f.hit.start <= g.hit.start and g.hit.end <= f.hit.end]  # fmt: skip
    if not inside:
        return f
    # HR's own action word first ("询问" rather than the lexicon's "问客户"), then the first
    verb = min(inside, key=lambda g: (not g.from_rubric, _tier(g.hit), g.hit.start))
    return replace(f, verb=verb.hit)


def _drop_misheard(found: list[Finding], text: str) -> list[Finding]:
    """A loose rubric match whose differing character starts another behaviour was not
    misheard but meant: "跟他换一下位置" is rearranging, not "跟他说一下"."""
    strict = [f.hit for f in found if not f.from_rubric]
    out = []
    for f in found:
        h = f.hit
        phrase = normalize(h.phrase, keep_spaces=False).text
        said = normalize(h.text, keep_spaces=False)
        if f.from_rubric and h.score < matching.HOMOPHONE_SCORE and len(said.text) == len(phrase):
            pairs = enumerate(zip(said.text, phrase, strict=True))
            at = [h.start + said.origin[i] for i, (c, p) in pairs if c != p]
            if any(s.start <= i < s.end for i in at for s in strict):
                continue
        out.append(f)
    return out


def _tier(h: Hit) -> int:
    return 0 if h.score >= 100 else 1 if h.score >= matching.HOMOPHONE_SCORE else 2


def _one_each(found: list[Finding]) -> list[Finding]:
    """One finding per rubric phrase, and one per lexicon behaviour the rubric phrases found
    do not already show; best level first.

    Rubric phrases count one by one even when they name the same behaviour: HR listed
    "分拣" and "打包" (or "深呼吸" and "不往心里去") as separate things to listen for."""
    best: dict[str, Finding] = {}
    for f in sorted(found, key=lambda f: (f.priority, -_rank(f), f.hit.start - f.hit.end)):
        each = f.behaviour is not None and behaviours.by_id(f.behaviour).each
        own = f.from_rubric or each  # each task of a job ("上架", "出库") is its own item
        key = f.hit.phrase if own else f"behaviour:{f.behaviour}"
        if f.behaviour is None and not f.from_rubric:  # a concrete step the lexicon lacks
            own, key = True, f"{f.hit.phrase}@{f.hit.start}"
        covered = not own and any(
            g.from_rubric and g.behaviour == f.behaviour for g in best.values()
        )
        if key not in best and not covered:
            best[key] = f
    return sorted(best.values(), key=lambda f: (-_rank(f), f.priority, f.hit.start))


def _rank(f: Finding) -> int:
    return RANK.get(f.level, -1)


def _markers(phrases: Sequence[str], text: str, language: Language, kind: str) -> list[Finding]:
    hits = [h for p in phrases if (h := matching.find_pattern(p, text))]
    return _claim([Finding(h, kind, None) for h in hits if _keep(h, text, language)])


def collect(
    q: Question, text: str, language: Language, dimension_names: Sequence[str] = ()
) -> Findings:
    """Everything ``text`` shows as an answer to ``q``."""
    assert q.rubric is not None
    rel = behaviours.for_question(q, language, dimension_names)
    found: list[Finding] = []
    refused: list[Finding] = []

    def keep(f: Finding) -> bool:
        """Whether ``f`` is meant; a rewarded behaviour the candidate refuses is kept aside."""
        neg = negation.find(f.hit, text, language)
        if neg is not None and neg.refusal and _rank(f) >= RANK["related"]:
            refused.append(replace(f, level="rejected"))
        return neg is None

    rubric = [("strong", q.rubric.strong), ("average", q.rubric.average),
              ("weak", q.rubric.weak), ("action", q.rubric.actions)]  # fmt: skip
    for level, phrases in rubric:
        for h in matching.find_all(list(phrases), text):
            named = rel.phrase_behaviour.get(h.phrase)
            if level != "action":
                f = Finding(h, level, named, None, True, 0)
            elif named is not None and RANK[rel.positive[named].level] > RANK["action"]:
                # "帮忙" (an action) shows what "主动帮他" (strong) names: it earns that level
                r = rel.positive[named]
                f = Finding(h, r.level, named, r.rubric, True, 1, verb=h)
            else:
                f = Finding(h, level, named, None, True, 1, verb=h)
            if keep(f):
                found.append(f)
    for b in BEHAVIOURS:
        for h in behaviours.hits(b, text, language):
            r = rel.variant.get((b.id, h.phrase), rel.positive[b.id])
            f = Finding(h, r.level, b.id, r.rubric)
            if keep(f):
                found.append(f)
    # "to be honest" is not "be honest": framing words claim theirs first, and earn nothing
    found += [Finding(h, "filler", None, priority=0) for h in stance.fillers(text, language)]
    # a hedge claims its words before the lexicon does: "请假休息" is not a way to recover
    found += [replace(f, priority=1) for f in _markers(lexicon.VAGUE[language], text, language,
                                                       "vague")]  # fmt: skip
    # last: a clause counts as a step only where nothing else was found in it
    found += [Finding(h, "step", None, priority=3) for h in steps.find(text, language)]
    claimed = _claim(_drop_misheard(found, text))
    kept = [f for f in claimed if f.level not in ("weak", "vague", "filler")]
    shown = [_with_verb(f, found) for f in _one_each(kept)]
    weak = [f for f in claimed if f.level == "weak"]
    vague = [f for f in claimed if f.level == "vague"]
    example = _markers(lexicon.EXAMPLE[language], text, language, "example")
    red_flags = _red_flags(q, text, language, rel)
    # the lexicon's preferences (working alone) weigh like a refusal; the rubric's stay red flags
    soft = [replace(f, level="reluctance") for f in red_flags if f.behaviour and not f.from_rubric
            and behaviours.by_id(f.behaviour).stance]  # fmt: skip
    red_flags = [f for f in red_flags if f.hit not in {g.hit for g in soft}]
    marked = _stance(text, language, example, red_flags)
    return Findings(
        behaviours=shown,
        weak=weak,
        structure=_markers(lexicon.STRUCTURE[language], text, language, "structure"),
        example=example,
        vague=vague,
        non_answer=_markers(
            [*lexicon.NON_ANSWER[language], *_non_answers(q, language)],
            text,
            language,
            "non_answer",
        ),
        red_flags=red_flags,
        topic=_topic(q, text, language),
        stance=[f for f in marked if f.level != "reluctance"],
        rejected=_distinct([*soft, *refused, *(f for f in marked if f.level == "reluctance")]),
    )


def _stance(
    text: str, language: Language, example: list[Finding], red_flags: list[Finding]
) -> list[Finding]:
    """Stance markers, except where a red flag already says the same words."""
    found = [Finding(h, kind, None) for kind, h in
             stance.markers(text, language, example_told=bool(example))]  # fmt: skip
    return [f for f in _claim(found) if not any(_overlaps(f.hit, r.hit) for r in red_flags)]


def _distinct(found: list[Finding]) -> list[Finding]:
    """One finding per behaviour (or rubric phrase), where they do not overlap."""
    seen: set[str] = set()
    out = []
    for f in _claim(found):
        if f.key not in seen:
            seen.add(f.key)
            out.append(f)
    return sorted(out, key=lambda f: f.hit.start)


_ZH_FUNCTION = set(
    "您你我他她它的了吗呢吧啊会怎么什么如果一个这那是有在和与或就都也还要能可以请对被把让给说"
)
_EN_FUNCTION = frozenset(
    {"tell", "how", "you", "your", "would", "what", "describe", "time", "about", "have",
     "there", "when", "which", "who", "why", "had", "some", "any", "like", "please", "could",
     "did", "does", "from", "into", "more", "most", "very", "just", "also", "really"}
)  # fmt: skip
TOPIC_MIN = {"zh": 2, "en": 1}
"""Distinct question words (zh: two-character words, en: content words) that make an answer
without anything else "on topic": "期待工资高一点，在家工作自由" answers the question, if
weakly; "我平时喜欢看电视剧" does not."""


def _topic(q: Question, text: str, language: Language) -> list[Finding]:
    prompt = q.prompt.text(language) or ""
    if language == "zh":
        chars = normalize(prompt, keep_spaces=False).text
        units = {chars[i : i + 2] for i in range(len(chars) - 1)}
        units = {u for u in units if all(is_cjk(c) and c not in _ZH_FUNCTION for c in u)}
    else:
        units = {w.word for w in words(prompt)}
        units = {u for u in units if len(u) >= 4 and u not in _EN_FUNCTION}
    found = [h for u in sorted(units) if (h := matching.find_pattern(u, text))]
    kept = _claim([Finding(h, "topic", None) for h in found])
    return kept if len(kept) >= TOPIC_MIN[language] else []


def _non_answers(q: Question, language: Language) -> list[str]:
    """Rubric negatives that only say there is nothing to tell ("没有遇到过", "cannot
    remember"): a weak answer, not a red flag, so they cost what a non-answer costs."""
    assert q.rubric is not None
    markers = lexicon.NON_ANSWER[language]
    return [n for n in q.rubric.negative if any(matching.find_pattern(m, n) for m in markers)]


def _red_flags(
    q: Question, text: str, language: Language, rel: behaviours.QuestionBehaviours
) -> list[Finding]:
    assert q.rubric is not None
    mild = _non_answers(q, language)
    found = [Finding(h, "negative", rel.phrase_behaviour.get(h.phrase), None, True, 0)
             for h in matching.find_all(list(q.rubric.negative), text, strict=True)
             if h.phrase not in mild and _keep(h, text, language)]  # fmt: skip
    for flag in rel.red_flags:
        found += [Finding(h, "negative", flag.id) for h in behaviours.hits(flag, text, language)
                  if _keep(h, text, language)]  # fmt: skip
    claimed = _claim(found)
    seen: set[str] = set()
    out = []
    for f in sorted(claimed, key=lambda f: (not f.from_rubric, f.hit.start)):  # HR's first
        if f.key not in seen:
            seen.add(f.key)
            out.append(f)
    return sorted(out, key=lambda f: f.hit.start)
