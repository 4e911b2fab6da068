"""The fixed conversation prompts, with zh and en defaults, so a profile need not spell them out.

The greeting must say plainly that this is an automated AI interviewer and that the call is
recorded, and ask for consent (spoken, or keypad 1/2) before anything else happens: the
candidate decides with that knowledge (PIPL art. 14/17, GDPR art. 13). The closing says when
the result comes (within 24 hours) because candidates in the seed reports complained about
hearing nothing back.

Placeholders: ``{company}``, ``{job_title}``, ``{minutes}``, ``{when}`` (callback time),
``{choices}`` (the options of a choice question).
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from voicebot.interview.profile import Language, Profile, Prompt

PLACEHOLDERS = frozenset({"company", "job_title", "minutes", "when", "choices"})

DEFAULTS: dict[str, dict[Language, str]] = {
    "greeting": {
        "zh": "您好，这里是{company}。我是AI自动面试助手，不是真人，今天想和您进行{job_title}"
              "岗位的电话初筛。本次通话会被录音，仅用于招聘评估。",
        "en": "Hello, this is {company}. I am an automated AI interviewer, not a person, calling "
              "about the {job_title} position. This call is recorded for the hiring assessment "
              "only.",
    },
    "consent": {
        "zh": "请问您同意开始面试吗？同意请说“同意”或按1，不同意请按2。",
        "en": "Do you agree to start the interview? Say yes or press 1; to decline, press 2.",
    },
    "consent_retry": {
        "zh": "抱歉，我没有听清。同意开始面试请按1，不同意请按2。",
        "en": "Sorry, I did not catch that. Press 1 to start the interview, or 2 to decline.",
    },
    "declined": {
        "zh": "好的，没问题。本次通话的录音不会保留。感谢您的时间，再见。",
        "en": "No problem. The recording of this call will not be kept. Thank you for your "
              "time, goodbye.",
    },
    "good_time": {
        "zh": "面试大约需要{minutes}分钟。请问您现在方便吗？",
        "en": "The interview takes about {minutes} minutes. Is now a good time?",
    },
    "ask_callback_time": {
        "zh": "好的。请问您什么时候方便？比如今天晚上或者明天下午。",
        "en": "Of course. When would suit you better, for example this evening or tomorrow "
              "afternoon?",
    },
    "callback_confirm": {
        "zh": "好的，我们会在{when}再给您打电话。感谢，再见。",
        "en": "All right, we will call you back {when}. Thank you, goodbye.",
    },
    "repeat": {"zh": "好的，我再说一遍。", "en": "Sure, let me repeat that."},
    "reprompt": {
        "zh": "您还在吗？如果没听清，可以说“请再说一遍”。",
        "en": "Are you still there? If you did not hear me, just say 'please repeat'.",
    },
    "follow_up": {
        "zh": "能再具体说说吗？比如您具体会怎么做，或者举一个您经历过的例子。",
        "en": "Could you tell me a bit more? For example what exactly you would do, or a time "
              "you did it.",
    },
    "answer_retry": {
        "zh": "抱歉，我没有听清您的回答。{choices}",
        "en": "Sorry, I did not catch your answer. {choices}",
    },
    "move_on": {"zh": "没关系，我们继续下一个问题。", "en": "That's all right, let's move on."},
    "anything_else": {
        "zh": "问题就这些。关于您自己，还有什么想补充的吗？比如您的经历或者优势。",
        "en": "That was my last question. Is there anything else you would like to add about "
              "yourself, for example your experience or strengths?",
    },
    "closing": {
        "zh": "感谢您参加{company}{job_title}岗位的面试。我们会在24小时内把结果通知您。"
              "祝您生活愉快，再见。",
        "en": "Thank you for interviewing for the {job_title} position at {company}. You will "
              "hear from us with the result within 24 hours. Goodbye.",
    },
    "opt_out": {
        "zh": "好的，我们以后不会再给您打电话了。打扰您了，再见。",
        "en": "Understood, we will not call you again. Sorry for the disturbance, goodbye.",
    },
    "no_input": {
        "zh": "我好像听不到您的声音，我们稍后再联系您。再见。",
        "en": "I cannot hear you, so we will try again later. Goodbye.",
    },
}  # fmt: skip

RETRY_HINTS: dict[str, dict[Language, str]] = {
    "yes_no": {"zh": "请回答“是”或者“不是”，也可以按1表示是，按2表示不是。",
               "en": "Please answer yes or no, or press 1 for yes and 2 for no."},
    "number": {"zh": "请说一个数字就可以。", "en": "Just a number is fine."},
    "choice": {"zh": "您可以选择：{options}。", "en": "You can choose: {options}."},
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Rendered:
    key: str
    text: str
    audio: str | None


def prompt_for(profile: Profile, key: str) -> Prompt:
    """The profile's own version of a fixed prompt, else the default."""
    own: Prompt | None = getattr(profile.prompts, key)
    if own is not None and own.text(profile.language):
        return own
    return Prompt(**DEFAULTS[key])


def fill(template: str, profile: Profile, **values: str) -> str:
    """Substitute placeholders; unknown ones are rejected at load time by profile_checks."""
    known = {
        "company": profile.company,
        "job_title": profile.job_title,
        "minutes": str(profile.conversation.estimated_minutes),
        "when": "",
        "choices": "",
    }
    known.update(values)
    return template.format_map(known).strip()


def render_fixed(profile: Profile, key: str, **values: str) -> Rendered:
    prompt = prompt_for(profile, key)
    text = prompt.text(profile.language) or DEFAULTS[key][profile.language]
    # a recording cannot say a time or options computed during the call: synthesise those
    audio = None if any(values.values()) else prompt.audio.get(profile.language)
    return Rendered(key, fill(text, profile, **values), audio)


def retry_hint(profile: Profile, qtype: str, options: list[str]) -> str:
    hint = RETRY_HINTS.get(qtype, {}).get(profile.language, "")
    separator = "、" if profile.language == "zh" else ", "
    return hint.replace("{options}", separator.join(options))


def placeholders(template: str) -> set[str]:
    """Names used in ``{...}`` fields of a template (ValueError on broken braces)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
