"""Word and character error rates, with the normalisation that makes them fair.

Whisper writes "60 calls" for "sixty calls", "9:30" for "nine thirty", adds or drops
punctuation and capitals, and may answer Mandarin in Traditional characters. None of that is a
recognition error, so reference and hypothesis go through the *same* normalisation:

* both: Unicode NFKC (full-width forms), lower case, punctuation removed;
* English: number words become digits ("twenty five" -> "25", "nine thirty" -> "9 30"),
  "9:30" / "9.30" -> "9 30", thousands separators dropped, "a.m." -> "am", hyphens split,
  contractions expanded ("I'm" -> "i am"), "okay" -> "ok"; WER counts word edits;
* Mandarin: Traditional -> Simplified, Chinese numerals become digits ("十五" -> "15",
  "两年" -> "2年", "一二三" -> "123"), spaces dropped; CER counts character edits;
* both: every digit is one token, so "5552134479" and "five five five, two one three …"
  compare equal, and a wrong digit costs one edit however the number was grouped.

Corpus rates add the edits of every utterance and divide by the reference length (not the
mean of per-utterance rates, which would let a one-word answer weigh as much as a long one).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from voicebot.speech.zh_script import to_simplified

# fmt: off
_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_ZH_DIGITS = {"零": 0, "\u3007": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
# fmt: on
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
_CONTRACTIONS = {
    "i'm": "i am",
    "it's": "it is",
    "that's": "that is",
    "what's": "what is",
    "there's": "there is",
    "he's": "he is",
    "she's": "she is",
    "let's": "let us",
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
}
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"), ("'d", " would"))
_ZH_RUN = re.compile(f"[{''.join(_ZH_DIGITS)}{''.join(_ZH_UNITS)}]+")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


# ---------------------------------------------------------------------------------- English


def normalize_en(text: str) -> list[str]:
    """English text -> comparable words."""
    t = _fold(text)
    t = re.sub(r"\b([ap])\.\s?m\.?", r"\1m", t)
    t = re.sub(r"(\d),(\d{3})\b", r"\1\2", t)
    t = re.sub(r"(\d)[:.](\d\d)\b", r"\1 \2", t)
    t = re.sub(r"\$(\d+)", r"\1 dollars", t)
    t = t.replace("%", " percent")
    t = re.sub(r"(\d)([a-z])", r"\1 \2", t)  # 5pm -> 5 pm
    t = re.sub("[-/\u2010\u2011\u2013\u2014]", " ", t)  # hyphens and dashes
    t = re.sub(r"[^\w\s']", " ", t)
    words: list[str] = []
    for raw in t.split():
        w = raw.strip("'")
        w = _CONTRACTIONS.get(w) or _expand(w)
        words.extend("ok" if x == "okay" else x for x in w.split())
    return _digits(_numbers_en(words))


def _expand(word: str) -> str:
    for suffix, full in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)] + full
    return word


def _digits(words: list[str]) -> list[str]:
    """Every digit its own token."""
    return [d for w in words for d in (list(w) if w.isdigit() else [w])]


def _numbers_en(words: list[str]) -> list[str]:
    """Replace runs of number words by the digits they spell."""
    out: list[str] = []
    i = 0
    while i < len(words):
        j, value = _parse_number(words, i)
        if j > i:
            out.append(str(value))
            i = j
        else:
            out.append(words[i])
            i += 1
    return out


def _parse_number(words: list[str], i: int) -> tuple[int, int]:
    """Longest number phrase starting at ``i``: (index after it, its value); (i, 0) if none."""
    total = current = 0
    j = i
    last: str | None = None  # kind of the previous number word: unit, teen, tens, scale
    while j < len(words):
        w = words[j]
        if (
            w == "and"
            and last == "scale"
            and j + 1 < len(words)
            and (words[j + 1] in _UNITS or words[j + 1] in _TENS)
        ):
            j += 1
            continue
        if w in _UNITS and w != "oh":
            if last in ("unit", "teen"):
                break  # "nine five" is two numbers
            current += _UNITS[w]
            last = "teen" if _UNITS[w] >= 10 else "unit"
        elif w in _TENS:
            if last in ("unit", "teen", "tens"):
                break  # "nine thirty" is two numbers
            current += _TENS[w]
            last = "tens"
        elif w in _SCALES and last is not None and last != "scale":
            scale = _SCALES[w]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
            last = "scale"
        else:
            break
        j += 1
    if last is None:
        return i, 0
    return j, total + current


# ---------------------------------------------------------------------------------- Mandarin


def normalize_zh(text: str) -> list[str]:
    """Mandarin text -> comparable characters (Latin words stay whole, as one token each)."""
    t = _fold(_simplified(text))
    t = _ZH_RUN.sub(lambda m: _zh_number(m.group(0)), t)
    tokens: list[str] = []
    for word in re.findall(r"[a-z0-9']+|\S", t):
        if word[0].isalnum() and word.isascii():
            tokens.extend(_digits([word]))
        elif unicodedata.category(word[0])[0] not in "PSZ":
            tokens.append(word)
    return tokens


def _simplified(text: str) -> str:
    try:
        return to_simplified(text)
    except ImportError:  # without the speech extra: references are Simplified already
        return text


def _zh_number(run: str) -> str:
    if not any(ch in _ZH_UNITS for ch in run):
        return "".join(str(_ZH_DIGITS[ch]) for ch in run)  # read digit by digit: 一二三
    total = section = digit = 0
    for ch in run:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        else:
            section += (digit or 1) * _ZH_UNITS[ch]  # 十五: a bare 十 is 10
            digit = 0
    return str(total + section + digit)


# ------------------------------------------------------------------------------------ rates


def tokens(text: str, language: str) -> list[str]:
    return normalize_zh(text) if language == "zh" else normalize_en(text)


@dataclass(frozen=True, slots=True)
class Score:
    edits: int
    length: int

    @property
    def rate(self) -> float:
        return self.edits / self.length if self.length else float(self.edits > 0)


def score(reference: str, hypothesis: str, language: str) -> Score:
    """Edits (substitutions + insertions + deletions) on words (en) or characters (zh)."""
    ref = tokens(reference, language)
    hyp = tokens(hypothesis, language)
    return Score(Levenshtein.distance(ref, hyp), len(ref))


def corpus_rate(scores: Iterable[Score]) -> float:
    edits = length = 0
    for s in scores:
        edits += s.edits
        length += s.length
    return edits / length if length else 0.0
