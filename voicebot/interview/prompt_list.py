"""Every fixed text the interview machine can say for a profile, for prerendering.

A call must never wait for the synthesis of a fixed prompt (Kokoro runs at ~0.6 x real time
on 2 cores): before a campaign starts, everything listed here is rendered into the prompt
cache. Only the callback confirmation (it says a time computed during the call) is left out:
the driver streams it sentence by sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicebot.interview import prompts
from voicebot.interview.profile import Profile

_DYNAMIC = {"callback_confirm"}
"""Fixed prompts with a value computed during the call ({when})."""
_RETRY_HINT_KEYS = {"yes_no", "number", "choice"}
"""Entries of prompts.DEFAULTS that are hints inside answer_retry, not prompts of their own."""


@dataclass(frozen=True, slots=True)
class FixedPrompt:
    key: str
    text: str
    audio: str | None
    """A recorded file replaces synthesis for this prompt."""


def fixed_prompts(profile: Profile) -> list[FixedPrompt]:
    lang = profile.language
    found: dict[tuple[str, str | None], FixedPrompt] = {}

    def add(key: str, text: str, audio: str | None) -> None:
        if text:
            found.setdefault((text, audio), FixedPrompt(key, text, audio))

    for key in prompts.DEFAULTS:
        if key in _DYNAMIC or key in _RETRY_HINT_KEYS:
            continue
        if key == "answer_retry":
            for hint in _retry_hints(profile):
                r = prompts.render_fixed(profile, key, choices=hint)
                add(key, r.text, r.audio)
            continue
        r = prompts.render_fixed(profile, key)
        add(key, r.text, r.audio)
    default_follow_up = prompts.render_fixed(profile, "follow_up")
    for q in profile.questions:
        add(f"q:{q.id}", q.prompt.text(lang) or "", q.prompt.audio.get(lang))
        if q.follow_up is not None and q.follow_up.text(lang):
            add(f"q:{q.id}:follow_up", q.follow_up.text(lang) or "", q.follow_up.audio.get(lang))
        else:
            add(f"q:{q.id}:follow_up", default_follow_up.text, default_follow_up.audio)
    return list(found.values())


def _retry_hints(profile: Profile) -> list[str]:
    lang = profile.language
    hints = [prompts.retry_hint(profile, "yes_no", [])]  # consent / good time
    for q in profile.questions:
        options = [phrases[0] for c in q.choices if (phrases := c.phrases(lang))]
        hints.append(prompts.retry_hint(profile, q.type, options))
    return list(dict.fromkeys(hints))
