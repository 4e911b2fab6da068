"""Load a job profile from YAML, reporting every problem as ``FILE:LINE: key.path: message``.

HR edits these files by hand, so an error must point at the line to fix. PyYAML's composed
node tree keeps the line of every key and value; pydantic reports errors by location
(``("questions", 2, "type")``); :class:`LineMap` joins the two. The cross-field rules of
:mod:`profile_checks` report locations the same way. Duplicate keys, which PyYAML silently
resolves by keeping the last one, are reported too: a duplicated ``prompt:`` is a typo that
would otherwise lose text without a word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from voicebot.errors import InputError
from voicebot.interview import profile_checks
from voicebot.interview.profile import PROMPT_KEYS, Profile

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class LineMap:
    """Line numbers (1-based) of every key and value of a composed YAML document."""

    def __init__(self) -> None:
        self._lines: dict[Loc, int] = {}
        self.duplicates: list[tuple[Loc, int]] = []

    def add(self, node: yaml.Node, loc: Loc = ()) -> None:
        self._lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.duplicates.append(((*loc, key), line))
                seen.add(key)
                self._lines[(*loc, key)] = line
                self.add(value_node, (*loc, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.add(item, (*loc, i))

    def line(self, loc: Sequence[str | int]) -> int | None:
        """The line of ``loc``, or of its nearest ancestor that exists in the file."""
        path = tuple(loc)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get(())


def key_path(loc: Sequence[str | int]) -> str:
    """("questions", 2, "prompt", "zh") -> "questions[2].prompt.zh"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class YamlSyntaxError(InputError):
    """The profile is not valid YAML; ``problem`` says where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def parse_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    """YAML text to plain data and its line map; a syntax error becomes an InputError."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = f"YAML syntax error: {exc.problem or exc}"
        if exc.context:
            started = exc.context_mark
            at = f" started on line {started.line + 1}" if started is not None else ""
            problem += f" ({exc.context}{at})"
        raise YamlSyntaxError(Problem(file, line, "", problem)) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(file, None, "", f"YAML error: {exc}")) from exc
    finally:
        loader.dispose()
    lines = LineMap()
    if node is not None:
        lines.add(node)
    return data, lines


def _resolve_audio(data: Any, base: Path) -> None:
    """Make every ``audio:`` path absolute (relative ones are relative to the profile)."""

    def fix(prompt: Any) -> None:
        if isinstance(prompt, dict) and isinstance(prompt.get("audio"), dict):
            for lang, value in prompt["audio"].items():
                if isinstance(value, str) and value and not Path(value).is_absolute():
                    prompt["audio"][lang] = str(base / value)

    if not isinstance(data, dict):
        return
    for q in data.get("questions") or []:
        if isinstance(q, dict):
            fix(q.get("prompt"))
            fix(q.get("follow_up"))
    prompts = data.get("prompts")
    if isinstance(prompts, dict):
        for key in PROMPT_KEYS:
            fix(prompts.get(key))


def _describe(err: Any) -> str:
    msg = str(err["msg"])
    got = err.get("input")
    if err["type"] in ("missing", "extra_forbidden") or isinstance(got, (dict, list)):
        return msg.replace("Extra inputs are not permitted", "unknown key (check the spelling)")
    return f"{msg} (got {got!r})"


def check_text(
    text: str, file: str, base: Path | None = None
) -> tuple[Profile | None, list[Problem]]:
    """Validate profile YAML text; the profile (if valid) and every problem found."""
    try:
        data, lines = parse_yaml(text, file)
    except YamlSyntaxError as exc:
        return None, [exc.problem]
    problems = [
        Problem(file, line, key_path(loc), "duplicate key (the later value would win)")
        for loc, line in lines.duplicates
    ]
    if not isinstance(data, dict):
        return None, [*problems, Problem(file, 1, "", "a profile is a YAML mapping (key: value)")]
    _resolve_audio(data, base or Path(file).parent)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            problems.append(Problem(file, lines.line(loc), key_path(loc), _describe(err)))
        return None, problems
    for loc, message in profile_checks.check(profile):
        problems.append(Problem(file, lines.line(loc), key_path(loc), message))
    problems.sort(key=lambda p: p.line or 0)
    return (profile if not problems else None), problems


def check_file(path: Path) -> tuple[Profile | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), None, "", f"cannot read: {exc}")]
    return check_text(text, str(path), path.parent)


def load_profile(path: Path) -> Profile:
    """The validated profile, or InputError listing every problem (one per line)."""
    profile, problems = check_file(path)
    if profile is None:
        raise InputError("invalid job profile\n" + "\n".join(f"  {p}" for p in problems))
    return profile
