"""Injected time and randomness, so that tests are deterministic."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved: for tests."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **kwargs: float) -> None:
        from datetime import timedelta

        self.at = self.at + timedelta(**kwargs)


def system_random() -> random.Random:
    return random.Random()
