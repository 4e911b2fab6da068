"""The real Whisper model on the speech test set (tests/data/speech): accuracy, streaming, CLI.

Needs the speech extra (faster-whisper and the Whisper base packages); about 40 s on 2 cores.
"""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest

from voicebot.cli import main as cli
from voicebot.config import load_settings
from voicebot.speech.accuracy import corpus_rate, score
from voicebot.speech.asr import Asr
from voicebot.speech.audio import FRAME_SAMPLES, RATE, frames, read_wav, read_wav_as_phone, resample
from voicebot.speech.streaming import StreamingTranscriber
from voicebot.speech.vad import EndpointConfig, Endpointer, WebRtcVad
from voicebot.speech.whisper_engine import WhisperEngine
from voicebot.speech.whisper_model import resolve_model_dir

pytestmark = pytest.mark.models

DATA = Path(__file__).parent / "data" / "speech"
MANIFEST = json.loads((DATA / "manifest.json").read_text())["utterances"]


@pytest.fixture(scope="module")
def engine() -> WhisperEngine:
    pytest.importorskip("faster_whisper")
    speech = load_settings(env={}).speech
    return WhisperEngine(resolve_model_dir(speech.asr_model, speech.models_dir))


def utterances(language: str, kind: str | None = None) -> list[dict]:
    return [u for u in MANIFEST if u["language"] == language and kind in (None, u["kind"])]


def test_the_test_set_is_what_its_readme_says() -> None:
    assert len(utterances("en")) >= 20
    assert len(utterances("zh")) >= 20
    assert sum((DATA / u["file"]).stat().st_size for u in MANIFEST) < 4 * 2**20
    for u in MANIFEST:
        with wave.open(str(DATA / u["file"])) as w:
            assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)


@pytest.mark.parametrize(("language", "limit"), [("en", 0.10), ("zh", 0.12)])
async def test_accuracy_on_phone_audio(engine: WhisperEngine, language: str, limit: float) -> None:
    scores = []
    async with Asr(engine) as asr:
        for u in utterances(language):
            result = await asr.transcribe(read_wav_as_phone(DATA / u["file"]), language)
            assert result.language == language
            scores.append(score(u["text"], result.text, language))
    rate = corpus_rate(scores)
    assert rate <= limit, f"{'WER' if language == 'en' else 'CER'} {rate:.1%} > {limit:.0%}"


@pytest.mark.parametrize(("language", "limit"), [("en", 0.10), ("zh", 0.12)])
async def test_streaming_an_open_answer(engine: WhisperEngine, language: str, limit: float) -> None:
    """Through the call path: endpointing, segments decoded as they close, one final text."""
    scores = []
    async with Asr(engine) as asr:
        for u in utterances(language, "open")[:3]:
            pcm = read_wav_as_phone(DATA / u["file"]) + bytes(2 * RATE * 2)
            ep = Endpointer(WebRtcVad(), EndpointConfig.open_answer())
            async with StreamingTranscriber(asr, language) as st:
                offset = 7.0  # the answer starts 7 s into the call
                for n, frame in enumerate(frames(pcm)):
                    for event in ep.feed(frame, offset + n * FRAME_SAMPLES / RATE):
                        st.push(event)
                final = await st.next_final(timeout=60)
            assert final is not None
            assert final.final
            assert final.missing == 0
            assert final.pieces >= 1
            # segment times are call times, in order, inside the answer
            times = [(s.start_s, s.end_s) for s in final.segments]
            assert times == sorted(times)
            assert offset <= times[0][0] < times[-1][1] <= offset + u["duration_s"] + 0.5
            scores.append(score(u["text"], final.text, language))
    assert corpus_rate(scores) <= limit


@pytest.mark.parametrize("uid", ["en10", "zh08"])
async def test_language_is_detected(engine: WhisperEngine, uid: str) -> None:
    u = next(x for x in MANIFEST if x["id"] == uid)
    async with Asr(engine) as asr:
        result = await asr.transcribe(read_wav_as_phone(DATA / u["file"]), None)
    assert result.language == u["language"]
    assert result.language_prob is not None
    assert result.language_prob > 0.8


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_line_noise_is_not_transcribed(engine: WhisperEngine, language: str) -> None:
    rng = np.random.default_rng(11)
    noise = (rng.normal(0, 10 ** (-45 / 20), 3 * RATE) * 32768).astype("<i2").tobytes()
    async with Asr(engine) as asr:
        result = await asr.transcribe(noise, language)
    assert result.text == ""


def test_transcribe_command_takes_any_rate(
    engine: WhisperEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the 8 kHz test file as a 16 kHz stereo WAV
    x, rate = read_wav(DATA / "en10.wav")
    y = resample(x, rate, 16_000)
    stereo = np.repeat(np.round(y * 32767).astype("<i2"), 2)
    path = tmp_path / "answer16k.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes(stereo.tobytes())
    assert cli(["transcribe", str(path), "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert score("I worked in a warehouse for three years.", out, "en").rate <= 0.15
    assert cli(["transcribe", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["language"] == "en"
    assert doc["turns"][0]["segments"]


def test_transcribe_command_names_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "voicemail.wav"
    bad.write_bytes(b"RIFF....not a wav")
    assert cli(["transcribe", str(bad)]) == 2
    assert "voicemail.wav" in capsys.readouterr().err
