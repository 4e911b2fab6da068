"""An answer's text with the call times of its parts, so evidence can say where it was said."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voicebot.interview.events import Segment


@dataclass(frozen=True, slots=True)
class AnswerText:
    """An answer's text, with call-time spans to timestamp evidence.

    ``spans`` are (char_start, char_end, start_s, end_s) ranges of ``text``: one per ASR
    segment when the driver gave segments, else one per turn."""

    text: str
    spans: tuple[tuple[int, int, float, float], ...] = ()

    @classmethod
    def build(cls, parts: Sequence[tuple[str, float, float, Sequence[Segment]]]) -> AnswerText:
        """From turns: (text, start_s, end_s, segments) each."""
        text = ""
        spans: list[tuple[int, int, float, float]] = []
        for turn_text, start_s, end_s, segments in parts:
            pieces = [(s.text, s.start_s, s.end_s) for s in segments] or [
                (turn_text, start_s, end_s)
            ]
            for piece, t0, t1 in pieces:
                if not piece.strip():
                    continue
                if text:
                    text += " "
                spans.append((len(text), len(text) + len(piece), t0, t1))
                text += piece
        return cls(text, tuple(spans))

    def times(self, start: int, end: int) -> tuple[float | None, float | None]:
        inside = [s for s in self.spans if s[0] < end and start < s[1]]
        if not inside:
            return None, None
        return min(s[2] for s in inside), max(s[3] for s in inside)
