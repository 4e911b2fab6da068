"""What a short reply means: yes/no, "please repeat", "don't call me again", "call me later",
a number, one of the offered choices. Chinese and English, robust to ASR noise.

Each detector is a pure function of the text. The machine decides which ones apply where
(:func:`classify` gives the order: opting out beats everything, then a repeat request, then
the answer itself).

Yes/no is the subtle one: "不太可以" and "I don't think so" are refusals even though they
contain "可以"/"think"; "没问题" and "I don't mind" are acceptances even though they contain a
negation. Idioms are found first and masked, then negated forms, then plain yes/no words; the
last strong signal wins ("嗯，不太方便" is no, "不不不，可以的" is yes), and "not sure"/"看情况"
is an explicit "unclear".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pypinyin import lazy_pinyin

from voicebot.interview import matching, numerals
from voicebot.interview.textnorm import compact, has_cjk, normalize, size

YesNo = Literal["yes", "no"]
Intent = Literal["opt_out", "repeat", "callback", "yes", "no", "unclear", "empty", "text"]

OPT_OUT_MAX_SIZE = 30
"""Longer turns are answers that may quote someone ("客户说别再打了"), not an opt-out."""
REPEAT_MAX_SIZE = 16

# ---- yes / no --------------------------------------------------------------------------

_ZH_YES_IDIOMS = ["没问题", "没有问题", "没什么问题", "没事", "没关系", "不错", "不介意", "不反对",
                  "不成问题", "当然可以"]  # fmt: skip
_ZH_NEUTRAL = ["不好意思", "对不起", "不客气", "没想到", "说不定", "不管"]
"""Masked without a signal: politeness that happens to contain 不/对/没."""
_ZH_UNSURE = ["不知道", "不确定", "不一定", "看情况", "说不好", "不好说", "再想想", "考虑一下",
              "可能吧", "也许"]  # fmt: skip
_ZH_NEG = re.compile(
    r"(?:不|没|别|莫)(?:太|怎么|大|是很|是太|是特别|一定|能够|可能)?"
    r"(?:是|对|可以|行|能|会|愿意|同意|方便|接受|想|要|用|合适|考虑|需要|感兴趣|空|时间|有|好)"
    r"|没有|不了|算了|拒绝|不要|不用|不"
)
_ZH_YES_STRONG = ["是的", "对的", "可以", "同意", "愿意", "当然", "接受", "方便", "没错", "好的",
                  "行的", "没毛病", "ok", "okay", "yes"]  # fmt: skip
_ZH_YES_SHORT = ["有的", "有", "会的", "会", "行", "能", "是", "对", "好"]
"""Yes only when that is (nearly) all that was said: "你们是哪里" is not a yes, nor is
"行业" or "好好服务"."""
_ZH_YES_LEADING = ["有的", "会的", "是的", "对的", "能的", "行的"]
"""Unambiguous at the very start of a reply, whatever follows ("有的家里很安静")."""
_ZH_YES_WEAK = ["嗯", "恩", "哦", "噢", "啊"]

_EN_YES_IDIOMS = ["no problem", "not a problem", "no worries", "don't mind", "do not mind",
                  "wouldn't mind", "would not mind", "why not", "can't wait",
                  "not bad"]  # fmt: skip
_EN_UNSURE = ["not sure", "don't know", "do not know", "maybe", "it depends", "depends",
              "perhaps", "i guess", "let me think"]  # fmt: skip
_EN_NO = re.compile(
    r"\b(?:not really|don't think so|do not think so|i'd rather not|rather not|no way|not now|"
    r"no thanks|no thank you|nope|nah|never|no|not|can't|cannot|can not|won't|will not|"
    r"don't|do not|doesn't|isn't|aren't|wouldn't|disagree|negative)\b"
)
_EN_YES = re.compile(
    r"\b(?:yes|yeah|yep|yup|yah|ya|sure|of course|certainly|definitely|absolutely|ok|okay|"
    r"alright|all right|correct|i can|i do|i will|i would|i agree|agree|go ahead|"
    r"sounds good|that's fine|i am|i'm available|please do|happy to|that works)\b"
)
_EN_YES_WEAK = re.compile(r"\b(?:fine|right|good|great|uh huh|mhm|mm hmm)\b")


@dataclass(frozen=True, slots=True)
class _Signal:
    at: int
    polarity: Literal["yes", "no", "unsure"]
    strong: bool


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + "\0" * (end - start) + text[end:]


_CLAUSE_BREAK = re.compile(r"[\s，。,.!?！？、；;：:…~～]+")


def _zh_signals(text: str) -> list[_Signal]:
    # clauses stay apart: "不不不，可以的" must not read as "不可以"
    t = _CLAUSE_BREAK.sub("|", text.lower())
    out: list[_Signal] = []
    for phrase in _ZH_NEUTRAL:
        t = t.replace(phrase, "\0" * len(phrase))
    for group, polarity in ((_ZH_UNSURE, "unsure"), (_ZH_YES_IDIOMS, "yes")):
        for phrase in group:
            for m in re.finditer(re.escape(phrase), t):
                out.append(_Signal(m.start(), polarity, True))  # type: ignore[arg-type]
                t = _mask(t, m.start(), m.end())
    for m in _ZH_NEG.finditer(t):
        out.append(_Signal(m.start(), "no", True))
        t = _mask(t, m.start(), m.end())
    for word in sorted(_ZH_YES_STRONG, key=len, reverse=True):
        for m in re.finditer(re.escape(word), t):
            out.append(_Signal(m.start(), "yes", True))
            t = _mask(t, m.start(), m.end())
    signals, t = _short_yes(t)
    out += signals
    for word in _ZH_YES_WEAK:
        out.extend(_Signal(m.start(), "yes", False) for m in re.finditer(word, t))
    return out


def _short_yes(t: str) -> tuple[list[_Signal], str]:
    """Short words ("有的", "会", "对") are a yes when they are (nearly) a whole clause —
    "有的，家里很安静" — or open the reply even when ASR dropped the comma: "有的家里很安静".
    Returns the signals and the text with them masked."""
    out: list[_Signal] = []
    lead = t.lstrip("\0|")
    for word in _ZH_YES_LEADING:  # by sound: over the phone ASR hears 幽的 for 有的
        if lazy_pinyin(lead[: len(word)]) == lazy_pinyin(word):
            at = len(t) - len(lead)
            out.append(_Signal(at, "yes", True))
            t = _mask(t, at, at + len(word))
            break
    clauses = []
    offset = 0
    for clause in t.split("|"):
        masked = clause
        if 0 < len(clause.strip("\0")) <= 4:
            for word in sorted(_ZH_YES_SHORT, key=len, reverse=True):
                for m in re.finditer(re.escape(word), masked):
                    out.append(_Signal(offset + m.start(), "yes", True))
                    masked = _mask(masked, m.start(), m.end())
        clauses.append(masked)
        offset += len(clause) + 1
    return out, "|".join(clauses)


def _en_signals(text: str) -> list[_Signal]:
    t = normalize(text).text
    out: list[_Signal] = []
    for group, polarity in ((_EN_UNSURE, "unsure"), (_EN_YES_IDIOMS, "yes")):
        for phrase in group:
            for m in re.finditer(r"\b" + re.escape(phrase) + r"\b", t):
                out.append(_Signal(m.start(), polarity, True))  # type: ignore[arg-type]
                t = _mask(t, m.start(), m.end())
    for m in _EN_NO.finditer(t):
        out.append(_Signal(m.start(), "no", True))
        t = _mask(t, m.start(), m.end())
    out.extend(_Signal(m.start(), "yes", True) for m in _EN_YES.finditer(t))
    out.extend(_Signal(m.start(), "yes", False) for m in _EN_YES_WEAK.finditer(t))
    return out


def yes_no(text: str) -> YesNo | None:
    """ "yes", "no", or None when the reply is unclear or says neither."""
    signals = _zh_signals(text) if has_cjk(text) else []
    signals += _en_signals(text)
    strong = [s for s in signals if s.strong] or signals
    if not strong:
        return None
    last = max(strong, key=lambda s: s.at)
    return None if last.polarity == "unsure" else last.polarity


def dtmf_yes_no(digit: str) -> YesNo | None:
    """Keypad 1 is yes, 2 is no (the greeting says so)."""
    return {"1": "yes", "2": "no"}.get(digit)  # type: ignore[return-value]


# ---- repeat / opt-out / callback --------------------------------------------------------

_ZH_REPEAT = ["再说一遍", "再说一次", "再讲一遍", "再讲一次", "重复一下", "重复一遍", "再来一遍",
              "没听清", "听不清", "没听到", "听不到", "没听懂", "听不懂", "你说什么", "说的什么",
              "什么问题", "请重复", "再说一下"]  # fmt: skip
_ZH_REPEAT_ALONE = {"什么", "啥", "你说啥", "说啥", "喂", "啊什么"}
_EN_REPEAT = re.compile(
    r"\b(?:(?:please|can you|could you|would you) repeat|repeat (?:that|it|the question|please)|"
    r"say (?:that|it) again|come again|pardon|sorry what|didn't (?:catch|hear|get)|"
    r"did not (?:catch|hear)|couldn't hear|could not hear|can't hear|cannot hear|"
    r"what was the question|one more time|what did you say|excuse me|once more)\b"
)
_EN_REPEAT_ALONE = {"what", "sorry", "huh", "hello", "repeat"}

_ZH_OPT_OUT = ["不要再打了", "别再打了", "不要打了", "别打了", "不要再打电话", "别再打电话",
               "不要给我打电话", "别给我打电话", "以后不要打", "以后别打", "不要再联系我",
               "别再联系我", "删掉我的号码", "删除我的号码", "把我拉黑", "别骚扰我",
               "不要骚扰我", "不要再打过来", "别再打过来"]  # fmt: skip
_EN_OPT_OUT = re.compile(
    r"\b(?:(?:don't|do not|never|stop) (?:ever )?(?:call|calling|ring|contact|phone)(?:ing)? "
    r"(?:me|this number)|stop calling|remove (?:me|my number)|take (?:me|my number) off|"
    r"do not call list|don't call list|unsubscribe|leave me alone|"
    r"(?:don't|do not) call (?:me )?(?:again|anymore|any more))\b"
)

_ZH_CALLBACK = ["晚点", "晚一点", "等会", "等一会", "待会", "过会", "过一会", "稍后", "回头",
                "改天", "下次", "再打", "打过来", "再联系", "不方便", "没空", "没时间",
                "在忙", "很忙", "有点忙", "在开车", "在上班", "在开会", "换个时间"]  # fmt: skip
_EN_CALLBACK = re.compile(
    r"\b(?:later|call (?:me )?back|another time|other time|not now|not a good time|"
    r"bad time|busy|driving|in a meeting|at work|tomorrow|tonight|this evening|reschedule)\b"
)


def _zh_any(phrases: Sequence[str], text: str, *, fuzzy: bool) -> bool:
    t = compact(text)
    if any(p in t for p in phrases):
        return True
    return fuzzy and any(matching.find(p, text) is not None for p in phrases if len(p) >= 4)


def wants_repeat(text: str) -> bool:
    """A request to hear the question again ("没听清", "再说一边", "pardon?")."""
    if size(text) > REPEAT_MAX_SIZE:
        return False
    t = compact(text)
    if t in _ZH_REPEAT_ALONE or t in _EN_REPEAT_ALONE:
        return True
    return _zh_any(_ZH_REPEAT, text, fuzzy=True) or bool(_EN_REPEAT.search(normalize(text).text))


def wants_opt_out(text: str) -> bool:
    """ "Don't call me again": the number goes on the do-not-call list."""
    if size(text) > OPT_OUT_MAX_SIZE:
        return False
    en = normalize(text).text.replace("dont", "don't")
    return _zh_any(_ZH_OPT_OUT, text, fuzzy=True) or bool(_EN_OPT_OUT.search(en))


def wants_callback(text: str) -> bool:
    """ "Call me later", "在开车", "tomorrow evening": not now, but not a refusal."""
    return _zh_any(_ZH_CALLBACK, text, fuzzy=False) or bool(
        _EN_CALLBACK.search(normalize(text).text)
    )


_ZH_CALL_LATER = re.compile(
    r"(?:晚点|晚一点|等会儿?|等一会|待会儿?|过会儿?|过一会|回头|改天|稍后|明天|今晚|晚上|下午|上午|"
    r"下次|换个时间)(?:再|给我)?(?:打|联系|聊|打过来|打给我|打电话)"
)
_EN_CALL_LATER = re.compile(
    r"\bcall (?:me )?(?:back|later|again later|another time|tomorrow|tonight|in)\b|"
    r"\b(?:can|could) (?:we|you) (?:do this|do it|talk) (?:later|another time|tomorrow)\b|"
    r"\breschedule\b"
)


def wants_call_later(text: str) -> bool:
    """An explicit "call me later" (mid-interview too), stricter than :func:`wants_callback`:
    "没空" may answer "can you work weekends?", "晚点再打" cannot."""
    if size(text) > OPT_OUT_MAX_SIZE:
        return False
    return bool(_ZH_CALL_LATER.search(compact(text)) or _EN_CALL_LATER.search(normalize(text).text))


_ZH_NOTHING_MORE = ["没有了", "没了", "没有", "没什么", "就这些", "就这样", "不用了", "没有要补充"]
_EN_NOTHING_MORE = re.compile(
    r"\b(?:no|nope|nothing|that's all|that is all|that's it|i'm good|i am good|all good)\b"
)


def nothing_more(text: str) -> bool:
    """A short "no, that's all" to "anything else you would like to add?"."""
    if size(text) > 12:
        return False
    return _zh_any(_ZH_NOTHING_MORE, text, fuzzy=False) or bool(
        _EN_NOTHING_MORE.search(normalize(text).text)
    )


def classify(text: str) -> Intent:
    """The conversational intent of a reply, before looking at it as an answer."""
    if not compact(text):
        return "empty"
    if wants_opt_out(text):
        return "opt_out"
    if wants_repeat(text):
        return "repeat"
    return "text"


# ---- numbers and choices ---------------------------------------------------------------

_UNITS: dict[str, tuple[tuple[str, ...], dict[str, float]]] = {
    # unit -> (words that name it, factor to convert other units said into it)
    "years": (("年", "year", "yr"), {"months": 1 / 12, "days": 1 / 365}),
    "months": (("个月", "月", "month"), {"years": 12.0, "days": 1 / 30}),
    "hours": (("小时", "钟头", "hour", "hr"), {"days": 24.0, "minutes": 1 / 60}),
    "days": (("天", "日", "day"), {"years": 365.0, "months": 30.0}),
    "minutes": (("分钟", "minute", "min"), {"hours": 60.0}),
}
_NONE = re.compile(r"没有|没做过|从来没|从没|\b(?:none|no|never|zero)\b")
"""A number question answered "没有"/"none" means zero (years of experience, say)."""
_NOT_A_NUMBER_AFTER_YI = set("直下起些般定样切旦向致共同部边方面点般")


def number(text: str, unit: str | None = None) -> float | None:
    """The number the candidate gave, converted into ``unit`` when they named another one
    ("两个月" for a question in years is 0.17). None when no number was said."""
    found = [
        n for n in numerals.find_numbers(text)
        if not (text[n.start:n.end] == "一" and text[n.end:n.end + 1] in _NOT_A_NUMBER_AFTER_YI)
    ]  # fmt: skip
    if not found:
        return 0.0 if _NONE.search(normalize(text).text) else None
    if unit is None or unit not in _UNITS:
        return found[0].value
    for n in found:
        after = text[n.end : n.end + 8].lower().lstrip()
        for other, (names, _) in _UNITS.items():
            if any(after.startswith(name) for name in names):
                if other == unit:
                    return n.value
                factor = _UNITS[unit][1].get(other)
                if factor is not None:
                    return round(n.value * factor, 2)
    return found[0].value


_ZH_ORDINALS = ["第一", "第二", "第三", "第四", "第五", "第六"]
_EN_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth"]


def choice(text: str, options: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """Which of ``options`` (id, phrases) was chosen: by phrase (fuzzy) or by ordinal
    ("第二个", "the second one", "option 2")."""
    best: tuple[float, str] | None = None
    for option_id, phrases in options:
        hits = matching.find_all(list(phrases), text)
        if hits and (best is None or hits[0].score > best[0]):
            best = (hits[0].score, option_id)
    if best is not None:
        return best[1]
    t = normalize(text).text
    for i, (option_id, _) in enumerate(options):
        if i < len(_ZH_ORDINALS) and _ZH_ORDINALS[i] in compact(text):
            return option_id
        if i < len(_EN_ORDINALS) and re.search(rf"\b{_EN_ORDINALS[i]}\b|\boption {i + 1}\b", t):
            return option_id
    return None


def dtmf_choice(digit: str, options: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """Keypad digit N picks the N-th option."""
    if digit.isdigit() and 1 <= int(digit) <= len(options):
        return options[int(digit) - 1][0]
    return None
