"""The failed sign-in limiter: a sliding window per client address, driven by the time passed
in; successes reset nothing; addresses do not share counts; memory stays bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clearway.users.throttle import SignInThrottle, Throttled

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


# (failure times in seconds, time of the check, expected wait or None), limit 3 in 60 s
CASES = [
    ([], 0, None),
    ([0, 1], 2, None),                    # two failures: still allowed
    ([0, 1, 2], 3, 57),                   # third: wait until the first leaves the window
    ([0, 1, 2], 59.5, 1),                 # rounds up, never 0
    ([0, 1, 2], 60, None),                # the first failure left the window
    ([0, 1, 2, 30], 60, 1),               # sliding: failures at 1, 2, 30 still count
    ([0, 10, 20, 30, 40], 45, 35),        # only the newest three matter: frees at 20+60
    ([0, 100, 200], 201, None),           # spread out: never three within a window
]


@pytest.mark.parametrize(("failures", "now", "wait"), CASES)
def test_wait_follows_the_sliding_window(failures: list[float], now: float,
                                         wait: int | None) -> None:
    throttle = SignInThrottle(max_failures=3, window_seconds=60)
    for second in failures:
        throttle.failed("ip:a", at(second))
    assert throttle.retry_after("ip:a", at(now)) == wait


def test_check_raises_a_coded_429_with_retry_after() -> None:
    throttle = SignInThrottle(max_failures=2, window_seconds=300)
    throttle.check("ip:a", at(0))
    throttle.failed("ip:a", at(0))
    throttle.failed("ip:a", at(10))
    with pytest.raises(Throttled) as caught:
        throttle.check("ip:a", at(20))
    error = caught.value
    assert (error.code, error.status, error.headers) == ("CW-THROTTLED", 429,
                                                         {"Retry-After": "280"})


def test_addresses_are_counted_apart() -> None:
    throttle = SignInThrottle(max_failures=2, window_seconds=60)
    for second in (0, 1):
        throttle.failed("ip:a", at(second))
    throttle.failed("ip:b", at(1))
    assert throttle.retry_after("ip:a", at(2)) is not None
    assert throttle.retry_after("ip:b", at(2)) is None
    assert (throttle.failures("ip:a", at(2)), throttle.failures("ip:b", at(2))) == (2, 1)


@pytest.mark.parametrize(("max_failures", "window"), [(0, 60), (3, 0)])
def test_zero_disables(max_failures: int, window: float) -> None:
    throttle = SignInThrottle(max_failures=max_failures, window_seconds=window)
    for second in range(10):
        throttle.failed("ip:a", at(second))
    assert throttle.retry_after("ip:a", at(10)) is None


def test_memory_stays_bounded_and_keeps_live_keys_when_it_can() -> None:
    throttle = SignInThrottle(max_failures=2, window_seconds=60, max_keys=3)
    throttle.failed("ip:live", at(100))
    throttle.failed("ip:live", at(101))
    for n in range(2):
        throttle.failed(f"ip:old{n}", at(0))       # out of the window by t=100
    throttle.failed("ip:new", at(102))             # full: the stale keys go, not the live one
    assert throttle.retry_after("ip:live", at(102)) is not None
    for n in range(10):
        throttle.failed(f"ip:flood{n}", at(103))
    assert len(throttle._failures) <= 3


class Log:
    """A shared failure log standing in for the database several processes share."""

    def __init__(self) -> None:
        self.times: dict[str, list[datetime]] = {}
        self.down = False

    def record(self, key: str, now: datetime, window: timedelta) -> list[datetime]:
        if self.down:
            raise ConnectionError("database unreachable")
        kept = [t for t in self.times.get(key, []) if t > now - window] + [now]
        self.times[key] = kept
        return kept


# (failures in process A, then in process B, seconds; wait in B at the last one + 1 s)
SHARED = [
    ([0, 1, 2], [], None),    # B saw nothing and reads memory only: no wait yet
    ([0, 1, 2], [3], 57),     # B's first failure shows it the address is over: blocked
    ([0, 1], [2], 57),        # two here, one there: three within the window
    ([0], [1], None),         # two in all: still allowed
    ([0, 1, 2], [70], None),  # A's failures left the window before B's
]


@pytest.mark.parametrize(("in_a", "in_b", "wait"), SHARED)
def test_processes_count_together_through_the_shared_log(
        in_a: list[float], in_b: list[float], wait: int | None) -> None:
    log = Log()
    a, b = (SignInThrottle(3, 60, shared=log.record) for _ in range(2))
    for second in in_a:
        a.failed("ip:x", at(second))
    for second in in_b:
        b.failed("ip:x", at(second))
    last = max(in_a + in_b)
    assert b.retry_after("ip:x", at(last + 1)) == wait


def test_a_restart_forgets_nothing() -> None:
    log = Log()
    before = SignInThrottle(3, 60, shared=log.record)
    for second in (0, 1, 2):
        before.failed("ip:x", at(second))
    after = SignInThrottle(3, 60, shared=log.record)   # a new process, empty memory
    after.failed("ip:x", at(10))
    assert after.retry_after("ip:x", at(11)) == 50   # the newest three: 1, 2, 10


def test_without_the_shared_log_a_process_counts_alone(caplog: pytest.LogCaptureFixture
                                                      ) -> None:
    log = Log()
    throttle = SignInThrottle(3, 60, shared=log.record)
    log.down = True
    for second in (0, 1):
        throttle.failed("ip:x", at(second))
    assert throttle.retry_after("ip:x", at(2)) is None
    throttle.failed("ip:x", at(2))
    assert throttle.retry_after("ip:x", at(3)) == 57
    assert "counting in this process only" in caplog.text
