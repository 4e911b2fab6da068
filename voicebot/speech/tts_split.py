"""Cut prompt text into the pieces a TTS engine renders one at a time.

Why cut at all: an engine renders a piece in one model run, so the first piece can play while
the next one renders, and Kokoro's input is capped at 510 phoneme ids. Whole sentences sound
best (the model sees the clause structure), so a sentence is only cut at its clause marks when
it is longer than ``max_chars``; the first piece may get a smaller limit (``first_max_chars``)
so that dynamic text (a name, a time) starts playing after one short clause.

Each piece carries the pause that follows it, chosen by the punctuation that ended it: engines
trim the silence their models produce at the edges and add these pauses back, so pacing is the
same for every engine and every piece size. Pure functions, no I/O.
"""

# Fullwidth (Chinese) punctuation is what this module is about.

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_PAUSE_S = 0.30
CLAUSE_PAUSE_S = 0.15
HARD_CUT_PAUSE_S = 0.03
"""Pause after a cut made inside a clause (no punctuation there): barely audible on purpose."""

_SENTENCE_END = "。！？；…!?;\n"
_CLAUSE_END = "，、：,:"
_CLOSERS = "”’\"'」』）)】》"
_ABBREVIATIONS = ("mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "no", "jr", "sr")
_SPEAKABLE = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class Chunk:
    text: str
    pause_s: float
    """Silence to play after this piece (0 after the last one)."""


@dataclass(frozen=True, slots=True)
class _Piece:
    text: str
    kind: str
    """'sentence', 'clause' or 'open' (text ran out without punctuation)."""


def split_text(text: str, max_chars: int = 80, first_max_chars: int | None = None) -> list[Chunk]:
    """Split into chunks of at most ``max_chars`` characters (``first_max_chars`` for the first).

    Sentences end at 。！？；… and at . ! ? ; followed by a space (not inside ``3.5`` or after
    ``Mr.``); clauses end at ，、：, and : . Closing quotes stay with their sentence.
    """
    if max_chars < 8:
        raise ValueError("max_chars must be at least 8")
    text = re.sub(r"[^\S\n]+", " ", text)
    pieces = _pieces(re.sub(r" ?\n[\s]*", "\n", text).strip())
    chunks: list[Chunk] = []
    current: list[_Piece] = []

    def limit() -> int:
        return first_max_chars if first_max_chars and not chunks else max_chars

    def emit(parts: list[_Piece]) -> None:
        body = "".join(p.text for p in parts).strip()
        if _SPEAKABLE.search(body):
            chunks.append(Chunk(body, _pause_after(parts[-1].kind)))

    for piece in pieces:
        size = sum(len(p.text) for p in current)
        if current and size + len(piece.text) > limit():
            emit(current)
            current = []
        if len(piece.text.strip()) > limit():
            for part in _hard_cut(piece.text.strip(), limit()):
                emit([_Piece(part, "hard")])
            # the cut's last part ends where the piece ended
            if chunks and chunks[-1].pause_s == HARD_CUT_PAUSE_S:
                chunks[-1] = Chunk(chunks[-1].text, _pause_after(piece.kind))
            continue
        current.append(piece)
        if piece.kind == "sentence":
            emit(current)
            current = []
    if current:
        emit(current)
    if chunks:
        chunks[-1] = Chunk(chunks[-1].text, 0.0)
    return chunks


def _pieces(text: str) -> list[_Piece]:
    """Cut after every clause or sentence mark (with the closers that follow it)."""
    out: list[_Piece] = []
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        kind = ""
        if ch in _SENTENCE_END or (ch == "." and _is_full_stop(text, i)):
            kind = "sentence"
        elif ch in _CLAUSE_END and not _inside_number(text, i):
            kind = "clause"
        if kind:
            i += 1
            while i < len(text) and (text[i] in _CLOSERS or text[i] in _SENTENCE_END + "."):
                i += 1
            out.append(_Piece(text[start:i], kind))
            start = i
            continue
        i += 1
    if start < len(text):
        out.append(_Piece(text[start:], "open"))
    return out


def _is_full_stop(text: str, i: int) -> bool:
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if not (nxt.isspace() or nxt in _CLOSERS):
        return False  # 3.5, example.com, e.g.x
    word = re.search(r"([A-Za-z.]+)$", text[:i])
    return not (word and word.group(1).lower() in _ABBREVIATIONS)


def _inside_number(text: str, i: int) -> bool:
    """``10,000`` and ``15:00`` are numbers, not clause ends."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return before.isdigit() and after.isdigit()


def _hard_cut(text: str, limit: int) -> list[str]:
    """Cut an over-long clause at spaces (English) or every ``limit`` characters (Chinese)."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        parts.append(text)
    return parts


def _pause_after(kind: str) -> float:
    return {
        "sentence": SENTENCE_PAUSE_S,
        "clause": CLAUSE_PAUSE_S,
        "open": SENTENCE_PAUSE_S,
    }.get(kind, HARD_CUT_PAUSE_S)
