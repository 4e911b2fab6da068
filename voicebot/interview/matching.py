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
homophones), and a two-word phrase needs both its words, stop words too: at that length a
single changed character is a different word, and "be patient" is not "a patient person".
``strict`` matching, used for red flags, allows only exact and homophone matches: "跟客户吵"
must not be found in "跟客户道歉".
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from voicebot.interview.textnorm import Normalized, Token, has_cjk, is_cjk, normalize, words

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


IRREGULAR = {
    "kept": "keep", "told": "tell", "took": "take", "taken": "take", "made": "make",
    "went": "go", "gone": "go", "got": "get", "gotten": "get", "brought": "bring",
    "wrote": "write", "written": "write", "found": "find", "gave": "give", "given": "give",
    "sent": "send", "saw": "see", "seen": "see", "spoke": "speak", "spoken": "speak",
    "thought": "think", "said": "say", "felt": "feel", "left": "leave", "met": "meet",
    "taught": "teach", "caught": "catch", "understood": "understand", "ran": "run",
    "held": "hold", "led": "lead", "bought": "buy", "paid": "pay", "knew": "know",
    "known": "know", "broke": "break", "broken": "break", "chose": "choose", "did": "do",
    "done": "do", "had": "have", "began": "begin", "became": "become", "dealt": "deal",
}  # fmt: skip
"""Past forms the suffix stemmer cannot undo: "kept them updated" is "keep … updated"."""


def canonical(stem: str) -> str:
    """A stem in the form both sides are compared in: irregular past forms as their verb,
    without a doubled last letter (the stemmer turns "called" into "cal", not "call")."""
    stem = IRREGULAR.get(stem, stem)
    return stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem


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
    said = [canonical(w.word) for w in words(phrase)]
    want = said if len(said) <= 2 else _content(said)  # "be patient" is not "patient person"
    have = [Token(canonical(t.word), t.start, t.end) for t in words(transcript)]
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


# --- lexicon patterns -------------------------------------------------------------------------
# The behaviour lexicon (:mod:`behaviours`) holds hundreds of short variants ("回个电话",
# "call … back"). Fuzzy matching at that scale would find something in every answer, so its
# patterns match strictly: each piece exactly or, in Chinese, as a homophone that keeps at
# least one character ("跟近" for 跟进, "搭吧手" for 搭把手). "…" in a pattern is a short gap
# for the words between a verb and its particle or object: "打…回去" finds "打个电话回去",
# "call … back" finds "call the customer back".

GAP = "…"
GAP_CHARS = 6
"""Characters a Chinese gap may span ("再打…给他": "再打个电话给他")."""
GAP_WORDS = 3
"""Words an English gap may span ("call … back": "call the customer back")."""
PATTERN_TYPO_RATIO = 90.0


_GUARDED = STOPWORDS | {"not", "no", "nor", "never"}
"""A stem that is itself a function word must be said as written: "notes" stems to "not"."""


@dataclass(frozen=True, slots=True)
class _Prepared:
    norm: Normalized
    syllables: tuple[str, ...]
    words: tuple[Token, ...]
    raw: tuple[str, ...]
    """Each English word as said (lower case), next to its stem in ``words``."""
    starts: dict[str, tuple[int, ...]]
    """Syllable (zh) or stem (en) -> where it occurs: where a pattern may start."""


@lru_cache(maxsize=32)
def _prepare(transcript: str) -> _Prepared:
    """A transcript in both forms patterns are matched on, computed once per answer."""
    norm = normalize(transcript, keep_spaces=False)
    tokens = tuple(Token(canonical(t.word), t.start, t.end) for t in words(transcript))
    raw = tuple(transcript[t.start : t.end].lower().replace("'", "") for t in tokens)
    syl = tuple(syllables(norm.text))
    starts: dict[str, list[int]] = {}
    for i, unit in enumerate(syl):
        starts.setdefault(unit, []).append(i)
    for i, t in enumerate(tokens):
        starts.setdefault(t.word, []).append(i)
    return _Prepared(norm, syl, tokens, raw, {k: tuple(v) for k, v in starts.items()})


