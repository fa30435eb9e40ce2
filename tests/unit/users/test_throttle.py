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
