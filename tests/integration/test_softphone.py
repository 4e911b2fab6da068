"""Interop: the call path with baresip, a softphone nobody in this project wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicebot.call.fixed_prompt import FixedPrompt, FixedPromptConversation
from voicebot.config import Settings
from voicebot.service import Service
from voicebot.speech.audio import read_wav_as_phone, write_wav
from voicebot.testing.analysis import voiced
from voicebot.testing.baresip import BaresipCandidate

from .support import ANSWER_EN, ASSETS, SECRETS, asterisk

pytestmark = pytest.mark.asterisk


async def test_baresip_answers_and_both_sides_hear_each_other(
    settings: Settings, tmp_path: Path
) -> None:
    root = Path(asterisk("path").stdout.strip())
    say = tmp_path / "say.wav"  # 7.5 s of silence (the prompt plays), then the answer
    silence = bytes(int(7.5 * 8000) * 2)
    write_wav(say, silence + read_wav_as_phone(ANSWER_EN) + bytes(4 * 8000 * 2))
    secret = (SECRETS / "candidates").read_text().strip()
    prompt = FixedPrompt.bundled()
    async with (
        BaresipCandidate(root, "cand18", secret, say) as phone,
        Service(settings, lambda info: FixedPromptConversation(prompt)) as svc,
    ):
        await svc.wait_ami()
        result = await svc.place_call("cand18")
    assert result.outcome == "answered"
    assert result.call is not None
    assert result.call.result.outcome == "completed"
    answer = voiced(ANSWER_EN)
    assert result.call.result.data["answer_start_s"] == pytest.approx(7.5 + answer.first_s, abs=0.4)
    assert result.call.result.data["answer_s"] == pytest.approx(
        answer.last_s - answer.first_s, abs=0.35
    )
    played = voiced(ASSETS / "hello_en.wav").voiced_s + voiced(ASSETS / "goodbye_en.wav").voiced_s
    assert voiced(phone.heard).voiced_s == pytest.approx(played, abs=0.4)
