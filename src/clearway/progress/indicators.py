"""Indicators of the progress report: each section's figures, computed from Clearway's own
tables for a period [start, end) of whole days. Each indicator carries its definition
(the docs' table in docs/progress-report.md repeats them); the queries that compute them sit
beside the definitions in `measures_*.py`, gathered by `catalogue.py`.

A section whose capability was never used up to the period's end ("no agencies routed, no
exchange partners") is reported as *not in use* instead of a row of zeros.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

Value = int | float | None


@dataclass(frozen=True)
class Span:
    """Whole days from `first` up to, not including, `until`."""

    first: date
    until: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.until, time.min, UTC)

    def before(self) -> Span:
        """The period of the same length just before this one."""
        return Span(self.first - (self.until - self.first), self.first)

    def as_dict(self) -> dict[str, str]:
        return {"start": self.first.isoformat(), "end": self.until.isoformat()}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str   # count, %, hours, amount
    definition: str


@dataclass(frozen=True)
class SectionMeasures:
    section: str
    indicators: tuple[Indicator, ...]
    measure: Callable[[Session, Span], dict[str, Value]]
    in_use: Callable[[Session, datetime], bool]   # the capability was used before this


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent, one decimal; None without a whole."""
    return round(100.0 * part / whole, 1) if whole else None


def count(session: Session, stmt: Select[Any]) -> int:
    return int(session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one())


def exists(session: Session, stmt: Select[Any]) -> bool:
    return session.execute(stmt.limit(1)).first() is not None


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered, mid = sorted(values), len(values) // 2
    middle = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return round(middle, 1)
