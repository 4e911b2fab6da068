"""Whether the words around a phrase negate it, and whether the negation is a refusal.

A phrase is negated by what comes right before it, in the same clause ("我不会挂电话", "I
would never hang up", "先别急着解释"), or, less often, right after it ("仓库没做过", "叉车也不
会开", "asking others isn't really my style", "manuals are a waste of time"). Never from
further back: "实在扛不住就跟组长说" reports to the lead.

A negated behaviour earns nothing. What it says about the candidate depends on the negation:

* a **refusal** ("我才不会去帮他", "不喜欢开会", "没必要报告", "I don't like asking") is the
  candidate's stance against what the question looks for (:mod:`stance` counts it);
* a **lack** ("没在仓库干过", "叉车不会开", "I haven't used Zendesk") is inexperience, said
  honestly: the behaviour is simply not there;
* a negation of **someone else** ("他刚来不会", "they can't explain it") or of the manner only
  ("先别急着解释", "I wouldn't just transfer them") says nothing against the candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voicebot.interview import lexicon
from voicebot.interview.matching import Hit
from voicebot.interview.profile import Language
from voicebot.interview.textnorm import normalize

CLAUSE = re.compile(r"[，。,.!?！？；;：:\n]")
ZH_CLAUSE = re.compile(r"[，。,.!?！？；;：:\s]")
"""ASR output without punctuation separates Chinese phrases with spaces."""
_EN_CLAUSE_AFTER = re.compile(r"[,.;:!?]|\bbut\b")
_A_NOT_A = re.compile(r"(.)[不没]\1")  # 能不能 / 有没有: a question, not a negation
_ZH_BEFORE = re.compile(
    r"(?P<neg>不|没|别|没有|从不|绝不|从来不|从来没|不要|懒得|讨厌)(?:会|要|能|去|再|太|敢|想|用|必|可能|直接|"
    r"马上|随便|急着|喜欢|愿意|习惯|需要|应该|得|在|做过|干过|去过|用过|接触过|怎么)*$"
)
"""A negation right before a phrase, past at most a few auxiliaries ("不会挂电话", "先别急着
解释", "不喜欢开会", "没在仓库")."""
ZH_REACH = 6
_ZH_AFTER = re.compile(
    r"^(?:[和跟与、及或][^，。,.!?！？；;]{1,4}?)?(?:这种事|这些|这个|这块|之类的?|什么的|啥的)?"
    r"(?:我|也|都|还|从来|根本|基本|其实|倒是|是|觉得|就|一直|确实)*"
    r"(?:(?P<refuse>没必要|不需要|用不着|没用|浪费时间|不(?:太|怎么|大)?(?:习惯|喜欢|想))|"
    r"没有?(?:怎么)?(?:做|干|用|学|碰|接触|开|去|上|试|弄)过|没有?(?:做|干)|"
    r"不(?:太|怎么|大)?擅长|不(?:太|怎么|大)?会(?:做|干|用|开|弄|操作|搞)?$)"
)  # fmt: skip
"""A negation right after a phrase: "仓库没做过", "叉车也不会开", "群里同步进度这种事我不太
习惯" (only the last is a refusal)."""
_EN_AFTER = re.compile(
    r"^[\w\s']{0,30}?\b(?:isn't|is not|aren't|are not|wasn't|ain't|'s not)\s+(?:really\s+|very\s+|"
    r"that\s+)?(?:my\s+(?:style|thing)|for\s+me|something\s+i\b|worth|necessary|needed|useful|"
    r"helpful)|^[\w\s']{0,30}?\b(?:is|are|'s)\s+(?:just\s+|a\s+|kind\s+of\s+)*(?:waste\s+of\s+time|"
    r"pointless|overrated|useless)"
)  # fmt: skip
"""The same in English (always a refusal): "asking others isn't really my style"."""
_EN_LACK = frozenset({"haven't", "havent", "hasn't", "hasnt", "had", "never had", "wasn't"})
_ZH_MANNER = ("急着", "直接", "马上", "立刻", "随便", "先", "一味", "光", "只")
_EN_MANNER = ("just", "only", "immediately", "straight", "right away", "simply")
"""A negation of how or when, not of what: "先别急着解释", "I wouldn't just transfer them"."""
ZH_OTHERS = ("他", "她", "客户", "对方", "人家", "顾客", "用户", "同事", "别人")
EN_OTHERS = frozenset({"they", "he", "she", "customer", "customers", "you", "it", "someone",
                       "people", "others", "client", "user"})  # fmt: skip
_EN_SELF = frozenset(
    {"i", "i'd", "id", "i'm", "im", "i'll", "ill", "i've", "ive", "we", "me", "my"}
)
_CONDITION = {"zh": ("如果", "要是", "万一", "假如"), "en": ("if", "unless", "when")}


@dataclass(frozen=True, slots=True)
class Negation:
    after: bool
    """Said after the phrase ("仓库没做过") rather than before it."""
    refusal: bool
    """The candidate says they would not do it (see the module docstring)."""


def self_negative(phrase: str, language: Language) -> bool:
    """A phrase that carries its own negation ("不往心里去", "never ask for help")."""
    if language == "zh":
        return any(n in phrase for n in lexicon.NEGATIONS["zh"])
    return any(w in lexicon.NEGATIONS["en"] for w in normalize(phrase).text.split())


def find(hit: Hit, text: str, language: Language) -> Negation | None:
    """How the words around ``hit`` negate it, or None (also for self-negative phrases)."""
    if self_negative(hit.phrase, language):
        return None
    if language == "zh":
        return _zh(hit, text)
    return _en(hit, text)


def _zh(hit: Hit, text: str) -> Negation | None:
    clause = ZH_CLAUSE.split(text[: hit.start])[-1]
    m = _ZH_BEFORE.search(_A_NOT_A.sub("", clause)[-ZH_REACH:])
    if m:
        lack = m.group("neg").startswith("没") or m.group("neg") == "从来没"
        return Negation(False, not lack and _zh_refusal(clause))
    rest = ZH_CLAUSE.split(text[hit.end :])[0]
    m = _ZH_AFTER.match(rest)
    if m and about_self(text, hit.start):
        return Negation(True, m.group("refuse") is not None and not _condition(clause, "zh"))
    return None


def _zh_refusal(clause: str) -> bool:
    if _condition(clause, "zh") or any(m in clause[-ZH_REACH:] for m in _ZH_MANNER):
        return False
    return about_self(clause, len(clause))


def about_self(text: str, at: int) -> bool:
    """Whether the Chinese clause before ``at`` is about the candidate: no one else is its
    subject ("他刚来不会" describes the teammate; "仓库没做过" the candidate)."""
    before = ZH_CLAUSE.split(text[:at])[-1]
    other = max((before.rfind(w) for w in ZH_OTHERS), default=-1)
    return other < 0 or before.rfind("我") > other


def _en(hit: Hit, text: str) -> Negation | None:
    before = normalize(CLAUSE.split(text[: hit.start])[-1]).text.split()
    near = before[-3:]
    if any(w in lexicon.NEGATIONS["en"] for w in near):
        lack = any(w in _EN_LACK for w in near) or " ".join(near[-2:]) == "never had"
        subjects = [w for w in before if w in _EN_SELF or w in EN_OTHERS]
        refusal = (
            not lack
            and not _condition(" ".join(before), "en")
            and not any(m in " ".join(near) for m in _EN_MANNER)
            and bool(subjects)
            and subjects[-1] in _EN_SELF
        )
        return Negation(False, refusal)
    rest = _EN_CLAUSE_AFTER.split(text[hit.end :])[0].lower()
    if _EN_AFTER.match(rest):
        return Negation(True, not any(w in EN_OTHERS for w in before))
    return None


def _condition(clause: str, language: Language) -> bool:
    if language == "zh":
        return any(c in clause for c in _CONDITION["zh"])
    return any(c in clause.split() for c in _CONDITION["en"])
