"""Whole interviews on the real call path: Asterisk, pjsua2 candidates playing recorded answers,
the real ASR and TTS models, the interview machine, scoring and the stored report.

Five scripted candidates are interviewed at the same time (voicebot/assets/demo/answers):
a strong English and a strong Mandarin candidate, a Mandarin candidate who fails two
knockouts, one who asks to be called back tomorrow evening, one who opts out at once.
"""

from __future__ import annotations

import asyncio
import wave
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from voicebot.config import Settings
from voicebot.interview.factory import InterviewFactory
from voicebot.service import AttemptResult, Service
from voicebot.speech.accuracy import score as asr_score
from voicebot.testing.analysis import voiced
from voicebot.testing.harness import CandidateProcess
from voicebot.testing.personas import Persona, load_personas
from voicebot.testing.spec import CandidateSpec, ScriptSpec, hangup, say

from .support import ROOT

pytestmark = [pytest.mark.asterisk, pytest.mark.models]

EXAMPLES = ROOT / "examples"
CAST = {"cand12": "en_strong", "cand13": "zh_strong", "cand14": "zh_knockout",
        "cand15": "zh_callback", "cand16": "en_opt_out"}  # fmt: skip


@pytest.fixture(scope="module")
def personas() -> dict[str, Persona]:
    return load_personas()


@pytest.fixture
def interview_settings(settings: Settings) -> Settings:
    # the prompt cache outlives the test's data folder: Kokoro renders a profile in ~80 s
    cache = ROOT / "var" / "prompt-cache"
    return settings.model_copy(
        update={
            "call": settings.call.model_copy(update={"timezone": "Asia/Shanghai"}),
            "speech": settings.speech.model_copy(
                update={"prompt_cache_dir": cache, "models_dir": ROOT / ".cache" / "models"}
            ),
        }
    )


@pytest.mark.timeout(900)  # a cold prompt cache renders every Mandarin prompt first (~80 s)
async def test_five_interviews_at_once(
    interview_settings: Settings, agent_spec, personas: dict[str, Persona]
) -> None:
    spec = agent_spec(*(personas[p].candidate(user) for user, p in CAST.items()))
    async with Service(interview_settings, speech=True) as svc:
        factories = {
            name: await InterviewFactory.prepare(
                EXAMPLES / name, svc.speech, svc.store, interview_settings.call.zone
            )
            for name in sorted({personas[p].profile for p in CAST.values()})
        }
        async with CandidateProcess(spec) as cands:
            await svc.wait_ami()
            tasks = {
                user: svc.start_call(
                    user,
                    conversations=factories[personas[p].profile],
                    **personas[p].call_info(),
                )
                for user, p in CAST.items()
            }
            results = dict(zip(tasks, await asyncio.gather(*tasks.values()), strict=True))
            for user in CAST:
                await cands.wait_event("call_end", timeout=30, user=user)
        stored = {user: await svc.store.interviews.get(r.attempt_id) for user, r in results.items()}
        dnc = {user: await svc.store.do_not_call.contains(user) for user in CAST}

    for user, key in CAST.items():
        check(personas[key], results[user], stored[user], dnc[user])


