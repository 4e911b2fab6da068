"""Barge-in rules: table tests on frame decisions, then on generated audio through the VAD."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from audio_signals import mix, phone_frames, silence, timeline, voiced, white

from voicebot.speech.audio import RATE, read_wav_as_phone, to_float
from voicebot.speech.bargein import Backchannel, BargeIn, BargeInConfig, BargeInDetector
from voicebot.speech.vad import WebRtcVad

F = 0.02
SPEECH = Path(__file__).parent / "data" / "speech"


def pattern(spec: str) -> list[bool]:
    """'.' a 20 ms frame of silence, '#' a frame of speech; digits repeat the next char."""
    out: list[bool] = []
    for part in spec.split():
        count, char = (int(part[:-1]), part[-1]) if len(part) > 1 else (1, part)
        out += [char == "#"] * count
    return out


def drive(spec: str, config: BargeInConfig | None = None, start_s: float = 0.0) -> list:
    det = BargeInDetector(config=config)
    det.start(start_s)
    return [
        (round(start_s + i * F, 3), e)
        for i, speech in enumerate(pattern(spec))
        for e in det.update(speech, start_s + i * F)
    ]


CASES = [
    # name, frames after the prompt started, barge-in expected at (s) or None, backchannels
    ("600 ms of speech after the guard", "20. 30# 10.", 0.8, 0),
    ("just long enough: 400 ms", "20. 20# 20.", 0.8, 0),
    ("'mm' 200 ms", "20. 10# 30.", None, 1),
    ("'ok' 340 ms", "20. 17# 30.", None, 1),
    ("two backchannels 300 ms apart", "20. 15# 15. 15# 20.", None, 2),
    ("a 60 ms dip inside a word is bridged", "20. 10# 3. 10# 20.", 0.8, 0),
    ("a 140 ms gap splits two bursts", "20. 12# 7. 12# 20.", None, 2),
    ("only 200 ms of it is after the guard", "25# 10.", None, 1),
    ("speech straddling the guard counts from the guard on", "10. 30# 10.", 0.7, 0),
    ("speech that starts at 0 and goes on", "60#", 0.7, 0),
]


@pytest.mark.parametrize(("name", "spec", "barge_at", "backchannels"), CASES)
def test_barge_in_rules(name: str, spec: str, barge_at: float | None, backchannels: int) -> None:
    events = drive(spec)
    barges = [e for _, e in events if isinstance(e, BargeIn)]
    if barge_at is None:
        assert barges == []
    else:
        assert len(barges) == 1
        assert barges[0].at_s == pytest.approx(barge_at, abs=1e-6)
    assert len([e for _, e in events if isinstance(e, Backchannel)]) == backchannels


def test_barge_in_fires_on_the_frame_that_makes_it_sure() -> None:
    """No extra latency: the frame completing min_speech_ms returns the event."""
    events = drive("20. 30#", BargeInConfig(guard_ms=300, min_speech_ms=400))
    ((fed_at, barge),) = events
    assert barge.speech_start_s == pytest.approx(0.4)
    assert fed_at == pytest.approx(0.78)  # the 20th speech frame starts at 0.78 ...
    assert barge.at_s == pytest.approx(0.8)  # ... and ends at 0.80 = start + 400 ms


def test_only_one_barge_in_per_prompt_and_nothing_after_stop() -> None:
    det = BargeInDetector()
    det.start(10.0)
    fired = [e for i in range(100) for e in det.update(True, 10.0 + i * F)]
    assert len(fired) == 1
    assert not det.active
    det.start(20.0)
    det.stop()
    assert [e for i in range(100) for e in det.update(True, 20.0 + i * F)] == []


@pytest.mark.parametrize(
    ("min_speech_ms", "burst_frames", "fires"), [(300, 16, True), (500, 20, False)]
)
def test_the_backchannel_limit_is_a_knob(
    min_speech_ms: int, burst_frames: int, fires: bool
) -> None:
    events = drive(f"20. {burst_frames}# 20.", BargeInConfig(min_speech_ms=min_speech_ms))
    assert any(isinstance(e, BargeIn) for _, e in events) == fires


def test_feed_without_a_classifier_is_an_error() -> None:
    with pytest.raises(ValueError, match="classifier"):
        BargeInDetector().feed(bytes(320), 0.0)


# ---------------------------------------------------------------- generated audio, real VAD


def feed_audio(
    x: np.ndarray, config: BargeInConfig | None = None, played: np.ndarray | None = None
) -> list:
    det = BargeInDetector(WebRtcVad(), config)
    det.start(0.0)
    out_frames = [f for f, _ in phone_frames(played)] if played is not None else None
    events = []
    for i, (frame, at) in enumerate(phone_frames(x)):
        out = out_frames[i] if out_frames is not None and i < len(out_frames) else None
        events += [(round(at, 3), e) for e in det.feed(frame, at, out)]
    return events


@pytest.mark.parametrize(
    ("speech_s", "barge"),
    [(0.2, False), (0.3, False), (0.8, True), (2.0, True)],
)
def test_generated_speech_over_a_prompt(speech_s: float, barge: bool) -> None:
    x = timeline(silence(1.0), voiced(speech_s), silence(1.0))
    x = mix(x, white(len(x) / RATE, -50, 3))
    events = feed_audio(x)
    barges = [e for _, e in events if isinstance(e, BargeIn)]
    assert bool(barges) == barge
    if barge:
        # sure after 400 ms of speech; stopped within two frames of that
        assert barges[0].speech_start_s == pytest.approx(1.0, abs=0.041)
        assert barges[0].at_s - barges[0].speech_start_s == pytest.approx(0.4, abs=0.081)
    else:
        assert any(isinstance(e, Backchannel) for _, e in events)


def test_echo_of_the_prompt_is_not_the_candidate() -> None:
    """A line without echo cancelling returns our prompt 15 dB down; the candidate is louder."""
    prompt = to_float(read_wav_as_phone(SPEECH / "en17.wav"))[: 6 * RATE]  # speech at -22 dBFS
    echo = prompt * 10 ** (-15 / 20)
    config = BargeInConfig(echo_erl_db=10.0)
    assert not [e for _, e in feed_audio(echo, config, prompt) if isinstance(e, BargeIn)]
    # the control: without the echo check that echo cuts the prompt
    assert [e for _, e in feed_audio(echo, BargeInConfig(), prompt) if isinstance(e, BargeIn)]
    # the candidate talking over the prompt at a normal level still barges in
    talk = mix(echo, timeline(silence(2.0), voiced(1.5, level_dbfs=-24.0, f0=210.0), silence(2.5)))
    barges = [e for _, e in feed_audio(talk, config, prompt) if isinstance(e, BargeIn)]
    assert len(barges) == 1
    assert barges[0].speech_start_s == pytest.approx(2.0, abs=0.061)
