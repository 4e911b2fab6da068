"""Map what Asterisk reports about an originate to a dial outcome (pure, table-tested).

OriginateResponse's ``Reason`` alone is not enough (measured on Asterisk 22):
- 4: answered;
- 3: nobody answered within the timeout — also what an unreachable SIP peer gives;
- 5 / 8: busy / congestion, but only on Local channels;
- 0: generic failure: an unregistered endpoint (no channel is created at all) AND a PJSIP
  ``486 Busy Here`` (the channel's Hangup event carries Cause 17).
So the dialer also collects the Q.850 cause from the channel's Hangup event and both go here.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    REJECTED = "rejected"
    CONGESTION = "congestion"
    UNREACHABLE = "unreachable"
    FAILED = "failed"

    @property
    def reached(self) -> bool:
        return self is Outcome.ANSWERED


# OriginateResponse Reason codes (AST_CONTROL_* values reported by pbx_outgoing)
REASON_FAILURE = 0
REASON_HANGUP = 1
REASON_RINGING = 3
REASON_ANSWERED = 4
REASON_BUSY = 5
REASON_CONGESTION = 8

# Q.850 hangup causes (Asterisk's AST_CAUSE_*)
_CAUSES: dict[int, Outcome] = {
    1: Outcome.UNREACHABLE,  # unallocated number
    2: Outcome.UNREACHABLE,  # no route to network
    3: Outcome.UNREACHABLE,  # no route to destination
    17: Outcome.BUSY,  # user busy (SIP 486/600)
    18: Outcome.NO_ANSWER,  # no user responding (SIP 408/480 after ringing)
    19: Outcome.NO_ANSWER,  # no answer
    20: Outcome.UNREACHABLE,  # subscriber absent (not registered)
    21: Outcome.REJECTED,  # call rejected (SIP 603 Decline)
    22: Outcome.UNREACHABLE,  # number changed
    27: Outcome.UNREACHABLE,  # destination out of order
    28: Outcome.UNREACHABLE,  # invalid number format
    34: Outcome.CONGESTION,  # no circuit available (SIP 503)
    38: Outcome.CONGESTION,  # network out of order
    41: Outcome.CONGESTION,  # temporary failure
    42: Outcome.CONGESTION,  # switching equipment congestion
    44: Outcome.CONGESTION,  # requested channel not available
}

# Reasons that say enough by themselves (5/8 come from Local channels only)
_REASONS: dict[int, Outcome] = {
    REASON_BUSY: Outcome.BUSY,
    REASON_CONGESTION: Outcome.CONGESTION,
    REASON_RINGING: Outcome.NO_ANSWER,
}


def classify(reason: int | None, cause: int | None, rang: bool = True) -> Outcome:
    """Outcome of an originate from its Reason, the channel's hangup cause (if any) and
    whether the far end ever rang (a ``Newstate: Ringing`` event for the channel).

    A peer that never rang was not reached: Asterisk reports an unreachable SIP peer exactly
    like an unanswered one (Reason 3, cause 19), so ``rang`` tells them apart.
    """
    if reason == REASON_ANSWERED:
        return Outcome.ANSWERED
    if not rang and (reason == REASON_RINGING or cause in (18, 19)):
        return Outcome.UNREACHABLE
    if cause is not None and cause in _CAUSES:
        return _CAUSES[cause]
    if reason is not None and reason in _REASONS:
        return _REASONS[reason]
    if reason in (REASON_FAILURE, REASON_HANGUP):
        # No channel-level cause: the channel could not even be created (unregistered
        # endpoint, no contact) — or it was created and cleared normally before answer.
        return Outcome.UNREACHABLE if cause is None else Outcome.NO_ANSWER
    return Outcome.FAILED
