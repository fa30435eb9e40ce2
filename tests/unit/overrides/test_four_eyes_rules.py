"""The four-eyes rules as tables: which requests are allowed, who decides, what approval does."""

from __future__ import annotations

import pytest

from clearway.errors import ClearwayError
from clearway.overrides.model import (
    Effects,
    Kind,
    Situation,
    Status,
    check_decider,
    check_request,
    effects,
    sampled,
    written,
)
from clearway.risk.engine.decision import Channel

G, B, Y, R = Channel.GREEN, Channel.BLUE, Channel.YELLOW, Channel.RED
CHANGE, WAIVER, CANCEL = Kind.CHANNEL_CHANGE, Kind.WAIVER, Kind.CANCELLATION


@pytest.mark.parametrize(("kind", "to", "situation", "refused_with"), [
    # Allowed while the goods wait for the selection to be carried out.
    (CHANGE, G, Situation("risk_assessed", R, 1), None),
    (CHANGE, R, Situation("risk_assessed", G, 0), None),
    (CHANGE, B, Situation("under_control", Y, 1), None),
    (WAIVER, None, Situation("under_control", R, 1), None),
    (WAIVER, None, Situation("risk_assessed", B, 2), None),
    (CANCEL, None, Situation("risk_assessed", Y, 1), None),
    (CANCEL, None, Situation("under_control", R, 1), None),
    # No decision: nothing to override.
    (CHANGE, G, Situation("accepted", None, 0), "CW-OVERRIDE-NO-DECISION"),
    (CANCEL, None, Situation("accepted", None, 0), "CW-OVERRIDE-NO-DECISION"),
    # Final states.
    (CHANGE, R, Situation("released", G, 0), "CW-STATE"),
    (WAIVER, None, Situation("released", B, 1), "CW-STATE"),
    (CANCEL, None, Situation("cancelled", R, 0), "CW-STATE"),
    (CHANGE, G, Situation("invalidated", R, 0), "CW-STATE"),
    # No-ops.
    (CHANGE, R, Situation("risk_assessed", R, 1), "CW-OVERRIDE-NOOP"),
    (WAIVER, None, Situation("risk_assessed", R, 0), "CW-OVERRIDE-NOOP"),
    # Malformed: a channel change names its channel, the others name none.
    (CHANGE, None, Situation("risk_assessed", R, 1), "CW-OVERRIDE-KIND"),
    (WAIVER, G, Situation("risk_assessed", R, 1), "CW-OVERRIDE-KIND"),
    (CANCEL, G, Situation("risk_assessed", R, 1), "CW-OVERRIDE-KIND"),
])
def test_which_requests_are_allowed(kind: Kind, to: Channel | None, situation: Situation,
                                    refused_with: str | None) -> None:
    if refused_with is None:
        check_request(kind, to, situation)
        return
    with pytest.raises(ClearwayError) as caught:
        check_request(kind, to, situation)
    assert caught.value.code == refused_with


@pytest.mark.parametrize(("requester", "decider", "status", "refused_with"), [
    (1, 2, Status.PENDING, None),
    (1, 1, Status.PENDING, "CW-FOUR-EYES"),
    (1, 2, Status.APPROVED, "CW-OVERRIDE-DECIDED"),
    (1, 2, Status.REJECTED, "CW-OVERRIDE-DECIDED"),
])
def test_a_second_person_decides_a_pending_request(requester: int, decider: int,
                                                   status: Status,
                                                   refused_with: str | None) -> None:
    if refused_with is None:
        check_decider(requester, decider, status)
        return
    with pytest.raises(ClearwayError) as caught:
        check_decider(requester, decider, status)
    assert caught.value.code == refused_with
    assert caught.value.status == (403 if refused_with == "CW-FOUR-EYES" else 409)


@pytest.mark.parametrize(("kind", "origin", "to", "expected"), [
    (CHANGE, R, G, Effects(new_channel=G, close_tasks_as="waived", release=True,
                           audit_sample=True)),
    (CHANGE, R, B, Effects(new_channel=B, close_tasks_as="waived", open_channel=B,
                           release=True)),
    (CHANGE, R, Y, Effects(new_channel=Y, close_tasks_as="waived", open_channel=Y,
                           audit_sample=True)),
    (CHANGE, Y, R, Effects(new_channel=R, close_tasks_as="cancelled", open_channel=R)),
    (CHANGE, G, R, Effects(new_channel=R, open_channel=R)),
    (CHANGE, B, Y, Effects(new_channel=Y, close_tasks_as="cancelled", open_channel=Y)),
    (WAIVER, R, None, Effects(close_tasks_as="waived", release=True, audit_sample=True)),
    (CANCEL, Y, None, Effects(close_tasks_as="cancelled", cancel=True)),
])
def test_what_approval_does(kind: Kind, origin: Channel, to: Channel | None,
                            expected: Effects) -> None:
    assert effects(kind, origin, to) == expected


@pytest.mark.parametrize(("text", "ok"), [
    (None, False), ("", False), ("   short   ", False), ("x" * 9, False),
    ("x" * 10, True), ("  the seals were checked at the border  ", True),
    ("x" * 2000, True), ("x" * 2001, False),
])
def test_a_written_reason_is_required(text: str | None, ok: bool) -> None:
    if ok:
        assert written(text) == (text or "").strip()
        return
    with pytest.raises(ClearwayError) as caught:
        written(text)
    assert (caught.value.code, caught.value.status) == ("CW-OVERRIDE-REASON", 422)


@pytest.mark.parametrize(("draw", "share", "expected"), [
    (0.0, 0.5, True), (0.49, 0.5, True), (0.5, 0.5, False), (0.99, 1.0, True),
    (0.0, 0.0, False),
])
def test_audit_sample_draw(draw: float, share: float, expected: bool) -> None:
    assert sampled(draw, share) is expected
