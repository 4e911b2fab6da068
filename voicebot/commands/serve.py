"""``voicebot serve``: run the service (AMI + AudioSocket + HTTP) until SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from voicebot.call.fixed_prompt import FixedPrompt, FixedPromptConversation
from voicebot.commands.common import settings_from, stop_on_signals
from voicebot.service import Service


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="run the service until SIGTERM")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    script = FixedPrompt.bundled()

    async def main() -> None:
        stop = stop_on_signals()
        async with Service(settings, lambda info: FixedPromptConversation(script)):
            await stop.wait()

    asyncio.run(main())
    return 0
