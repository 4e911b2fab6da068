"""The job profile: what the bot asks for one job and how it judges the answers.

HR writes it as YAML (see ``examples/``); :mod:`profile_loader` parses it with line numbers
and :mod:`profile_checks` adds the rules that span fields (weights add up to 100, every
referenced dimension exists, ...). These models only describe shapes and single-field limits.

Timing fields left out take defaults that depend on the question type: a yes/no answer ends
after a short pause (350 ms of silence) so the bot feels quick, an open answer only after a
longer one (800 ms) so a candidate who pauses to think is not cut off.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
QuestionType = Literal["open", "yes_no", "number", "choice"]
YesNo = Literal["yes", "no"]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _yaml_yes_no(value: Any) -> Any:
    """YAML 1.1 reads an unquoted ``no`` as False: HR means the answer "no"."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


class Prompt(_Model):
    """Something the bot says, in one or both languages, optionally pre-recorded."""

    zh: str | None = None
    en: str | None = None
    audio: dict[Language, str] = Field(default_factory=dict)
    """A WAV file per language, played instead of synthesising the text (relative paths are
    relative to the profile file)."""

    def text(self, language: Language) -> str | None:
        return self.zh if language == "zh" else self.en


class Dimension(_Model):
    """One competency of the model, e.g. communication with weight 30."""

    id: Identifier
    name: str
    weight: int = Field(ge=0, le=100)
    indicators: list[Phrase] = Field(default_factory=list)
    """Behavioural indicators: what a strong candidate shows (shown to recruiters)."""


class Rubric(_Model):
    """Phrases a recruiter listens for; matched fuzzily (see :mod:`matching`)."""

    strong: list[Phrase] = Field(default_factory=list)
    average: list[Phrase] = Field(default_factory=list)
    weak: list[Phrase] = Field(default_factory=list)
    """Generic, vague statements ("尽量满足客户"): some credit, not much."""
    actions: list[Phrase] = Field(default_factory=list)
    """Concrete actions for this question, on top of the built-in action verbs."""
    negative: list[Phrase] = Field(default_factory=list)
    """Statements that cost points ("直接挂电话", "argue with the customer")."""


