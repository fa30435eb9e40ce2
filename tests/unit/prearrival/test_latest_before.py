"""Which announcement a vehicle or container seen now is: the same truck crosses again and
again, so of its announcements (newest exit first) the last one that left before now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from clearway.prearrival.arrivals import latest_before

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def _rows(*hours: float) -> list[Any]:
    """Announcements exiting `hours` from now, newest exit first (as the lookups order them)."""
    return [SimpleNamespace(id=i, exit_at=NOW + timedelta(hours=h))
            for i, h in enumerate(sorted(hours, reverse=True))]


CASES = [
    ((-2.0,), -2.0),              # the one trip
    ((3.0, -2.0, -30.0), -2.0),   # a later trip announced already: not this one
    ((-1.0, -26.0), -1.0),        # two trips past: the latest
    ((0.0,), 0.0),                # left this very minute
    ((2.0, 5.0), 2.0),            # every exit later (clock skew): the earliest
]


@pytest.mark.parametrize(("exits", "chosen"), CASES)
def test_the_last_exit_before_now(exits: tuple[float, ...], chosen: float) -> None:
    found = latest_before(_rows(*exits), NOW)
    assert found is not None and found.exit_at == NOW + timedelta(hours=chosen)


def test_nothing_announced_is_nothing() -> None:
    assert latest_before([], NOW) is None
