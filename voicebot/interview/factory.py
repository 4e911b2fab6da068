"""Interviews for one job profile: prepared once (snapshot, prerendered prompts), then one
conversation per call.

``prepare`` does the slow work before the first call is dialled — it loads and validates the
profile, stores the exact text it used (reports stay interpretable after HR edits the file),
validates recorded prompts, and renders every fixed prompt into the prompt cache — so a call
never waits for synthesis of a fixed prompt.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, tzinfo
from pathlib import Path

from voicebot.call.api import CallInfo
from voicebot.interview import intents
from voicebot.interview.driver import InterviewConversation, InterviewSetup
from voicebot.interview.profile import Profile
from voicebot.interview.profile_loader import load_profile
from voicebot.interview.prompt_list import fixed_prompts
from voicebot.interview.scoring import AnswerText, score_open
from voicebot.interview.state import Candidate
from voicebot.logs import fields
from voicebot.speech.stack import SpeechStack
from voicebot.speech.tts_recorded import load_recorded_prompt
from voicebot.store.db import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class InterviewFactory:
    profile: Profile
    profile_id: str
    prerendered: frozenset[str]
    speech: SpeechStack
    timezone: tzinfo

    @classmethod
    async def prepare(
        cls, path: Path, speech: SpeechStack, store: Store, timezone: tzinfo = UTC
    ) -> InterviewFactory:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8")
        profile = await asyncio.to_thread(load_profile, path)
        pid = await store.profiles.save(
            text, f"{profile.company} / {profile.job_title}", profile.language, str(path)
        )
        prompts = fixed_prompts(profile)
        for p in prompts:  # recorded prompts: checked now, not when a candidate is listening
            if p.audio:
                await asyncio.to_thread(load_recorded_prompt, Path(p.audio))
        synthesised = [p.text for p in prompts if not p.audio]
        await asyncio.to_thread(_warm_up, profile)
        await speech.warm({profile.language})
        report = await speech.prerender(synthesised, profile.language)
        log.info(
            "profile ready",
            extra=fields(
                profile=pid[:12],
                prompts=report.prompts,
                rendered=report.rendered,
                prerender_s=report.elapsed_s,
            ),
        )
        return cls(profile, pid, frozenset(synthesised), speech, timezone)

    def __call__(self, info: CallInfo) -> InterviewConversation:
        keywords = info.extra.get("resume_keywords", ())
        candidate = Candidate(
            candidate_id=info.candidate_id,
            name=info.candidate_name,
            resume_keywords=tuple(str(k) for k in keywords),
        )
        setup = InterviewSetup(
            profile=self.profile,
            profile_id=self.profile_id,
            candidate=candidate,
            prerendered=self.prerendered,
            timezone=self.timezone,
        )
        return InterviewConversation(setup, self.speech)


def _warm_up(profile: Profile) -> None:
    """Pay the one-time costs (pinyin dictionary, lexicons: ~300 ms) before a call can."""
    lang = profile.language
    sample = (
        "好的，可以，我会先问清楚客户的需求" if lang == "zh" else "yes, I would ask what they need"
    )
    intents.classify(sample)
    intents.yes_no(sample)
    for q in profile.questions:
        if q.type == "open":
            score_open(q, AnswerText(sample), lang)
            break
