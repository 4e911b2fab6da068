"""Stance: whether the candidate stands behind the good words they say.

A recruiter does not add up words. "I never really needed help, asking others isn't my
style" names asking for help, and is the opposite of what the question looks for; "Oh sure,
I'd apologize a hundred times" names an apology, and mocks it. Three things here tell the
scorer that an answer's stance is negative, whatever behaviours it names:

* **markers** of refusal ("没必要", "懒得", "waste of time", "not my style"), sarcasm ("呵呵",
  "还能怎么办", "yeah right", "as if") and of having no example to tell ("想不起来",
  "can't think of one"). "没必要" and "no point" only count when what they dismiss is not
  itself a bad reaction: "没必要生气", "no point arguing" are good answers. A refusal
  followed by "but" ("我不太喜欢开会，但是…") is reluctance, weighed like a rejected
  behaviour;
* **rejected behaviours**: a behaviour the question rewards that the candidate refuses
  ("我才不会去帮他", "documentation isn't really my thing"; :mod:`negation` tells a refusal
  from inexperience, a negated manner or someone else's doing);
* **fillers** ("说实话", "to be honest") carry no behaviour: "be honest" is not explaining.

Markers are lexicon patterns, matched strictly (see :func:`matching.find_pattern`).
"""

from __future__ import annotations

import re

from voicebot.interview import lexicon, matching
from voicebot.interview.matching import Hit
from voicebot.interview.negation import ZH_CLAUSE
from voicebot.interview.profile import Language
from voicebot.interview.textnorm import normalize

FILLERS: dict[Language, tuple[str, ...]] = {
    "zh": ("说实话", "说实在的", "老实说", "说真的", "讲真", "实话说", "说句实话", "坦白说"),
    "en": ("to be honest", "honestly", "to tell the truth", "tbh", "frankly", "to be fair"),
}  # fmt: skip
"""Words that frame an answer and show nothing: they claim their words before behaviours."""

REFUSAL: dict[Language, tuple[str, ...]] = {
    "zh": ("没必要", "没有必要", "不需要", "用不着", "犯不着", "何必", "懒得", "浪费时间",
           "没什么用", "没啥用", "有什么用", "没什么好改", "没什么好调整", "没什么好说",
           "没什么好学", "不用改", "关我什么事", "关我啥事", "跟我有什么关系", "和我有什么关系",
           "管他呢", "管那么多", "爱怎么样", "爱咋咋", "随他去", "不想学", "不用学",
           "不想麻烦别人", "不喜欢麻烦别人", "自己琢磨", "他慢是他的事", "是他的事", "工资照拿",
           "凭什么", "轮不到我", "不归我管", "不是我该管", "没空管", "没时间管", "懒得管"),
    "en": ("waste of time", "pointless", "no point", "no need", "not worth", "don't need help",
           "never … needed help", "never … need help", "never needed any help",
           "don't need anyone", "rather … myself", "rather google", "rather struggle",
           "figure things out myself", "figure it out myself", "figure … out on my own",
           "don't like bothering", "don't want to bother", "hate bothering", "than bother",
           "can't be bothered", "why would i", "why should i", "not my job", "don't really study",
           "don't bother", "don't … see the point", "don't see why", "don't need any training",
           "don't need training", "don't need to prepare", "don't need to study",
           "struggle through", "through it alone"),
}  # fmt: skip
"""Refusing what the question asks about, or dismissing it."""

SARCASM: dict[Language, tuple[str, ...]] = {
    "zh": ("呵呵", "还能怎么", "还能咋", "能怎么办", "还能怎样", "不然呢", "我又不是",
           "肚子里的蛔虫", "难不成", "开玩笑", "想多了", "说得好听", "谁有空", "骂就骂呗",
           "爱骂就骂"),
    "en": ("oh sure", "oh yeah", "yeah right", "as if", "like i can", "like that will",
           "like that's going to", "like that ever", "good luck with that", "read minds",
           "mind reader", "always right, right", "big deal", "lol", "blah blah", "yada yada",
           "like anyone", "as if anyone"),
}  # fmt: skip
"""Mockery: the good words around it are not meant."""

