"""`voicebot profile validate` rejects each kind of bad profile, naming FILE:LINE and the key."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from voicebot.cli import main
from voicebot.errors import InputError
from voicebot.interview.profile_loader import check_file, check_text, load_profile

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))

GOOD = """\
company: Acme
job_title: Support agent
language: en
dimensions:
  - id: communication
    name: Communication
    weight: 60
  - id: empathy
    name: Empathy
    weight: 40
questions:
  - id: shifts
    type: yes_no
    prompt:
      en: Can you work weekends?
    knockout: true
  - id: upset
    type: open
    prompt:
      en: How do you calm an upset customer?
    dimensions: {communication: 50, empathy: 50}
    rubric:
      strong: [acknowledge their feelings]
  - id: years
    type: number
    prompt:
      en: How many years of experience do you have?
"""


def problems(text: str, tmp_path: Path | None = None) -> list[str]:
    profile, found = check_text(text, "p.yaml", tmp_path)
    assert (profile is None) == bool(found)
    return [str(p) for p in found]


def test_the_good_profile_is_valid() -> None:
    assert problems(GOOD) == []


BAD = [
    # (what is wrong, replace this, with this, expected "FILE:LINE: key: message" start)
    ("weights", "weight: 40", "weight: 35",
     "p.yaml:4: dimensions: weights must add up to 100, they add up to 95"),
    ("unknown dimension", "{communication: 50, empathy: 50}", "{communication: 50, empaty: 50}",
     "p.yaml:21: questions[1].dimensions.empaty: unknown dimension 'empaty'"),
    ("duplicate id", "  - id: years", "  - id: upset",
     "p.yaml:24: questions[2].id: duplicate question id 'upset'"),
    ("missing prompt language", "      en: Can you work weekends?", "      zh: 周末可以上班吗？",
     "p.yaml:14: questions[0].prompt.en: missing the en text"),
    ("bad type", "type: number", "type: numeric",
     "p.yaml:25: questions[2].type: Input should be 'open', 'yes_no', 'number' or 'choice'"),
    ("knockout on open without rule", "      strong: [acknowledge their feelings]",
     "      strong: [acknowledge their feelings]\n    knockout: true",
     "p.yaml:24: questions[1].knockout: an open question cannot knock out"),
    ("knockout on number without rule", "      en: How many years of experience do you have?",
     "      en: How many years of experience do you have?\n    knockout: {reason: too few}",
     "p.yaml:28: questions[2].knockout: a number question knocks out by a rule"),
    ("unknown key", "    knockout: true", "    knockout: true\n    max_answer: 10",
     "p.yaml:17: questions[0].max_answer: unknown key"),
    ("duplicate yaml key", "    type: open", "    type: open\n    type: open",
     "p.yaml:19: questions[1].type: duplicate key"),
    ("missing field", "job_title: Support agent\n", "",
     "p.yaml:1: job_title: Field required"),
    ("weight out of range", "weight: 60", "weight: 160",
     "p.yaml:7: dimensions[0].weight: Input should be less than or equal to 100"),
    ("unknown placeholder", "How do you calm", "At {compnay}, how do you calm",
     "p.yaml:20: questions[1].prompt.en: unknown placeholder {compnay}"),
    ("yaml syntax", "    type: yes_no", "    type: [yes_no",
     "p.yaml:14: YAML syntax error: expected ',' or ']'"),
    ("open question without rubric",
     "    rubric:\n      strong: [acknowledge their feelings]\n", "",
     "p.yaml:17: questions[1].rubric: an open question that feeds dimensions needs a rubric"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "old", "new", "expected"), BAD, ids=[b[0] for b in BAD])
def test_each_kind_of_bad_profile(what: str, old: str, new: str, expected: str) -> None:
    assert old in GOOD, what
    found = problems(GOOD.replace(old, new, 1))
    assert any(p.startswith(expected) for p in found), found


def test_audio_paths_are_checked_relative_to_the_profile(tmp_path: Path) -> None:
    with_audio = GOOD.replace(
        "      en: Can you work weekends?",
        "      en: Can you work weekends?\n      audio: {en: prompts/shifts.wav}",
    )
    found = problems(with_audio, tmp_path)
    assert found == [
        f"p.yaml:16: questions[0].prompt.audio.en: audio file not found: "
        f"{tmp_path / 'prompts' / 'shifts.wav'}"
    ]
    (tmp_path / "prompts").mkdir()
    with wave.open(str(tmp_path / "prompts" / "shifts.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 80)
    assert problems(with_audio, tmp_path) == []
    not_wav = with_audio.replace("shifts.wav", "shifts.mp3")
    assert problems(not_wav, tmp_path)[0].endswith("audio must be a .wav file: " + str(
        tmp_path / "prompts" / "shifts.mp3"))  # fmt: skip


def test_every_problem_is_reported_at_once() -> None:
    text = GOOD.replace("weight: 40", "weight: 35").replace("type: number", "type: numeric")
    found = problems(text)
    assert len(found) == 1
    assert "type" in found[0]
    text = GOOD.replace("weight: 40", "weight: 35").replace("- id: years", "- id: upset")
    assert len(problems(text)) == 2  # ...then all the rules


def test_yaml_no_means_the_answer_no() -> None:
    text = GOOD.replace("knockout: true", "knockout: {answer: no, reason: weekends}")
    profile, found = check_text(text, "p.yaml")
    assert not found
    assert profile is not None
    ko = profile.question("shifts").knockout
    assert ko is not None
    assert ko.answer == "no"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_shipped_examples_are_valid(path: Path) -> None:
    profile, found = check_file(path)
    assert found == []
    assert profile is not None
    assert sum(d.weight for d in profile.dimensions) == 100


def test_home_service_profile_has_the_seed_competency_model() -> None:
    profile = load_profile(Path(__file__).parent.parent / "examples/home_customer_service_zh.yaml")
    weights = {d.id: d.weight for d in profile.dimensions}
    assert weights == {"communication": 30, "problem_solving": 25, "stress_tolerance": 20,
                       "remote_teamwork": 15, "service_attitude": 10}  # fmt: skip


def test_warehouse_profile_knocks_out_night_shift_and_heavy_work() -> None:
    profile = load_profile(Path(__file__).parent.parent / "examples/warehouse_sorting_zh.yaml")
    assert profile.question("night_shift").knocks_out("no")
    assert profile.question("heavy_lifting").knocks_out("no")
    assert not profile.question("heavy_lifting").knocks_out("yes")


def test_load_profile_raises_input_error_listing_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("weight: 40", "weight: 35"), encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.yaml:4: dimensions: weights must add up"):
        load_profile(bad)


def test_cli_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("type: number", "type: numeric"), encoding="utf-8")
    assert main(["profile", "validate", str(good)]) == 0
    out = capsys.readouterr()
    assert "ok - Acme / Support agent (en): 2 dimensions, 3 questions" in out.out
    assert main(["profile", "validate", str(good), str(bad)]) == 2
    out = capsys.readouterr()
    assert f"{bad}:25: questions[2].type: Input should be" in out.err


def test_cli_show(capsys: pytest.CaptureFixture[str]) -> None:
    path = next(p for p in EXAMPLES if p.name == "warehouse_sorting_zh.yaml")
    assert main(["profile", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "safety_awareness" in out
    assert "25" in out
    assert "answer=no (不能上夜班)" in out
    assert "<2 (每周少于两天)" in out
