"""Endpointing on generated audio with known speech/silence spans (fixed seeds)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from audio_signals import hum, mix, phone_frames, rumble, silence, timeline, voiced, white

from voicebot.speech.audio import FRAME_BYTES, RATE, read_wav_as_phone, to_float
from voicebot.speech.vad import (
    EndpointConfig,
    Endpointer,
    EndpointEvent,
    NoiseTracker,
    SegmentEnd,
    SpeechStart,
    TurnEnd,
    WebRtcVad,
)

TOL = 0.061  # three frames


def run(
    x: np.ndarray, config: EndpointConfig | None = None, vad: WebRtcVad | None = None
) -> list[tuple[float, EndpointEvent]]:
    """Feed every frame; return (call time at the end of the frame, event)."""
    ep = Endpointer(vad or WebRtcVad(), config)
    return [(round(t + 0.02, 3), e) for f, t in phone_frames(x) for e in ep.feed(f, t)]


def of(events: list[tuple[float, EndpointEvent]], kind: type) -> list:
    return [(t, e) for t, e in events if isinstance(e, kind)]


# --------------------------------------------------------------------------- classifier


def test_frames_must_be_20ms() -> None:
    with pytest.raises(ValueError, match="320 bytes"):
        WebRtcVad().is_speech(bytes(FRAME_BYTES - 2))
    with pytest.raises(ValueError, match=r"0\.\.3"):
        WebRtcVad(aggressiveness=4)


def test_noise_tracker_is_the_recent_minimum() -> None:
    tracker = NoiseTracker(window_s=0.1, initial_dbfs=-70)
    assert tracker.level == -70
    for level in [-40, -45, -30, -20, -20, -20, -20]:
        tracker.add(level)
    assert tracker.level == -30  # -45 has left the 5-frame window


NOISES = {
    "white -50": lambda seed: white(10, -50, seed),
    "white -45": lambda seed: white(10, -45, seed),
    "white -40": lambda seed: white(10, -40, seed),
    "rumble -40": lambda seed: rumble(10, -40, seed),
    "rumble -30": lambda seed: rumble(10, -30, seed),
    "hum 50 Hz -30": lambda seed: hum(10, -30, 50),
    "hum 60 Hz + white": lambda seed: mix(hum(10, -35, 60), white(10, -45, seed)),
}


@pytest.mark.parametrize("noise", NOISES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_line_noise_alone_never_starts_a_turn(noise: str, seed: int) -> None:
    assert run(NOISES[noise](seed)) == []


def test_without_the_noise_gate_webrtcvad_takes_hiss_for_speech() -> None:
    """The control for the test above: the gate is what makes the difference."""
    events = run(white(10, -40, 1), vad=WebRtcVad(snr_db=None))
    assert of(events, SpeechStart)


# ------------------------------------------------------------------------------- spans

SPANS = [
    # lead silence, speech seconds, noise (None: digital silence), seed
    (1.0, 0.6, None, 0),
    (1.5, 2.0, "white -50", 1),
    (2.0, 4.0, "white -45", 2),
    (0.8, 1.2, "white -40", 3),
    (1.2, 2.5, "rumble -30", 4),
    (1.0, 1.5, "hum 50 Hz -30", 5),
]


@pytest.mark.parametrize(("lead", "speech", "noise", "seed"), SPANS)
def test_turn_spans_match_the_speech(
    lead: float, speech: float, noise: str | None, seed: int
) -> None:
    x = timeline(silence(lead), voiced(speech), silence(2.0))
    if noise is not None:
        x = mix(x, NOISES[noise](seed))
    events = run(x, EndpointConfig(hangover_ms=800))
    starts, ends = of(events, SpeechStart), of(events, TurnEnd)
    assert len(starts) == 1
    assert len(ends) == 1
    start_at, start = starts[0]
    end_at, end = ends[0]
    assert start.at_s == pytest.approx(lead, abs=TOL)
    assert start_at - start.at_s <= 0.1  # decided within k of n = 3 of 5 frames
    assert end.start_s == start.at_s
    assert end.end_s == pytest.approx(lead + speech, abs=TOL)
    assert end_at == pytest.approx(end.end_s + 0.8, abs=0.021)  # exactly the hangover later
    assert end.reason == "hangover"
    # the turn's audio runs from the pre-roll to the end plus the kept tail
    assert end.audio_start_s == pytest.approx(end.start_s - 0.3, abs=TOL)
    assert len(end.audio) / 2 / RATE == pytest.approx(
        end.end_s + 0.2 - end.audio_start_s, abs=0.021
    )


@pytest.mark.parametrize(
    ("config", "hangover"),
    [
        (EndpointConfig.yes_no(), 0.35),
        (EndpointConfig(hangover_ms=500), 0.5),
        (EndpointConfig.open_answer(), 0.8),
    ],
)
def test_the_question_sets_the_hangover(config: EndpointConfig, hangover: float) -> None:
    # 2.5 s of speech: past early_speech_s, so open answers use their normal hangover
    x = timeline(silence(1.0), voiced(2.5), silence(2.0))
    ((end_at, end),) = of(run(x, config), TurnEnd)
    assert end_at - end.end_s == pytest.approx(hangover, abs=0.021)


def test_a_pause_shorter_than_the_hangover_does_not_end_the_turn() -> None:
    x = timeline(silence(1.0), voiced(1.0), silence(0.6), voiced(1.0), silence(1.5))
    ends = of(run(x, EndpointConfig(hangover_ms=800)), TurnEnd)
    assert [e.end_s for _, e in ends] == [pytest.approx(3.6, abs=TOL)]
    # the same pause ends a yes/no turn
    ends = of(run(x, EndpointConfig.yes_no()), TurnEnd)
    assert len(ends) == 2


def test_longer_hangover_while_the_candidate_has_just_started() -> None:
    # "well..." (0.7 s), a 1 s pause, then the answer
    x = timeline(silence(1.0), voiced(0.7), silence(1.0), voiced(2.5), silence(2.0))
    ends = of(run(x, EndpointConfig.open_answer()), TurnEnd)
    assert len(ends) == 1
    assert ends[0][1].start_s == pytest.approx(1.0, abs=TOL)
    # without the early hangover the pause would have ended the turn after "well..."
    ends = of(run(x, EndpointConfig(hangover_ms=800)), TurnEnd)
    assert len(ends) == 2


def test_configure_changes_the_hangover_for_the_next_question() -> None:
    ep = Endpointer(WebRtcVad(), EndpointConfig.open_answer())
    x = timeline(silence(1.0), voiced(1.0), silence(1.5), voiced(1.0), silence(1.0))
    events: list[tuple[float, EndpointEvent]] = []
    for f, t in phone_frames(x):
        if t == pytest.approx(2.6, abs=0.005):  # next question asked between the answers
            ep.configure(EndpointConfig.yes_no())
        events += [(t + 0.02, e) for e in ep.feed(f, t)]
    ends = [e for _, e in events if isinstance(e, TurnEnd)]
    assert len(ends) == 2
    second_end_at = next(t for t, e in events if e is ends[1])
    assert second_end_at - ends[1].end_s == pytest.approx(0.35, abs=0.021)
    ep.set_hangover(1000)
    assert ep.config.hangover_ms == 1000


@pytest.mark.parametrize("max_turn_s", [3.0, 5.0])
def test_max_turn_length_cuts_a_monologue(max_turn_s: float) -> None:
    x = timeline(silence(1.0), voiced(12.0), silence(1.0))
    config = EndpointConfig(max_turn_s=max_turn_s, segment_pause_ms=None)
    events = run(x, config)
    first_at, first = of(events, TurnEnd)[0]
    assert first.reason == "max_length"
    assert first_at - first.start_s == pytest.approx(max_turn_s, abs=0.021)
    assert len(first.audio) / 2 / RATE == pytest.approx(max_turn_s + 0.2, abs=0.061)
    # the rest of the monologue goes on as further turns
    assert len(of(events, TurnEnd)) >= 2


def test_reset_forgets_a_turn_in_progress() -> None:
    ep = Endpointer(WebRtcVad())
    x = timeline(silence(1.0), voiced(1.0))
    for f, t in phone_frames(x):
        ep.feed(f, t)
    assert ep.in_turn
    ep.reset()
    assert not ep.in_turn
    tail = [e for f, t in phone_frames(silence(2.0)) for e in ep.feed(f, 2.0 + t)]
    assert tail == []


# ---------------------------------------------------------------------------- segments


def test_pauses_inside_an_answer_close_segments_and_the_tail_is_the_rest() -> None:
    # the last stretch (0.3 s) is too short to be a segment of its own: it is the tail
    x = timeline(
        silence(1.0),
        voiced(2.0),
        silence(0.6),
        voiced(1.5),
        silence(0.6),
        voiced(0.3),
        silence(1.5),
    )
    events = run(x, EndpointConfig.open_answer())
    segments = [e for _, e in of(events, SegmentEnd)]
    ((end_at, end),) = of(events, TurnEnd)
    assert end_at - end.end_s == pytest.approx(0.8, abs=0.021)
    assert [s.index for s in segments] == [0, 1]
    assert [s.speech_end_s for s in segments] == [
        pytest.approx(3.0, abs=TOL),
        pytest.approx(5.1, abs=TOL),
    ]
    # each segment was emitted once the pause reached 500 ms
    seg_times = [t for t, _ in of(events, SegmentEnd)]
    assert seg_times[0] == pytest.approx(segments[0].speech_end_s + 0.5, abs=0.021)
    assert end.segments == 2
    assert end.tail_start_s == pytest.approx(segments[1].speech_end_s + 0.5, abs=0.021)
    assert len(end.tail) / 2 / RATE == pytest.approx(end.end_s + 0.2 - end.tail_start_s, abs=0.021)
    # the segments and the tail tile the turn (minus the silence after each segment's tail)
    assert segments[0].audio_start_s == end.audio_start_s
    assert end.audio.startswith(segments[0].audio)
    covered = sum(len(s.audio) for s in segments) + len(end.tail)
    assert covered / 2 / RATE > end.end_s - end.audio_start_s - 2 * 0.5


def test_the_final_pause_leaves_no_tail_when_the_hangover_is_longer() -> None:
    """The segment closed by the last pause is transcribed while the hangover runs."""
    x = timeline(silence(1.0), voiced(3.0), silence(1.5))
    events = run(x, EndpointConfig.open_answer())
    ((seg_at, seg),) = of(events, SegmentEnd)
    ((end_at, end),) = of(events, TurnEnd)
    assert end_at - seg_at == pytest.approx(0.3, abs=0.021)  # 800 - 500 ms head start
    assert end.segments == 1
    assert end.tail == b""
    assert len(seg.audio) / 2 / RATE == pytest.approx(
        end.end_s + 0.2 - seg.audio_start_s, abs=0.021
    )


@pytest.mark.parametrize(
    ("config", "cut"),
    [
        (EndpointConfig(segment_pause_ms=None), False),  # streaming off
        (EndpointConfig(min_segment_s=3.0), False),  # too short to transcribe alone
        (EndpointConfig(segment_pause_ms=700), False),  # the pause is only 600 ms
        (EndpointConfig(), True),
    ],
)
def test_segment_rules(config: EndpointConfig, cut: bool) -> None:
    """Does the 600 ms pause after 1.5 s of speech close a segment?"""
    x = timeline(silence(1.0), voiced(1.5), silence(0.6), voiced(0.4), silence(1.5))
    events = run(x, config)
    early = [e for t, e in of(events, SegmentEnd) if t < 3.15]
    assert bool(early) == cut
    end = of(events, TurnEnd)[0][1]
    if config.segment_pause_ms is None:
        assert end.segments == 0
        assert end.tail == end.audio


def test_a_long_run_without_pauses_is_cut_at_max_segment() -> None:
    x = timeline(silence(1.0), voiced(9.0), silence(1.5))
    events = run(x, EndpointConfig(max_segment_s=4.0))
    segments = [e for _, e in of(events, SegmentEnd)]
    assert len(segments) == 3  # at ~4 s, ~8 s, and the final pause
    for s in segments[:2]:
        assert 4.0 <= len(s.audio) / 2 / RATE <= 4.0 + 0.4


# ------------------------------------------------------------------- real (synthesised) speech

SPEECH = Path(__file__).parent / "data" / "speech"


def phone_wav(name: str) -> np.ndarray:
    return to_float(read_wav_as_phone(SPEECH / name))


def test_a_yes_is_over_after_the_short_hangover() -> None:
    """ "Yes, that's fine.": the comma pause (~360 ms) ends a yes/no turn right after "Yes",
    which is all the question needed; an open question waits for the whole sentence."""
    x = timeline(phone_wav("en01.wav"), silence(1.0))
    x = mix(x, white(len(x) / RATE, -55, 1))
    yes_no = [(t, e) for t, e in run(x, EndpointConfig.yes_no()) if isinstance(e, TurnEnd)]
    first_at, first = yes_no[0]
    assert first.speech_s < 0.4
    assert first_at - first.end_s == pytest.approx(0.35, abs=0.021)
    open_ = [e for _, e in of(run(x, EndpointConfig.open_answer()), TurnEnd)]
    assert len(open_) == 1
    assert 0.9 < open_[0].speech_s < 1.6


def test_an_open_answer_is_one_turn_cut_into_sentence_segments() -> None:
    x = timeline(phone_wav("en16.wav"), silence(2.0))  # three sentences, 13 s
    events = run(x, EndpointConfig.open_answer())
    ends = [e for _, e in of(events, TurnEnd)]
    assert len(ends) == 1
    assert ends[0].speech_s > 11.0
    assert len(of(events, SegmentEnd)) >= 2
