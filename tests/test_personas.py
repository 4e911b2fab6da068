"""The scripted candidates' answers fit the interview machine step by step.

Run on the pure machine with exact transcripts: every answer must land on the step it was
written for (a scripted candidate cannot react to a follow-up or a retry it does not expect),
and the interview must end as the persona's `expect` says. The call-path test then can only
fail for speech or timing reasons.
"""

from pathlib import Path

import pytest

from voicebot.interview.events import Listen, Say
from voicebot.interview.profile_loader import load_profile
from voicebot.interview.simulate import Sim
from voicebot.interview.state import Candidate
from voicebot.testing.personas import Persona, load_personas

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PERSONAS = load_personas()


def asked(sim: Sim) -> str:
    """The step the machine is listening for now, named like the personas' steps."""
    listen = [c for c in sim.commands if isinstance(c, Listen)][-1]
    last_say = [c for c in sim.commands if isinstance(c, Say)][-1]
    if last_say.prompt_key.endswith(":follow_up"):
        return f"{listen.question_id}_follow_up"
    if listen.question_id:
        return listen.question_id
    names = {"ask_callback_time": "callback_time"}
    return names.get(last_say.prompt_key, last_say.prompt_key)


@pytest.mark.parametrize("persona", PERSONAS.values(), ids=lambda p: p.key)
def test_each_answer_lands_on_its_step(persona: Persona) -> None:
    profile = load_profile(EXAMPLES / persona.profile)
    sim = Sim(profile, Candidate(name=persona.name, resume_keywords=persona.resume_keywords))
    sim.start()
    for step, text, _ in persona.answers:
        sim.play_all()
        assert asked(sim) == step, (persona.key, text)
        sim.say(text)
    finish = sim.finished()
    assert finish is not None, persona.key
    assert finish.outcome == persona.expect["outcome"]
