"""Failed sign-in throttling: a sliding-window limiter keyed by client address.

After `max_failures` failed authentications from one address within `window_seconds`, that
address's further attempts are refused (429 CW-THROTTLED with Retry-After) until the oldest
of those failures leaves the window. A success resets nothing: otherwise one valid token
would buy unlimited guesses of others. Time is passed in (`now`), so tests drive it.

Each failure is also written to a log every process shares (`shared`, the database), and
the process takes its count from there: a process that sees one failure of an address
already over the limit elsewhere blocks it at once. So N processes allow at most the limit
plus N - 1 failures per window, and a restart forgets nothing. Checks between failures read
memory only, so a request costs no database read. If the shared log cannot be written the
process counts alone and says so in its log. The limits apply to whatever address the
server sees, so behind a proxy run the server with proxy headers trusted
(uvicorn --proxy-headers --forwarded-allow-ips=...)."""

from __future__ import annotations

import logging
import math
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from clearway.errors import ClearwayError

log = logging.getLogger(__name__)
# Log a failure of `key` at `now`; answer its failures within `window`, oldest first.
SharedLog = Callable[[str, datetime, timedelta], list[datetime]]


class Throttled(ClearwayError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(code="CW-THROTTLED",
                         message=("Too many failed sign-ins from this address; "
                                  f"try again in {retry_after} seconds"),
                         headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class SignInThrottle:
    """Failures per key (a client address) in a sliding window. Thread-safe; memory bounded
    by `max_keys` (when full, keys whose failures all left the window are dropped first)."""

    def __init__(self, max_failures: int, window_seconds: float,
                 max_keys: int = 100_000, shared: SharedLog | None = None) -> None:
        self.max_failures = max_failures
        self.window = timedelta(seconds=window_seconds)
        self._max_keys = max_keys
        self._shared = shared
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_failures > 0 and self.window > timedelta(0)

    def _recent(self, key: str, now: datetime) -> deque[datetime] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times

    def retry_after(self, key: str, now: datetime) -> int | None:
        """Seconds until `key` may try again, or None when it may try now."""
        if not self.enabled:
            return None
        with self._lock:
            times = self._recent(key, now)
            if times is None or len(times) < self.max_failures:
                return None
            # The attempt is allowed again when enough failures have aged out.
            frees_at = times[len(times) - self.max_failures] + self.window
        return max(1, math.ceil((frees_at - now).total_seconds()))

    def check(self, key: str, now: datetime) -> None:
        """Raise Throttled when `key` must wait."""
        wait = self.retry_after(key, now)
        if wait is not None:
            raise Throttled(wait)

    def failed(self, key: str, now: datetime) -> None:
        if not self.enabled:
            return
        everywhere = self._everywhere(key, now)
        with self._lock:
            if key not in self._failures and len(self._failures) >= self._max_keys:
                for old in list(self._failures):
                    self._recent(old, now)
                if len(self._failures) >= self._max_keys:
                    self._failures.clear()
            if everywhere is not None:
                self._failures[key] = times = deque(everywhere)
            else:
                times = self._recent(key, now) or self._failures.setdefault(key, deque())
                times.append(now)
            while len(times) > self.max_failures:   # older ones no longer matter
                times.popleft()

    def _everywhere(self, key: str, now: datetime) -> list[datetime] | None:
        """The key's failures in the window as the shared log has them (this one included),
        or None when there is no shared log or it cannot be reached."""
        if self._shared is None:
            return None
        try:
            return self._shared(key, now, self.window)
        except Exception:   # any storage failure: throttle on this process's count alone
            log.warning("sign-in failure log unavailable; counting in this process only",
                        exc_info=True)
            return None

    def failures(self, key: str, now: datetime) -> int:
        with self._lock:
            times = self._recent(key, now)
            return 0 if times is None else len(times)


def client_key(request: Any) -> str:
    """The key of a request's client: its address as the server sees it."""
    client = getattr(request, "client", None)
    return f"ip:{client.host}" if client is not None and client.host else "ip:unknown"


def for_app(request: Any) -> SignInThrottle:
    """The application's throttle, made on first use from its context's settings."""
    state = request.app.state
    found = getattr(state, "signin_throttle", None)
    if found is None:
        with _MAKING:
            found = getattr(state, "signin_throttle", None)
            if found is None:
                from clearway.users.repository import FailureLog

                ctx = state.context
                found = SignInThrottle(ctx.settings.signin_max_failures,
                                       ctx.settings.signin_window_seconds,
                                       shared=FailureLog(ctx).record)
                state.signin_throttle = found
    assert isinstance(found, SignInThrottle)
    return found


_MAKING = threading.Lock()
