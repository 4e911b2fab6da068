import pytest

from voicebot.ami.outcomes import Outcome, classify


@pytest.mark.parametrize(
    ("reason", "cause", "rang", "expected"),
    [
        # measured on Asterisk 22 with the scripted candidate (see tests/integration)
        (4, None, True, Outcome.ANSWERED),  # answered
        (0, 17, True, Outcome.BUSY),  # PJSIP 486 Busy Here: Reason 0 + cause 17
        (0, 21, True, Outcome.REJECTED),  # 603 Decline
        (3, 19, True, Outcome.NO_ANSWER),  # rang until the originate timeout
        (0, None, False, Outcome.UNREACHABLE),  # unregistered endpoint: no channel at all
        (3, 19, False, Outcome.UNREACHABLE),  # peer never rang: looks like no-answer otherwise
        # Local channels report busy/congestion in Reason
        (5, None, True, Outcome.BUSY),
        (8, None, True, Outcome.CONGESTION),
        # causes from trunks
        (0, 34, True, Outcome.CONGESTION),
        (0, 20, False, Outcome.UNREACHABLE),
        (0, 1, False, Outcome.UNREACHABLE),
        (0, 18, True, Outcome.NO_ANSWER),
        (0, 16, True, Outcome.NO_ANSWER),  # cleared normally before answer
        (None, None, True, Outcome.FAILED),  # no usable response
        (7, None, True, Outcome.FAILED),
    ],
)
def test_classify(reason: int | None, cause: int | None, rang: bool, expected: Outcome) -> None:
    assert classify(reason, cause, rang) is expected


def test_only_answered_counts_as_reached() -> None:
    assert [o for o in Outcome if o.reached] == [Outcome.ANSWERED]
