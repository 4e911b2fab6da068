"""Text normalisation shared by intent detection and rubric matching.

ASR output varies in ways that do not change meaning: full-width vs half-width forms, case,
punctuation (Whisper often drops it, or adds it in odd places), spaces between Chinese
characters. Matching therefore happens on a normalised form, but evidence must quote the
original transcript, so every normalised character remembers where it came from.

Chinese is matched on characters (there are no word boundaries to rely on); English on words
with a light suffix stripper so "asks"/"asked"/"asking" meet "ask".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def is_cjk(ch: str) -> bool:
    """True for CJK unified ideographs (the characters Chinese answers are made of)."""
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalised text plus, for each of its characters, the index in the original."""

    text: str
    origin: tuple[int, ...]
    source: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of the normalised range ``[start, end)``."""
        if not self.origin or start >= end:
            return (0, 0)
        return self.origin[start], self.origin[min(end, len(self.origin)) - 1] + 1


def normalize(text: str, *, keep_spaces: bool = True) -> Normalized:
    """Lower-case, NFKC-fold, drop punctuation; collapse spaces (or drop them entirely).

    Spaces between two CJK characters are always dropped: ASR sometimes inserts them and
    they carry no meaning in Chinese.
    """
    out: list[str] = []
    origin: list[int] = []
    pending_space = -1
    for i, raw in enumerate(text):
        for ch in unicodedata.normalize("NFKC", raw).lower():
            cat = unicodedata.category(ch)
            if ch.isspace() or (cat[0] in "PSZ" and ch != "'"):
                if out and pending_space < 0:
                    pending_space = i
                continue
            if ch == "'" and not (out and out[-1].isalpha()):
                continue
            if pending_space >= 0:
                if keep_spaces and not (is_cjk(ch) or (out and is_cjk(out[-1]))):
                    out.append(" ")
                    origin.append(pending_space)
                pending_space = -1
            out.append(ch)
            origin.append(i)
    return Normalized("".join(out), tuple(origin), text)


def compact(text: str) -> str:
    """Normalised text without any spaces: the form Chinese phrases are compared in."""
    return normalize(text, keep_spaces=False).text


def stem(word: str) -> str:
    """A deliberately tiny English stemmer: enough for rubric phrases, no dependency."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            base = word[: len(word) - len(suffix)] + keep
            if suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2]:
                base = base[:-1]  # "stopped" -> "stop"
            return base
    return word


@dataclass(frozen=True, slots=True)
class Token:
    word: str
    """The stemmed, lower-case word."""
    start: int
    end: int
    """Offsets into the original text."""


def words(text: str) -> list[Token]:
    """English word tokens (stemmed) with offsets into ``text``."""
    norm = normalize(text)
    tokens = []
    for m in _WORD.finditer(norm.text):
        start, end = norm.span(m.start(), m.end())
        tokens.append(Token(stem(m.group().replace("'", "")), start, end))
    return tokens


def size(text: str) -> int:
    """How much was said: CJK characters plus Latin words (mixed answers are common)."""
    cjk = sum(1 for ch in text if is_cjk(ch))
    latin = len(_WORD.findall(normalize(re.sub(r"[\u3400-\u9fff]", " ", text)).text))
    return cjk + latin
