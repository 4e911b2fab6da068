"""Mandarin text -> Kokoro phoneme string -> model input ids.

Kokoro-82M v1.0 was trained on the output of misaki's *legacy* Chinese G2P (misaki 0.9.x,
``ZHG2P()`` without a version): jieba words, pypinyin syllables, each mapped to IPA with tone
arrows (→ ↗ ↓ ↘). We use those same pieces and add one step misaki lacks: the tone sandhi of
一 and 不, which pypinyin's dictionary only covers inside known words (一个 yes, 一下 no), so
Kokoro said "yī xià". The third-tone sandhi (你好 -> ní hǎo) is left alone: the model saw
unmarked 3-3 pairs in training and realises them itself.

Phoneme symbols the vocabulary does not know (stray symbols, unknown letters) are dropped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from voicebot.errors import SpeechError

VERSION = "zh-g2p/1"
"""Bump when the phonemes produced for the same text change (prompt cache key)."""

_HANZI = re.compile(r"[\u4e00-\u9fff]+|[^\u4e00-\u9fff]+")
_PINYIN = re.compile(r"^[a-zü]+[1-5]$")
_NUMERALS = set("第零一二三四五六七八九十百千万亿两几")


def sandhi(chars: list[str], pinyins: list[str]) -> list[str]:
    """Apply the 一/不 tone changes to one run of hanzi (``chars[i]`` reads ``pinyins[i]``).

    不 bu4 -> bu2 before a 4th tone. 一 yi1 -> yi2 before a 4th tone, yi4 before tones 1-3,
    neutral between a repeated verb (看一看); it stays yi1 as a number (第一, 十一, 一月, 一二三)
    and at the end of a run.
    """
    out = list(pinyins)
    for i, (ch, py) in enumerate(zip(chars, pinyins, strict=True)):
        nxt_tone = pinyins[i + 1][-1] if i + 1 < len(pinyins) else ""
        if ch == "不" and py == "bu4" and nxt_tone == "4":
            out[i] = "bu2"
        elif ch == "一" and py == "yi1" and nxt_tone:
            prev = chars[i - 1] if i else ""
            nxt = chars[i + 1]
            if prev and prev == nxt:
                out[i] = "yi5"
            elif prev in _NUMERALS or nxt in _NUMERALS or nxt in "月号日":
                continue
            elif nxt_tone == "4":
                out[i] = "yi2"
            elif nxt_tone in "123":
                out[i] = "yi4"
    return out


class ZhG2P:
    """misaki's legacy Chinese G2P with 一/不 sandhi; loads jieba's dictionary once (~1 s)."""

    def __init__(self) -> None:
        try:
            # heavy imports, only for Mandarin; cn2an and jieba ship no type information
            import cn2an  # noqa: PLC0415
            import jieba  # noqa: PLC0415
            from misaki.zh import ZHG2P  # noqa: PLC0415
            from pypinyin import Style, lazy_pinyin  # noqa: PLC0415
        except ImportError as exc:
            raise SpeechError(f"Mandarin G2P needs misaki[zh]==0.9.4 ({exc})") from exc
        jieba.setLogLevel(logging.WARNING)  # it prints its dictionary loading to stderr
        jieba.initialize()
        self._cn2an = cn2an
        self._jieba = jieba
        self._misaki = ZHG2P
        self._style = Style.TONE3
        self._lazy_pinyin = lazy_pinyin

    def phonemes(self, text: str) -> str:
        """Text (already normalised) -> Kokoro phoneme string."""
        if not text.strip():
            return ""
        text = self._cn2an.transform(text, "an2cn")
        text = self._misaki.map_punctuation(text)
        out: list[str] = []
        for segment in _HANZI.findall(text):
            if "\u4e00" <= segment[0] <= "\u9fff":
                out.append(self._hanzi(segment))
            else:
                out.append(segment)
        return "".join(out).replace(chr(815), "")

    def _hanzi(self, segment: str) -> str:
        words: list[str] = self._jieba.lcut(segment, cut_all=False)
        readings: list[list[str]] = [
            self._lazy_pinyin(w, style=self._style, neutral_tone_with_five=True) for w in words
        ]
        chars = [c for w in words for c in w]
        flat = [p for r in readings for p in r]
        if len(flat) == len(chars) and all(_PINYIN.match(p) for p in flat):
            flat = sandhi(chars, flat)
            readings, i = [], 0
            for w in words:
                readings.append(flat[i : i + len(w)])
                i += len(w)
        return " ".join("".join(self._ipa(p) for p in r) for r in readings)

    def _ipa(self, pinyin: str) -> str:
        if not _PINYIN.match(pinyin):
            return ""  # a character pypinyin cannot read: silence beats noise
        try:
            return str(self._misaki.py2ipa(pinyin))
        except (AssertionError, KeyError, IndexError, ValueError):
            return ""


def to_ids(phonemes: str, vocab: Mapping[str, int]) -> tuple[list[int], int]:
    """Phoneme string -> ids, and how many symbols were unknown (and dropped)."""
    ids = [vocab[c] for c in phonemes if c in vocab]
    return ids, len(phonemes) - len(ids)