@dataclass(frozen=True, slots=True)
class _Piece:
    chars: str
    """Chinese: the characters (empty for an English piece)."""
    units: tuple[str, ...]
    """Chinese: their syllables; English: the word stems."""
    raw: tuple[str, ...] = ()
    """English: the words as written."""


@lru_cache(maxsize=4096)
def _pattern_pieces(pattern: str) -> tuple[_Piece, ...]:
    out = []
    for piece in pattern.split(GAP):
        if has_cjk(piece):
            text = normalize(piece, keep_spaces=False).text
            out.append(_Piece(text, tuple(syllables(text))))
        else:
            tokens = words(piece)
            raw = tuple(piece[t.start : t.end].lower().replace("'", "") for t in tokens)
            out.append(_Piece("", tuple(canonical(t.word) for t in tokens), raw))
    return tuple(p for p in out if p.chars or p.units)


def _zh_at(piece: _Piece, prep: _Prepared, i: int, homophones: bool) -> int | None:
    """Characters of ``piece`` matching exactly at ``i`` (None: no match, homophones count)."""
    text, syl = prep.norm.text, prep.syllables
    exact = 0
    for j, ch in enumerate(piece.chars):
        if text[i + j] == ch:
            exact += 1
        elif (
            not homophones
            or len(piece.chars) < 2
            or not is_cjk(text[i + j])
            or syl[i + j] != piece.units[j]
        ):
            return None
    if len(piece.chars) == 2 and text[i] != piece.chars[0]:
        return None  # "欢和" in "喜欢和人" is two words, not 缓和; "跟近" is 跟进
    return exact if exact else None  # a homophone keeps at least one character as said


def _en_at(piece: _Piece, prep: _Prepared, i: int, loose: bool) -> float | None:
    """``loose``: word forms and typos count ("ask" in "asked"); else the words as written
    (the red flag "things happen" is not in "make the same thing happen")."""
    scores = []
    for j, want in enumerate(piece.units):
        got = prep.words[i + j].word
        guarded = want in _GUARDED or not loose
        if got == want and (not guarded or prep.raw[i + j] == piece.raw[j]):
            scores.append(100.0)
        elif (
            loose
            and len(want) >= 6
            and len(got) >= 5
            and fuzz.ratio(want, got) >= PATTERN_TYPO_RATIO
        ):
            scores.append(90.0)
        else:
            return None
    return sum(scores) / len(scores)


def find_pattern(
    pattern: str, transcript: str, *, homophones: bool = True, as_written: bool = False
) -> Hit | None:
    """The first match of a lexicon pattern (see above), or None.

    ``homophones=False`` for red flags: "吼客户" must not be found in "然后客户".
    ``as_written`` for English red flags too: the words as written, no other word forms or
    typos ("things happen" is not in "make the same thing happen")."""
    pieces = _pattern_pieces(pattern)
    if not pieces or not transcript.strip():
        return None
    prep = _prepare(transcript)
    zh = bool(pieces[0].chars)
    size = len(prep.norm.text) if zh else len(prep.words)
    gap = GAP_CHARS if zh else GAP_WORDS

    def search(k: int, lo: int, hi: int) -> tuple[int, float] | None:
        """Pieces k.. placed from ``lo`` (the first within ``hi``): (end, score)."""
        piece = pieces[k]
        width = len(piece.chars) if zh else len(piece.units)
        for i in range(lo, min(hi, size - width) + 1):
            if zh:
                exact = _zh_at(piece, prep, i, homophones)
                score = None if exact is None else (100.0 if exact == width else HOMOPHONE_SCORE)
            else:
                score = _en_at(piece, prep, i, not as_written)
            if score is None:
                continue
            if k + 1 == len(pieces):
                return i + width, score
            rest = search(k + 1, i + width, i + width + gap)
            if rest is not None:
                return rest[0], min(score, rest[1])
        return None

    first = pieces[0].units[0]
    typo = not zh and len(first) >= 6  # a misspelt first word has no entry in ``starts``
    for start in range(size) if typo else prep.starts.get(first, ()):
        found = search(0, start, start)
        if found is not None:
            end, score = found
            if zh:
                span = prep.norm.span(start, end)
            else:
                span = (prep.words[start].start, prep.words[end - 1].end)
            return _hit(pattern, score, span, transcript)
    return None
