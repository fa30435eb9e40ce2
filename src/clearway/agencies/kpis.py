"""Key figures per agency: how many tasks, what share its selection sent to an officer, how
many refusals, and how long officers took to decide (routed to final decision, p50/p90)
against the agency's target. Tasks the system released at once are counted, but their
decision time (zero) is left out of the percentiles: they would flatter the officers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.agencies.model import Agency
from clearway.storage.orm_agencies import AgencyTaskRow


@dataclass(frozen=True)
class AgencyKpis:
    agency: str
    target_minutes: int
    tasks: int
    selected: int
    selected_share: float
    open: int
    refused: int
    decided_by_officers: int
    p50_minutes: float | None
    p90_minutes: float | None
    within_target_share: float | None


def _percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return round(ordered[index], 2)


def figures(agency: Agency, tasks: Iterable[AgencyTaskRow]) -> AgencyKpis:
    rows = list(tasks)
    selected = [t for t in rows if t.selected]
    minutes = [(t.decided_at - t.routed_at).total_seconds() / 60 for t in selected
               if t.decided_at is not None]
    within = sum(1 for m in minutes if m <= agency.target_minutes)
    return AgencyKpis(
        agency=agency.code, target_minutes=agency.target_minutes, tasks=len(rows),
        selected=len(selected),
        selected_share=round(len(selected) / len(rows), 4) if rows else 0.0,
        open=sum(1 for t in rows if t.decided_at is None),
        refused=sum(1 for t in rows if t.decision == "refuse"),
        decided_by_officers=len(minutes), p50_minutes=_percentile(minutes, 0.5),
        p90_minutes=_percentile(minutes, 0.9),
        within_target_share=round(within / len(minutes), 4) if minutes else None)


def tasks_since(session: Session, agency: str, since: datetime | None) -> list[AgencyTaskRow]:
    query = select(AgencyTaskRow).where(AgencyTaskRow.agency == agency)
    if since is not None:
        query = query.where(AgencyTaskRow.routed_at >= since)
    return list(session.execute(query).scalars())