NO_EXAMPLE: dict[Language, tuple[str, ...]] = {
    "zh": ("想不起来", "想不起", "记不清", "记不得", "不记得", "没遇到过", "没有遇到过",
           "没碰到过", "没什么棘手", "没什么难", "没有什么难", "没什么特别难", "都是些小问题",
           "都是小问题"),
    "en": ("can't … remember", "cannot … remember", "don't … remember", "do not remember",
           "can't think of", "cannot think of", "can't recall", "don't recall",
           "nothing comes to mind", "never had one", "they're all the same", "all the same"),
}  # fmt: skip
"""Having no example to tell: the steps that follow are what one might do, not what was done.
Does not count when the answer tells an example anyway, or goes on with "but"."""

REACTIONS: dict[Language, tuple[str, ...]] = {
    "zh": ("生气", "吵", "计较", "较真", "发火", "往心里去", "放在心上", "紧张", "慌", "着急",
           "难过", "委屈", "激动", "争", "骂", "在意", "怕"),
    "en": ("argu", "upset", "angry", "panic", "worry", "stress", "personal", "fight", "yell",
           "shout", "mad", "blame", "rush", "defensive", "guess", "hang up", "hanging up"),
}  # fmt: skip
"""What "没必要"/"no point" may dismiss in a good answer: a bad reaction, not an action."""

_EXCUSABLE = {"没必要", "没有必要", "不需要", "用不着", "犯不着", "何必", "no point", "no need",
              "not worth", "pointless", "waste of time"}  # fmt: skip
CONTRAST = {"zh": ("不过", "但是", "可是", "但"), "en": ("but", "though", "although")}

_EN_CLAUSE = re.compile(r"[,.;:!?]|\bbut\b")


def fillers(text: str, language: Language) -> list[Hit]:
    return [h for p in FILLERS[language] if (h := matching.find_pattern(p, text))]


def markers(text: str, language: Language, *, example_told: bool) -> list[tuple[str, Hit]]:
    """(kind, hit) for each refusal, sarcasm and no-example marker the answer means; a
    refusal the candidate goes on from with "but" is only "reluctance"."""
    out: list[tuple[str, Hit]] = []
    for kind, phrases in (("refusal", REFUSAL), ("sarcasm", SARCASM), ("no_example", NO_EXAMPLE)):
        for p in phrases[language]:
            h = matching.find_pattern(p, text, homophones=False)
            if h is None or _negated_marker(h, text, language) or _a_not_a(h, text):
                continue
            if p in _EXCUSABLE and _dismisses_a_reaction(h, text, language):
                continue
            if kind == "no_example" and (example_told or _goes_on_with_but(h, text, language)):
                continue
            # "没必要天天开会，但是进度我每天在群里同步": reluctant, not refusing
            but = kind == "refusal" and _goes_on_with_but(h, text, language)
            out.append(("reluctance" if but else kind, h))
    return out


def _a_not_a(h: Hit, text: str) -> bool:
    """ "需不需要", "有没有必要": a question, not a refusal."""
    i = h.start
    return 0 < i < len(text) - 1 and text[i] in "不没" and text[i - 1] == text[i + 1]


def _negated_marker(h: Hit, text: str, language: Language) -> bool:
    """ "I don't think it's pointless", "不是没必要": a negated marker says nothing."""
    if language == "zh":
        before = ZH_CLAUSE.split(text[: h.start])[-1][-2:]
        return before.endswith(("不是", "并非"))
    words = normalize(_EN_CLAUSE.split(text[: h.start].lower())[-1]).text.split()[-4:]
    phrase = normalize(h.phrase).text.split()
    return not any(w in lexicon.NEGATIONS["en"] for w in phrase) and any(
        w in ("not", "never", "isn't", "dont", "don't") for w in words
    )


def _dismisses_a_reaction(h: Hit, text: str, language: Language) -> bool:
    rest = _clause_after(text, h.end, language).lower()
    return any(r in rest for r in REACTIONS[language])


def _goes_on_with_but(h: Hit, text: str, language: Language) -> bool:
    rest = text[h.end :].lower()
    if language == "zh":
        # right after the marker, or at the start of the next clause: "没必要天天开会，但是…"
        parts = ZH_CLAUSE.split(rest, maxsplit=1)
        heads = [rest.lstrip("，,。 "), parts[1].lstrip("，,。 ") if len(parts) > 1 else ""]
        return any(head.startswith(c) for head in heads for c in CONTRAST["zh"])
    head = normalize(rest).text.split()[:6]
    return any(c in head for c in CONTRAST["en"])


def _clause_after(text: str, end: int, language: Language) -> str:
    splitter = ZH_CLAUSE if language == "zh" else _EN_CLAUSE
    return splitter.split(text[end:])[0]
