"""The ``voicebot`` command line. Each subcommand lives in voicebot/commands/<name>.py."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from voicebot import __version__, commands, logs
from voicebot.errors import VoicebotError
from voicebot.speech import memory


def command_modules() -> list[str]:
    """Every module in voicebot/commands/ that defines register(subparsers)."""
    names = []
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not info.name.startswith("_") and info.name != "common":
            names.append(f"voicebot.commands.{info.name}")
    return names


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voicebot", description="AI phone-screening interviews on Asterisk"
    )
    parser.add_argument("--version", action="version", version=f"voicebot {__version__}")
    parser.add_argument("--config", type=Path, help="settings file (default: ./voicebot.toml)")
    parser.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.add_argument("--log-format", choices=["text", "json"])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in command_modules():
        module = importlib.import_module(name)
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logs.setup(args.log_level or "INFO", args.log_format or "text")
    if argv is None and getattr(args, "loads_models", False):
        memory.reexec_with_huge_pages()  # glibc reads its tunables at process start only
    try:
        return int(args.func(args))
    except VoicebotError as exc:
        sys.stderr.write(f"voicebot: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