class Knockout(_Model):
    """When an answer disqualifies (flagged for the recruiter; the call still ends politely)."""

    answer: YesNo | None = None
    """yes_no: this answer knocks out (``knockout: true`` means "no")."""
    min: float | None = None
    """number: a value below this knocks out."""
    max: float | None = None
    """number: a value above this knocks out."""
    choices: list[str] = Field(default_factory=list)
    """choice: choosing one of these ids knocks out."""
    reason: str = ""
    """What the recruiter reads, e.g. "cannot work night shifts"."""

    @field_validator("choices", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("answer", mode="before")
    @classmethod
    def _answer(cls, value: Any) -> Any:
        return _yaml_yes_no(value)


class Choice(_Model):
    id: Identifier
    zh: list[Phrase] = Field(default_factory=list)
    """What a candidate may say to pick it (the first one is read back on a retry)."""
    en: list[Phrase] = Field(default_factory=list)
    score: int | None = Field(None, ge=0, le=100)

    def phrases(self, language: Language) -> list[str]:
        return self.zh if language == "zh" else self.en


class NumberBand(_Model):
    """number questions: answers in [min, max) are worth ``score``."""

    min: float | None = None
    max: float | None = None
    score: int = Field(ge=0, le=100)


class Branch(_Model):
    """Ask a question only for some candidates, by the keywords of their resume."""

    resume_has_any: list[Phrase] = Field(default_factory=list)
    resume_has_none: list[Phrase] = Field(default_factory=list)


_DEFAULTS: dict[str, tuple[int, float, float]] = {
    # type -> (end-of-turn hangover ms, max answer s, silence timeout s)
    "open": (800, 90.0, 7.0),
    "yes_no": (350, 10.0, 5.0),
    "number": (500, 15.0, 6.0),
    "choice": (500, 15.0, 6.0),
}


class Question(_Model):
    id: Identifier
    type: QuestionType
    prompt: Prompt
    dimensions: dict[str, float] = Field(default_factory=dict)
    """Dimension id -> how much this question counts towards it (relative weights)."""
    rubric: Rubric | None = None
    knockout: Knockout | None = None
    max_answer_s: float | None = Field(None, gt=0, le=600)
    silence_timeout_s: float | None = Field(None, gt=0, le=60)
    hangover_ms: int | None = Field(None, ge=150, le=3000)
    min_answer_s: float = Field(2.5, ge=0, le=30)
    """An open answer with less speech than this is looked at (text) before moving on."""
    min_answer_size: int | None = Field(None, ge=0)
    """Fewer characters (zh) / words (en) than this gets one follow-up (default 15 / 8)."""
    follow_up: Prompt | None = None
    choices: list[Choice] = Field(default_factory=list)
    unit: Literal["years", "months", "days", "hours", "minutes"] | None = None
    points: list[NumberBand] = Field(default_factory=list)
    expected: YesNo | None = None
    """yes_no questions that feed dimensions: the answer worth 100 (the other is worth 0)."""
    when: Branch | None = None

    @field_validator("knockout", mode="before")
    @classmethod
    def _knockout_shorthand(cls, value: Any) -> Any:
        if value is True:
            return {"answer": "no"}
        if value is False:
            return None
        return value

    @field_validator("expected", mode="before")
    @classmethod
    def _expected(cls, value: Any) -> Any:
        return _yaml_yes_no(value)

    @property
    def effective_hangover_ms(self) -> int:
        return self.hangover_ms or _DEFAULTS[self.type][0]

    @property
    def effective_max_answer_s(self) -> float:
        return self.max_answer_s or _DEFAULTS[self.type][1]

    @property
    def effective_silence_timeout_s(self) -> float:
        return self.silence_timeout_s or _DEFAULTS[self.type][2]

    def knocks_out(self, value: str | float | None) -> bool:
        """Whether this answer value trips the knockout rule (unclear answers never do:
        they go to the recruiter instead)."""
        ko = self.knockout
        if ko is None or value is None:
            return False
        if self.type == "yes_no":
            return value == ko.answer
        if self.type == "choice":
            return value in ko.choices
        if self.type == "number" and isinstance(value, float | int):
            return (ko.min is not None and value < ko.min) or (
                ko.max is not None and value > ko.max
            )
        return False

    def effective_min_answer_size(self, language: Language) -> int:
        if self.min_answer_size is not None:
            return self.min_answer_size
        return 15 if language == "zh" else 8


PROMPT_KEYS = (
    "greeting", "consent", "consent_retry", "declined", "good_time", "ask_callback_time",
    "callback_confirm", "repeat", "reprompt", "follow_up", "answer_retry", "move_on",
    "anything_else", "closing", "opt_out", "no_input",
)  # fmt: skip
"""The fixed parts of every conversation; :mod:`prompts` has zh and en defaults for each."""


class ConversationPrompts(_Model):
    """Overrides of the fixed prompts; any left out use the defaults of :mod:`prompts`."""

    greeting: Prompt | None = None
    consent: Prompt | None = None
    consent_retry: Prompt | None = None
    declined: Prompt | None = None
    good_time: Prompt | None = None
    ask_callback_time: Prompt | None = None
    callback_confirm: Prompt | None = None
    repeat: Prompt | None = None
    reprompt: Prompt | None = None
    follow_up: Prompt | None = None
    answer_retry: Prompt | None = None
    move_on: Prompt | None = None
    anything_else: Prompt | None = None
    closing: Prompt | None = None
    opt_out: Prompt | None = None
    no_input: Prompt | None = None


class ConversationSettings(_Model):
    silence_timeout_s: float = Field(6.0, gt=0, le=60)
    """Silence after the fixed prompts (consent, good time, anything else)."""
    transcript_timeout_s: float = Field(5.0, gt=0, le=30)
    """How long to wait for a transcript the machine asked for before going on without it."""
    max_silent_questions: int = Field(2, ge=1)
    """This many questions in a row without a word: the line is dead, end the call."""
    callback_default_delay_min: int = Field(120, ge=5)
    """Callback delay when the candidate asked to be called later without naming a time."""
    estimated_minutes: int = Field(10, ge=1, le=60)
    """Said in the good-time check ("about {minutes} minutes")."""


class ScoringSettings(_Model):
    advance_at: int = Field(70, ge=0, le=100)
    """Total at or above this (and no knockout): recommend ``advance``."""
    review_at: int = Field(50, ge=0, le=100)
    """Total at or above this: ``review``; below: ``reject`` (always pending human review)."""
    speech_dimension: str | None = None
    """Dimension that speech fluency (rate, pauses, response time) counts towards."""
    speech_weight: int = Field(15, ge=0, le=50)
    """Percent of that dimension's score that comes from fluency."""


class Profile(_Model):
    version: Literal[1] = 1
    company: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    job_title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    language: Language
    dimensions: list[Dimension] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    prompts: ConversationPrompts = ConversationPrompts()
    conversation: ConversationSettings = ConversationSettings()
    scoring: ScoringSettings = ScoringSettings()

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)
