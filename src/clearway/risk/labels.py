"""The label store: what controls found, per declaration, for learning and back-testing.

A control's outcome is recorded when the officer ends it: the `release` action after
`start-control` carries `outcome` (regular / irregular) and the additional revenue assessed,
and the event keeps them. Profile back-tests, valuation references, trader records and model
training read outcomes here, never from the events directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.storage.orm import EventRow

OUTCOMES = ("regular", "irregular")


@dataclass(frozen=True)
class LabelOutcome:
    irregular: bool
    revenue: float | None
    decided_at: datetime


def _query(session: Session, ids: Sequence[int] | None,
           start: datetime | None, end: datetime | None) -> dict[int, LabelOutcome]:
    stmt = select(EventRow.declaration_id, EventRow.at, EventRow.detail).where(
        EventRow.kind == "released", EventRow.from_status == "under_control")
    if ids is not None:
        stmt = stmt.where(EventRow.declaration_id.in_(list(ids)))
    if start is not None:
        stmt = stmt.where(EventRow.at >= start)
    if end is not None:
        stmt = stmt.where(EventRow.at < end)
    found: dict[int, LabelOutcome] = {}
    for decl_id, at, detail in session.execute(stmt.order_by(EventRow.id)):
        outcome = (detail or {}).get("outcome")
        if outcome not in OUTCOMES:
            continue
        revenue = (detail or {}).get("revenue")
        found[decl_id] = LabelOutcome(outcome == "irregular",
                                      None if revenue is None else float(revenue), at)
    return found


def outcomes(session: Session, ids: Sequence[int]) -> dict[int, LabelOutcome]:
    """Control outcomes of these declarations (absent: never controlled, or no outcome)."""
    if not ids:
        return {}
    result: dict[int, LabelOutcome] = {}
    chunk = 500  # keep IN lists short on every backend
    for i in range(0, len(ids), chunk):
        result.update(_query(session, ids[i:i + chunk], None, None))
    return result


def outcomes_between(session: Session, start: datetime | None,
                     end: datetime | None) -> dict[int, LabelOutcome]:
    """Control outcomes recorded in [start, end)."""
    return _query(session, None, start, end)
