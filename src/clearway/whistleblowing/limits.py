"""Limits of the anonymous channel. A sender is never identified, not even by address, so
limits count over all senders together: at most `max_events` in `window_seconds` (reports
sent; receipt codes that matched nothing). Past it the channel answers 429
CW-WHISTLE-BUSY until the oldest event leaves the window. Kept in memory, per process."""

from __future__ import annotations

import math
import threading
from collections import deque
from datetime import datetime, timedelta

from clearway.errors import ClearwayError

SUBMISSIONS = (30, 600.0)      # reports per ten minutes
WRONG_RECEIPTS = (60, 60.0)    # unknown receipt codes per minute


class Busy(ClearwayError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(code="CW-WHISTLE-BUSY",
                         message=("The channel takes no more just now; "
                                  f"try again in {retry_after} seconds"),
                         headers={"Retry-After": str(retry_after)})


class GlobalWindow:
    """Events in a sliding window, over everyone. Thread-safe; holds at most `max_events`
    times and nothing else."""

    def __init__(self, max_events: int, window_seconds: float) -> None:
        self.max_events = max_events
        self.window = timedelta(seconds=window_seconds)
        self._times: deque[datetime] = deque()
        self._lock = threading.Lock()

    def check(self, now: datetime) -> None:
        """Raise Busy when the window is full."""
        with self._lock:
            while self._times and self._times[0] <= now - self.window:
                self._times.popleft()
            if len(self._times) < self.max_events:
                return
            frees_at = self._times[0] + self.window
        raise Busy(max(1, math.ceil((frees_at - now).total_seconds())))

    def count(self, now: datetime) -> None:
        with self._lock:
            self._times.append(now)
            while len(self._times) > self.max_events:
                self._times.popleft()


class ChannelLimits:
    def __init__(self, submissions: tuple[int, float] = SUBMISSIONS,
                 wrong_receipts: tuple[int, float] = WRONG_RECEIPTS) -> None:
        self.submissions = GlobalWindow(*submissions)
        self.wrong_receipts = GlobalWindow(*wrong_receipts)
