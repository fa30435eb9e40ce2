"""A circuit breaker per trader's webhook, so that a dead endpoint costs nothing.

Closed: notifications are pushed. After `threshold` consecutive failed deliveries the circuit
opens: nothing is sent to that webhook for a cooling period (the notifications wait in the
trader's pull queue; none is dropped). Then one notification probes it (half-open): success
closes the circuit and the rest follow, failure opens it for another period. The state is
stored on the webhook's row so every dispatcher process, and a restart, share it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"
Admission = Literal["send", "probe", "rest"]


@dataclass(frozen=True)
class Circuit:
    state: str = CLOSED
    failures: int = 0   # consecutive failed deliveries
    # OPEN: nothing before this. HALF_OPEN: the probe's lease ends then (a dispatcher that
    # died while probing must not keep the circuit half-open for ever).
    open_until: datetime | None = None

    def admits(self, now: datetime) -> Admission:
        if self.state == CLOSED:
            return "send"
        if self.open_until is None or now >= self.open_until:
            return "probe"
        return "rest"

    def probing(self, until: datetime) -> Circuit:
        return replace(self, state=HALF_OPEN, open_until=until)

    def succeeded(self) -> Circuit:
        return Circuit()

    def failed(self, now: datetime, *, threshold: int, cooldown: timedelta) -> Circuit:
        failures = self.failures + 1
        if self.state != CLOSED or failures >= threshold:
            return Circuit(OPEN, failures, now + cooldown)
        return Circuit(CLOSED, failures, None)
