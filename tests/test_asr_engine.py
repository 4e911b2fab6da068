"""The pure parts of the Whisper decoding: encoder window sizes and repetition-loop trimming."""

from __future__ import annotations

import pytest

from voicebot.speech.whisper_engine import (
    FULL_WINDOW,
    REPEAT_NGRAM,
    SAMPLE_RATE,
    WhisperEngine,
    WindowPolicy,
)


@pytest.mark.parametrize(
    ("seconds", "frames"),
    [
        (0.3, 200),  # never below 2 s
        (1.0, 200),  # 1 s of audio + 1 s margin
        (1.01, 300),  # rounded up to whole seconds: clips of similar length batch together
        (2.5, 400),
        (9.9, 1100),
        (28.0, 2900),
        (29.5, FULL_WINDOW),  # capped at Whisper's 30 s
        (45.0, FULL_WINDOW),
    ],
)
def test_the_window_fits_the_clip(seconds: float, frames: int) -> None:
    assert WindowPolicy().frames(round(seconds * SAMPLE_RATE)) == frames


def test_window_policy_knobs() -> None:
    assert WindowPolicy("full").frames(SAMPLE_RATE) == FULL_WINDOW
    assert WindowPolicy(margin_s=0.5, step_s=0.5).frames(SAMPLE_RATE) == 200  # 1.5 s -> 2 s min
    assert WindowPolicy(margin_s=2.0, step_s=0.5).frames(3 * SAMPLE_RATE) == 500
    assert WindowPolicy(step_s=0.25).frames(round(2.1 * SAMPLE_RATE)) % 2 == 0  # even frames


EOT = 50257
TS = 50364  # first timestamp token


@pytest.fixture
def engine() -> WhisperEngine:
    """Only the token bookkeeping, no model: _first_repeat needs the end-of-text id."""
    e = object.__new__(WhisperEngine)
    e._eot = EOT
    return e


def test_a_repetition_loop_is_cut_where_the_copy_begins(engine: WhisperEngine) -> None:
    sentence = [100, 101, 102, 103, 104, 105, 106, 107, 108, 13]  # ten text tokens
    tokens = [TS, *sentence, TS + 100, TS + 100, *sentence, TS + 200, TS + 200, *sentence[:5]]
    cut = engine._first_repeat(tokens, REPEAT_NGRAM)
    assert cut == 1 + len(sentence) + 2  # the first token of the second copy
    assert tokens[:cut][-2:] == [TS + 100, TS + 100]


def test_short_loops_are_caught_once_they_repeat_n_tokens(engine: WhisperEngine) -> None:
    no_thank_you = [2, 3, 4, 13]  # "No thank you."
    tokens = no_thank_you * 5
    assert engine._first_repeat(tokens, REPEAT_NGRAM) == len(no_thank_you)


def test_normal_text_is_left_alone(engine: WhisperEngine) -> None:
    # "I am reliable and I am never late": repeats of 2-3 tokens are normal speech
    tokens = [40, 716, 9996, 290, 40, 716, 1239, 2739, 13, 2011, 1966, 40, 716]
    assert engine._first_repeat(tokens, REPEAT_NGRAM) is None


def test_at_the_token_budget_a_shorter_repeat_counts(engine: WhisperEngine) -> None:
    sentence = list(range(200, 212))
    tokens = [*sentence, *sentence[:5]]  # the budget ran out five tokens into a second copy
    assert engine._first_repeat(tokens, REPEAT_NGRAM) is None
    assert engine._first_repeat(tokens, 4) == len(sentence)
