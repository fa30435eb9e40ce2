"""Reporting periods: whole days, given by their first and last day, read as UTC instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from clearway.errors import ClearwayError

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, UTC)

    @property
    def end(self) -> datetime:
        """The instant after the last day (the period is [start, end))."""
        return datetime.combine(self.last + timedelta(days=1), time.min, UTC)

    def as_dict(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def period(today: date, first: date | None = None, last: date | None = None, *,
           days: int = 30) -> Period:
    """From `first` to `last` inclusive; defaults: the `days` days up to today."""
    for given in (first, last):
        if given is not None and not EARLIEST <= given <= LATEST:
            raise ClearwayError(code="CW-REQUEST-INVALID",
                                message=f"Dates must lie between {EARLIEST} and {LATEST}")
    last = last or today
    return Period(first or last - timedelta(days=days - 1), last)
