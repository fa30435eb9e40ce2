"""The label store: what controls found, per declaration, for learning and back-testing.

Outcomes come from the `control_results` table (one row per completed control task). A
declaration controlled more than once (documentary then physical, an audit sample after an
override) has one label, as known at the time asked about:
- irregular when ANY of its results was irregular (a later "regular" never clears a finding);
- revenue = the sum of the revenue its controls assessed (each control assesses its own
  additional duties; a result stores 0 when it assessed none);
- decided_at = the latest result's time (the label is complete from then on).

Databases from before control tasks (issue 3) hold outcomes in the `released` event that
ended a control (`outcome` and `revenue` in its detail): these count for declarations with
no control result, so such databases keep their labels. Nothing writes outcomes that way any
more (every control ends in a `control_results` row); they cannot be moved there either, as
each result needs its task, its officer and the audit entry that `verify --deep` checks.
Profile back-tests, valuation references, trader records and model training read outcomes
here, never from the tables directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Subquery, case, cast, func, select, union_all
from sqlalchemy.orm import Session

from clearway.storage.orm import EventRow
from clearway.storage.orm_controls import ControlResultRow

OUTCOMES = ("regular", "irregular")


@dataclass(frozen=True)
class LabelOutcome:
    irregular: bool
    revenue: float | None
    decided_at: datetime


def label_table(until: datetime | None = None, ids: Sequence[int] | None = None) -> Subquery:
    """One row per labelled declaration, from the results recorded before `until` (None:
    all): declaration_id, irregular (1/0), revenue (float; null only from a release event
    without revenue), decided_at. `ids` keeps only these declarations (filtered inside, so one
    declaration's label costs its own rows, not the whole store's).
    The SQL of the rule in the module doc, for callers that join or aggregate labels."""
    R = ControlResultRow
    known = [R.outcome.in_(OUTCOMES)] + ([] if until is None else [R.recorded_at < until])
    if ids is not None:
        known.append(R.declaration_id.in_(list(ids)))
    results = (select(R.declaration_id.label("declaration_id"),
                      func.max(case((R.outcome == "irregular", 1), else_=0)).label("irregular"),
                      func.sum(cast(R.revenue, Float)).label("revenue"),
                      func.max(R.recorded_at).label("decided_at"))
               .where(*known).group_by(R.declaration_id))
    outcome = EventRow.detail["outcome"].as_string()
    revenue = cast(func.nullif(EventRow.detail["revenue"].as_string(), ""), Float)
    before_tasks = (select(EventRow.declaration_id,
                           func.max(case((outcome == "irregular", 1), else_=0)),
                           func.sum(revenue), func.max(EventRow.at))
                    .where(EventRow.kind == "released", EventRow.from_status == "under_control",
                           outcome.in_(OUTCOMES),
                           *([] if until is None else [EventRow.at < until]),
                           *([] if ids is None else [EventRow.declaration_id.in_(list(ids))]),
                           EventRow.declaration_id.not_in(
                               select(R.declaration_id).where(*known)))
                    .group_by(EventRow.declaration_id))
    return union_all(results, before_tasks).subquery("labels")


def _outcome(row: Any) -> LabelOutcome:
    return LabelOutcome(bool(row.irregular), None if row.revenue is None else float(row.revenue),
                        row.decided_at)


def outcomes(session: Session, ids: Sequence[int]) -> dict[int, LabelOutcome]:
    """Control outcomes of these declarations (absent: never controlled, or no outcome)."""
    result: dict[int, LabelOutcome] = {}
    chunk = 500  # keep IN lists short on every backend
    for i in range(0, len(ids), chunk):
        labels = label_table()
        stmt = select(labels).where(labels.c.declaration_id.in_(list(ids[i:i + chunk])))
        result.update({row.declaration_id: _outcome(row) for row in session.execute(stmt)})
    return result


def outcomes_between(session: Session, start: datetime | None,
                     end: datetime | None) -> dict[int, LabelOutcome]:
    """Labels as known at `end` (results recorded before it) whose latest result was
    recorded in [start, end)."""
    labels = label_table(end)
    stmt = select(labels)
    if start is not None:
        stmt = stmt.where(labels.c.decided_at >= start)
    return {row.declaration_id: _outcome(row) for row in session.execute(stmt)}


__all__ = ["OUTCOMES", "LabelOutcome", "label_table", "outcomes",
           "outcomes_between"]
