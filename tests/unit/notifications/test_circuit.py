"""The webhook circuit breaker's transitions, step by step against an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clearway.clock import FixedClock
from clearway.notifications.circuit import CLOSED, HALF_OPEN, OPEN, Circuit

COOL = timedelta(minutes=5)
LEASE = timedelta(minutes=2)

# (event, seconds to advance the clock first, expected state, failures, admission after it)
STEPS = [
    ("fail", 0, CLOSED, 1, "send"),
    ("fail", 10, CLOSED, 2, "send"),
    ("fail", 10, OPEN, 3, "rest"),        # the third in a row opens it
    ("none", 299, OPEN, 3, "rest"),       # cooling: nothing is sent
    ("none", 1, OPEN, 3, "probe"),        # cooled: one probe may go
    ("probe", 0, HALF_OPEN, 3, "rest"),   # the probe is out: nobody else probes
    ("fail", 5, OPEN, 4, "rest"),         # a failed probe opens it for another period
    ("none", 300, OPEN, 4, "probe"),
    ("probe", 0, HALF_OPEN, 4, "rest"),
    ("none", 120, HALF_OPEN, 4, "probe"),  # the prober died: after its lease, probe again
    ("probe", 0, HALF_OPEN, 4, "rest"),
    ("ok", 1, CLOSED, 0, "send"),          # a good probe closes it
    ("fail", 1, CLOSED, 1, "send"),        # and the count starts again
    ("ok", 1, CLOSED, 0, "send"),
]


def test_transitions() -> None:
    clock = FixedClock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    circuit = Circuit()
    assert circuit.admits(clock.now()) == "send"
    for event, wait, state, failures, admission in STEPS:
        clock.advance(seconds=wait)
        now = clock.now()
        if event == "fail":
            circuit = circuit.failed(now, threshold=3, cooldown=COOL)
        elif event == "ok":
            circuit = circuit.succeeded()
        elif event == "probe":
            assert circuit.admits(now) == "probe"
            circuit = circuit.probing(now + LEASE)
        assert (circuit.state, circuit.failures, circuit.admits(now)) == (
            state, failures, admission), (event, wait)


@pytest.mark.parametrize("threshold", [1, 2, 5])
def test_opens_after_exactly_threshold_failures(threshold: int) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    circuit = Circuit()
    for _ in range(threshold - 1):
        circuit = circuit.failed(now, threshold=threshold, cooldown=COOL)
        assert circuit.state == CLOSED
    circuit = circuit.failed(now, threshold=threshold, cooldown=COOL)
    assert circuit.state == OPEN and circuit.open_until == now + COOL
