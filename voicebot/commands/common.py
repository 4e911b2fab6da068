"""Helpers shared by commands: settings loading and signal-driven shutdown."""

from __future__ import annotations

import argparse
import asyncio
import signal

from voicebot import logs
from voicebot.config import Settings, load_settings


def settings_from(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    logs.setup(args.log_level or settings.log.level, args.log_format or settings.log.format)
    return settings


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGTERM/SIGINT (installed on the running loop)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop
