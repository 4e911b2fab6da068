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
* negated phrases ("我不会挂电话", "先别急着解释") are dropped, unless the phrase itself is
  negative ("不往心里去", "不要用手直接碰"), where a negation is part of the behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from voicebot.interview import behaviours, lexicon, matching, steps
from voicebot.interview.behaviour_words import BEHAVIOURS
from voicebot.interview.behaviours import RANK
from voicebot.interview.matching import Hit
from voicebot.interview.profile import Language, Question
from voicebot.interview.textnorm import is_cjk, normalize, words

_CLAUSE = re.compile(r"[，。,.!?！？；;：:\n]")
_ZH_CLAUSE = re.compile(r"[，。,.!?！？；;：:\s]")
"""ASR output without punctuation separates Chinese phrases with spaces."""
_A_NOT_A = re.compile(r"(.)不\1")  # 能不能 / 会不会: a question, not a negation
_ZH_NEGATED = re.compile(
    r"(?:不|没|别|没有|从不|绝不|从来不|不要)(?:会|要|能|去|再|太|敢|想|用|必|可能|直接|马上|随便|急着|"
    r"喜欢|愿意|习惯|需要|应该|得)*$"
)
"""A negation right before a phrase, past at most a few auxiliaries ("不会挂电话", "先别急着
解释", "不喜欢开会"), never further back: "实在扛不住就跟组长说" reports to the lead."""
ZH_NEGATION_REACH = 6


def negated(text: str, start: int, language: Language) -> bool:
    """Whether the words just before ``start``, in the same clause, negate it."""
    if language == "zh":
        clause = _ZH_CLAUSE.split(text[:start])[-1]
        return bool(_ZH_NEGATED.search(_A_NOT_A.sub("", clause)[-ZH_NEGATION_REACH:]))
    before = normalize(_CLAUSE.split(text[:start])[-1]).text.split()[-3:]
    return any(w in lexicon.NEGATIONS["en"] for w in before)


def _self_negative(phrase: str, language: Language) -> bool:
    """A phrase that carries its own negation ("不往心里去", "never ask for help")."""
    if language == "zh":
        return any(n in phrase for n in lexicon.NEGATIONS["zh"])
    return any(w in lexicon.NEGATIONS["en"] for w in normalize(phrase).text.split())


def _keep(hit: Hit, text: str, language: Language) -> bool:
    return _self_negative(hit.phrase, language) or not negated(text, hit.start, language)


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
    rubric = [("strong", q.rubric.strong), ("average", q.rubric.average),
              ("weak", q.rubric.weak), ("action", q.rubric.actions)]  # fmt: skip
    for level, phrases in rubric:
        for h in matching.find_all(list(phrases), text):
            if not _keep(h, text, language):
                continue
            named = rel.phrase_behaviour.get(h.phrase)
            if level != "action":
                found.append(Finding(h, level, named, None, True, 0))
            elif named is not None and RANK[rel.positive[named].level] > RANK["action"]:
                # "帮忙" (an action) shows what "主动帮他" (strong) names: it earns that level
                r = rel.positive[named]
                found.append(Finding(h, r.level, named, r.rubric, True, 1, verb=h))
            else:
                found.append(Finding(h, level, named, None, True, 1, verb=h))
    for b in BEHAVIOURS:
        r = rel.positive[b.id]
        found += [Finding(h, r.level, b.id, r.rubric) for h in behaviours.hits(b, text, language)
                  if _keep(h, text, language)]  # fmt: skip
    # a hedge claims its words before the lexicon does: "请假休息" is not a way to recover
    found += [replace(f, priority=1) for f in _markers(lexicon.VAGUE[language], text, language,
                                                       "vague")]  # fmt: skip
    # last: a clause counts as a step only where nothing else was found in it
    found += [Finding(h, "step", None, priority=3) for h in steps.find(text, language)]
    claimed = _claim(_drop_misheard(found, text))
    shown = [_with_verb(f, found) for f in
             _one_each([f for f in claimed if f.level not in ("weak", "vague")])]  # fmt: skip
    weak = [f for f in claimed if f.level == "weak"]
    vague = [f for f in claimed if f.level == "vague"]
    return Findings(
        behaviours=shown,
        weak=weak,
        structure=_markers(lexicon.STRUCTURE[language], text, language, "structure"),
        example=_markers(lexicon.EXAMPLE[language], text, language, "example"),
        vague=vague,
        non_answer=_markers(
            [*lexicon.NON_ANSWER[language], *_non_answers(q, language)],
            text,
            language,
            "non_answer",
        ),
        red_flags=_red_flags(q, text, language, rel),
        topic=_topic(q, text, language),
    )


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
    for f in sorted(claimed, key=lambda f: f.hit.start):
        if f.key not in seen:
            seen.add(f.key)
            out.append(f)
    return out
