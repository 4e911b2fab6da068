from pathlib import Path

import pytest

from voicebot.config import Settings, load_settings
from voicebot.errors import ConfigError


def test_defaults_without_a_file(tmp_path: Path) -> None:
    s = load_settings(tmp_path / "absent.toml" if False else None, env={})
    assert isinstance(s, Settings)
    assert s.ami.port == 5038
    assert s.audiosocket_address == "127.0.0.1:9092"


def test_file_env_and_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("s3cret\n")
    cfg = tmp_path / "v.toml"
    cfg.write_text(
        '[ami]\nsecret_file = "secret"\nport = 5039\n'
        '[storage]\ndata_dir = "data"\n'
        '[audiosocket]\nhost = "0.0.0.0"\nadvertise = "10.0.0.5:9092"\n'
    )
    s = load_settings(
        cfg, env={"VOICEBOT_AMI__PORT": "6000", "VOICEBOT_DIAL__RING_TIMEOUT_S": "12"}
    )
    assert s.ami.port == 6000  # environment wins over the file
    assert s.dial.ring_timeout_s == 12
    assert s.ami.resolved_secret() == "s3cret"
    assert s.storage.data_dir == tmp_path / "data"
    assert s.storage.database == tmp_path / "data" / "voicebot.db"
    assert s.audiosocket_address == "10.0.0.5:9092"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[ami]\nport = 70000\n", "ami.port: Input should be less than or equal to 65535"),
        ("[ami]\nprot = 1\n", "ami.prot: Extra inputs are not permitted"),
        (
            '[dial]\nchannel = "PJSIP/cand1"\n',
            "dial.channel: Value error, must contain the placeholder {number}",
        ),
        (
            '[audiosocket]\nadvertise = "nohost"\n',
            "audiosocket.advertise: Value error, must be host:port",
        ),
        ('[log]\nlevel = "LOUD"\n', "log.level"),
        ("[ami\n", "not valid TOML"),
    ],
)
def test_errors_name_the_file_and_key(tmp_path: Path, toml: str, message: str) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(toml)
    with pytest.raises(ConfigError) as err:
        load_settings(cfg, env={})
    assert str(cfg) in str(err.value)
    assert message in str(err.value)


def test_an_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml", env={})


def test_secret_needs_a_source(tmp_path: Path) -> None:
    s = load_settings(None, env={"VOICEBOT_CONFIG": ""})
    with pytest.raises(ConfigError, match=r"ami\.secret"):
        s.ami.model_copy(update={"secret_file": None}).resolved_secret()


def test_time_zone_is_validated(tmp_path: Path) -> None:
    cfg = tmp_path / "v.toml"
    cfg.write_text('[call]\ntimezone = "Asia/Shanghai"\n')
    assert load_settings(cfg, env={}).call.zone.key == "Asia/Shanghai"
    cfg.write_text('[call]\ntimezone = "Mars/Olympus"\n')
    with pytest.raises(ConfigError, match=r"call\.timezone: Value error, unknown time zone"):
        load_settings(cfg, env={})