def check(persona: Persona, result: AttemptResult, row, on_dnc: bool) -> None:
    expect = persona.expect
    label = persona.key
    assert result.outcome == "answered", label
    assert result.call is not None, (label, result.error)
    data = result.call.result.data
    assert result.call.result.outcome == expect["outcome"], (label, data.get("outcome_details"))
    assert data["followup_s"] <= 10, label  # the report is ready within 10 s of the hangup
    assert row is not None, label
    report = row.report
    assert report is not None, label
    assert report["call"]["outcome"] == expect["outcome"]
    assert row.report_html is not None
    assert "<svg" in row.report_html or expect["outcome"] != "completed"

    if expect["outcome"] == "opted_out":
        assert on_dnc, label
        assert report["call"]["do_not_call"] is True
        return
    assert not on_dnc, label
    if expect["outcome"] == "callback":
        callback = report["call"]["callback"]
        assert callback is not None
        at = datetime.fromisoformat(callback["at"])  # 明天晚上: tomorrow 19:00, Beijing time
        assert (at.hour, at.minute, at.utcoffset()) == (19, 0, timedelta(hours=8))
        today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
        assert at.date() == today + timedelta(days=1)
        return

    # completed interviews: every planned question answered, in order, transcribed well
    assert report["call"]["consent"] is True
    questions = {q["id"]: q for q in report["questions"]}
    said: dict[str, list[str]] = {}
    for step, text, _ in persona.answers:  # a follow-up's answer belongs to its question
        said.setdefault(step.removesuffix("_follow_up"), []).append(text)
    for step, texts in said.items():
        if step in questions:
            q = questions[step]
            assert q["status"] == "answered", (label, step, q["status"])
            reference = (" " if persona_language(persona) == "en" else "").join(texts)
            rate = asr_score(reference, q["transcript"], persona_language(persona)).rate
            assert rate <= 0.25, (label, step, rate, q["transcript"])
    knocked = any(k["status"] == "knocked_out" for k in report["knockouts"])
    assert knocked is expect["knocked_out"], label
    recommendation = report["recommendation"]
    assert recommendation["value"] in expect["recommendation"], (label, report["total"])
    assert recommendation["automated_final_decision"] is False
    assert row.total_score == report["total"]
    # latency on the real call path: end of speech -> first frame of the next prompt
    for lat in data["latency"]:
        if lat["next_prompt_s"] is not None:
            gap = lat["next_prompt_s"] - lat["speech_end_s"]
            assert 0 <= gap < 3.0, (label, lat)


def persona_language(persona: Persona) -> str:
    return "zh" if persona.profile.endswith("_zh.yaml") else "en"


def test_personas_are_rendered(personas: dict[str, Persona]) -> None:
    for persona in personas.values():
        for _, text, wav in persona.answers:
            heard = voiced(Path(wav))
            assert heard.voiced_s >= 0.3, (persona.key, text)
            assert heard.duration_s <= 20, (persona.key, text)


@pytest.mark.timeout(600)
async def test_barge_in_cuts_the_prompt_and_the_answer_counts(
    interview_settings: Settings, agent_spec, personas: dict[str, Persona]
) -> None:
    """The candidate answers 1.5 s into the first question: the bot stops talking and listens."""
    persona = personas["en_strong"]
    wavs = {step: wav for step, _, wav in persona.answers}
    steps = (
        say(wavs["consent"]),
        say(wavs["good_time"]),
        say(wavs["availability"], barge_in_after_s=1.5),
        hangup(),  # after the next prompt: enough for this test
    )
    spec = agent_spec(CandidateSpec(user="cand17", script=ScriptSpec(steps=steps)))
    async with Service(interview_settings, speech=True) as svc:
        factory = await InterviewFactory.prepare(
            EXAMPLES / persona.profile, svc.speech, svc.store, interview_settings.call.zone
        )
        async with CandidateProcess(spec):
            await svc.wait_ami()
            result = await svc.place_call("cand17", conversations=factory, **persona.call_info())
    assert result.call is not None
    data = result.call.result.data
    assert data["barge_ins"] == 1
    question = next(q for q in data["report"]["questions"] if q["id"] == "availability")
    assert (question["status"], question["value"], question["barge_ins"]) == ("answered", "yes", 1)

    # voicebot's recording has both sides on one clock: candidate left, bot right
    assert result.call.recording is not None
    cand = frames_voiced(result.call.recording.path, channel=0)
    bot = frames_voiced(result.call.recording.path, channel=1)
    sure = int(data["barge_in_at_s"][0] / 0.020)  # the frame that made the detector sure
    assert any(cand[sure - 10 : sure]), "the candidate was talking"
    assert any(bot[sure - 10 : sure]), "over the bot"
    # the bot falls silent within two frames of the detection (and stays silent >= 1 s)
    silent_from = next(i for i in range(sure - 10, len(bot)) if not any(bot[i : i + 50]))
    assert silent_from - sure <= 2, (silent_from, sure)


def frames_voiced(path: Path, channel: int) -> list[bool]:
    """Per 20 ms frame of one channel: louder than -40 dBFS."""
    with wave.open(str(path)) as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, 2)[:, channel]
    frames = data[: len(data) // 160 * 160].reshape(-1, 160).astype(np.float32) / 32768
    rms = np.sqrt(np.mean(frames**2, axis=1))
    return [bool(v) for v in rms > 10 ** (-40 / 20)]
