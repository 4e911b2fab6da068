"""Every prompt the machine says (bar the callback time) must be prerenderable."""

from pathlib import Path

import pytest

from voicebot.interview.events import Listen, Say
from voicebot.interview.profile_loader import load_profile
from voicebot.interview.prompt_list import fixed_prompts
from voicebot.interview.simulate import Sim
from voicebot.interview.state import Candidate

EXAMPLES = sorted(Path(__file__).resolve().parents[1].joinpath("examples").glob("*.yaml"))

UNCLEAR = {"zh": "嗯那个", "en": "uh well"}
YES = {"zh": "是的可以", "en": "yes sure"}
REPEAT = {"zh": "请再说一遍", "en": "could you repeat that please"}
SHORT = {"zh": "还行", "en": "fine"}
LONG = {
    "zh": "我之前做过两年客服，遇到客户生气的时候我会先安抚情绪，再问清楚问题，最后记录下来跟进。",
    "en": "I worked two years in support; when a customer is angry I listen first, ask what "
    "happened, fix what I can and follow up by email the next day.",
}


def difficult_candidate(sim: Sim, lang: str) -> None:
    """Unclear first, then every kind of detour once per step, then a real answer."""
    seen: dict[object, int] = {}
    for _ in range(300):
        if sim.finished() is not None:
            return
        listens = [c for c in sim.commands if isinstance(c, Listen)]
        key = (listens[-1].question_id, listens[-1].expect) if listens else None
        n = seen[key] = seen.get(key, 0) + 1
        expect = listens[-1].expect if listens else "yes_no"
        if n == 1:
            sim.silence()
        elif n == 2:
            sim.say(REPEAT[lang])
        elif n == 3:
            sim.say(UNCLEAR[lang] if expect != "open" else SHORT[lang])
        else:
            sim.say(LONG[lang] if expect == "open" else YES[lang])
    raise AssertionError("conversation did not finish")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("remote", [True, False])
def test_every_prompt_said_is_in_the_prerender_list(path: Path, remote: bool) -> None:
    profile = load_profile(path)
    keywords = ("远程客服", "remote customer support") if remote else ()
    sim = Sim(profile, Candidate(resume_keywords=keywords))
    sim.start()
    difficult_candidate(sim, profile.language)
    said = [c for c in sim.commands if isinstance(c, Say) and c.prompt_key != "callback_confirm"]
    listed = {(p.text, p.audio) for p in fixed_prompts(profile)}
    missing = [(s.prompt_key, s.text) for s in said if (s.text, s.audio_path) not in listed]
    assert not missing
    assert len(said) > 10  # the walk really went through retries, repeats and follow-ups


def test_the_list_has_no_duplicates_and_covers_every_question() -> None:
    profile = load_profile(EXAMPLES[0])
    listed = fixed_prompts(profile)
    assert len({(p.text, p.audio) for p in listed}) == len(listed)
    keys = {p.key for p in listed}
    assert {f"q:{q.id}" for q in profile.questions} <= keys
