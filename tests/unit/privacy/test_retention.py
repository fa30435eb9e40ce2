"""Retention cut-off as a table: received data is due when the agreement's period, plus the
extensions granted, has passed since receipt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clearway.privacy import retention

RECEIVED = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)

# (case, retention days, extended days, now, expired)
CASES = [
    ("a second before the period ends", 365, 0, RECEIVED + timedelta(days=365, seconds=-1),
     False),
    ("the moment the period ends", 365, 0, RECEIVED + timedelta(days=365), True),
    ("long after", 30, 0, RECEIVED + timedelta(days=400), True),
    ("within an extension", 365, 30, RECEIVED + timedelta(days=380), False),
    ("the extension ended", 365, 30, RECEIVED + timedelta(days=395), True),
    ("a day's period", 1, 0, RECEIVED + timedelta(hours=23), False),
]


@pytest.mark.parametrize(("case", "days", "extended", "now", "expired"), CASES,
                         ids=[c[0] for c in CASES])
def test_received_data_expires_after_its_period_and_extensions(
        case: str, days: int, extended: int, now: datetime, expired: bool) -> None:
    assert retention.expired(RECEIVED, days, extended, now) is expired
    assert (retention.cutoff(now, days + extended) >= RECEIVED) is expired


def test_the_expiry_moment() -> None:
    assert retention.expires_at(RECEIVED, 365, 10) == datetime(2027, 1, 20, 12, 0, tzinfo=UTC)
