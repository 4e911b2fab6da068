"""Finding a rubric phrase in an ASR transcript, with the evidence span.

Transcripts are noisy: characters swapped for near-homophones (客服/客户), dropped or doubled
characters, missing punctuation, reordered words ("跟进客户" vs "客户那边我会跟进"). A phrase
therefore matches when

* Chinese (the phrase has CJK characters): compared on characters, never on whitespace tokens.
  An exact substring scores 100. A homophone spelling scores 90: the ASR often writes a
  character that sounds the same ("记路" for 记录, "跟近" for 跟进, "冷经" for 冷静), so
  characters are also compared by their toneless pinyin (pypinyin). Otherwise a phrase of
  n >= 4 characters may differ in n // 4 characters in place (by pinyin, then rapidfuzz
  ``partial_ratio``), or its characters may occur in any order within a window of twice its
  length (a multiset coverage; one may be missing from 8 characters on).
* English: compared on stemmed words. All of the phrase's content words (or 3 of 4, for long
  phrases) must occur within a window a little longer than the phrase, in any order; words of
  five or more letters may carry one typo (rapidfuzz ``ratio`` >= 80).

Short phrases (two or three characters, one or two words) must match exactly (or as
homophones): at that length a single changed character is a different word. ``strict`` matching,
used for red flags, allows only exact and homophone matches: "跟客户吵" must not be found in
"跟客户道歉".
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from voicebot.interview.textnorm import Normalized, Token, has_cjk, normalize, words

STOPWORDS = frozenset(
    {
        "a", "an", "the", "i", "i'm", "im", "we", "you", "they", "he", "she", "it", "to", "of",
        "and", "or", "in", "on", "at", "for", "with", "my", "our", "your", "their", "is", "are",
        "was", "be", "been", "will", "would", "can", "could", "do", "does", "did", "that",
        "this", "what", "them", "me", "us",
    }
)  # fmt: skip
"""Words ignored in English phrases unless the phrase is nothing else."""

WORD_TYPO_RATIO = 80.0


@dataclass(frozen=True, slots=True)
class Hit:
    phrase: str
    score: float
    """0-100: how closely the transcript matched the phrase."""
    start: int
    end: int
    """The matched range of the original transcript."""
    text: str
    """The transcript's own words at that range (evidence, never the phrase)."""


HOMOPHONE_SCORE = 90.0


def find(phrase: str, transcript: str, *, strict: bool = False) -> Hit | None:
    """The best match of ``phrase`` in ``transcript``, or None."""
    if not phrase.strip() or not transcript.strip():
        return None
    if has_cjk(phrase):
        return _find_chars(phrase, transcript, strict)
    return _find_words(phrase, transcript, strict)


def find_all(
    phrases: list[str] | tuple[str, ...], transcript: str, *, strict: bool = False
) -> list[Hit]:
    """Every phrase that matched, best first; a phrase counts once."""
    hits = [h for p in phrases if (h := find(p, transcript, strict=strict)) is not None]
    return sorted(hits, key=lambda h: (-h.score, h.start))


def syllables(chars: str) -> list[str]:
    """Toneless pinyin of each character (the character itself if it has none)."""
    out: list[str] = lazy_pinyin(list(chars))  # one item per character, as given
    return out


def _sounds_like(p: str, text: str, k: int) -> tuple[int, int] | None:
    """In-place match by pinyin with at most ``k`` syllables differing: (start, mismatches)."""
    want, have = syllables(p), syllables(text)
    best: tuple[int, int] | None = None
    for i in range(0, len(have) - len(want) + 1):
        misses = sum(1 for a, b in zip(want, have[i : i + len(want)], strict=True) if a != b)
        if misses <= k and (best is None or misses < best[1]):
            best = (i, misses)
            if misses == 0:
                break
    return best


def allowed_edits(length: int) -> int:
    return length // 4 if length >= 4 else 0


def _find_chars(phrase: str, transcript: str, strict: bool) -> Hit | None:
    p = normalize(phrase, keep_spaces=False).text
    norm = normalize(transcript, keep_spaces=False)
    text = norm.text
    if not p or len(text) < len(p):
        return None  # "没问题" cannot contain "什么问题"
    at = text.find(p)
    if at >= 0:
        return _hit(phrase, 100.0, norm.span(at, at + len(p)), transcript)
    k = 0 if strict else allowed_edits(len(p))
    sound = _sounds_like(p, text, k)
    if sound is not None:
        start, misses = sound
        score = HOMOPHONE_SCORE * (1 - misses / len(p))
        return _hit(phrase, score, norm.span(start, start + len(p)), transcript)
    if k == 0:
        return None
    threshold = 100.0 * (1 - k / len(p)) - 1e-6
    aligned = fuzz.partial_ratio_alignment(p, text)
    if aligned is not None and aligned.score >= threshold:
        span = norm.span(aligned.dest_start, aligned.dest_end)
        return _hit(phrase, aligned.score, span, transcript)
    # order-free matching is looser than in-place matching: it tolerates a missing character
    # only in long phrases ("跟客户吵" must not match "客户的情绪，跟他道歉")
    return _window_coverage(phrase, p, norm, max(0, (len(p) - 4) // 4))


def _window_coverage(phrase: str, p: str, norm: Normalized, k: int) -> Hit | None:
    """Order-free match: the phrase's characters inside one window of ~2x its length."""
    text = norm.text
    need = Counter(p)
    width = max(len(p) + 2, len(p) * 2)
    best: tuple[int, int, int] | None = None  # covered, start, end
    for i in range(0, max(1, len(text) - len(p) + 1)):
        window = text[i : i + width]
        got = Counter(window) & need
        covered = sum(got.values())
        if covered >= len(p) - k and (best is None or covered > best[0]):
            positions = [j for j, ch in enumerate(window) if ch in got]
            best = (covered, i + positions[0], i + positions[-1] + 1)
    if best is None:
        return None
    covered, start, end = best
    return _hit(phrase, 95.0 * covered / len(p), norm.span(start, end), norm.source)


def _content(tokens: list[str]) -> list[str]:
    kept = [t for t in tokens if t not in STOPWORDS]
    return kept or tokens


def _word_match(a: str, b: str) -> float:
    if a == b:
        return 100.0
    if len(a) >= 5 and len(b) >= 4:
        score = fuzz.ratio(a, b)
        return score if score >= WORD_TYPO_RATIO else 0.0
    return 0.0


def _find_words(phrase: str, transcript: str, strict: bool) -> Hit | None:
    said = [w.word for w in words(phrase)]
    want = _content(said)
    have = words(transcript)
    if not want or not have:
        return None
    needed = len(want) if len(want) <= 3 or strict else math.ceil(len(want) * 0.75)
    width = len(said) + 2 + len(said) // 2
    best: tuple[float, int, int] | None = None
    for i in range(0, max(1, len(have) - min(len(want), len(have)) + 1)):
        window: list[Token] = have[i : i + width]
        used: set[int] = set()
        scores: list[float] = []
        for w in want:
            cand = [(s, j) for j, t in enumerate(window) if j not in used
                    and (s := _word_match(w, t.word)) > 0]  # fmt: skip
            if cand:
                s, j = max(cand)
                used.add(j)
                scores.append(s)
        if len(scores) >= needed:
            score = sum(scores) / len(want)
            first, last = min(used), max(used)
            if best is None or score > best[0]:
                best = (score, window[first].start, window[last].end)
    if best is None:
        return None
    return _hit(phrase, best[0], (best[1], best[2]), transcript)


def _hit(phrase: str, score: float, span: tuple[int, int], transcript: str) -> Hit:
    start, end = span
    return Hit(phrase, round(score, 1), start, end, transcript[start:end])
