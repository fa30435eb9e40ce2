"""Reads of the feedback room: one aggregate query per concern, never a loop per
declaration. Labels come from the label store's SQL (`risk.labels.label_table`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl
from sqlalchemy import Float, case, cast, func, select
from sqlalchemy.orm import Session

from clearway.risk.learning.history_store import ACCEPTED, RISK_TYPES, trader_column
from clearway.risk.learning.labels import label_table
from clearway.storage.orm import DeclarationPartyRow, DeclarationRow, EventRow
from clearway.storage.orm_controls import ControlResultRow, ProfileEffectivenessRow
from clearway.storage.orm_risk import RiskDecisionRow


@dataclass(frozen=True)
class TraderFigures:
    declarations: int
    first_seen: datetime | None
    controls: int
    irregular: int
    revenue: float
    last_irregular_at: datetime | None
    last_irregularities: list[str]


def trader_figures(session: Session, trader_id: str) -> TraderFigures:
    """The trader's accepted declarations (as `frame.trader_of` names the trader), their
    labels (the label store's rule), and its latest irregular control result."""
    D = DeclarationRow
    named = select(DeclarationPartyRow.declaration_id).where(
        DeclarationPartyRow.party_id == trader_id)
    theirs = (select(D.id.label("id"), D.created_at.label("at"))
              .where(D.id.in_(named), D.status.in_(ACCEPTED), trader_column() == trader_id,
                     D.declaration_type.in_(RISK_TYPES)).subquery())
    filed, first = session.execute(select(func.count(), func.min(theirs.c.at))).one()
    labels = label_table()
    controls, irregular, revenue, last_at = session.execute(
        select(func.count(), func.sum(labels.c.irregular), func.sum(labels.c.revenue),
               func.max(case((labels.c.irregular == 1, labels.c.decided_at))))
        .join(theirs, theirs.c.id == labels.c.declaration_id)).one()
    R = ControlResultRow
    latest = session.execute(
        select(R.irregularities).where(R.declaration_id.in_(select(theirs.c.id)),
                                       R.outcome == "irregular")
        .order_by(R.recorded_at.desc(), R.task_id.desc()).limit(1)).scalar_one_or_none()
    return TraderFigures(int(filed), first, int(controls), int(irregular or 0),
                         float(revenue or 0.0), last_at, list(latest or []))


def profile_rows(session: Session) -> list[ProfileEffectivenessRow]:
    return list(session.execute(select(ProfileEffectivenessRow)
                                .order_by(ProfileEffectivenessRow.code)).scalars())


def random_controls(session: Session, first: date, last: date) -> pl.DataFrame:
    """One row per randomly selected declaration decided in [first, last] that has a
    control outcome: day, office, irregular (0/1), revenue (0 when none assessed)."""
    labels = label_table()
    rows = session.execute(
        select(RiskDecisionRow.day, RiskDecisionRow.office, labels.c.irregular,
               func.coalesce(labels.c.revenue, 0.0))
        .join(labels, labels.c.declaration_id == RiskDecisionRow.declaration_id)
        .where(RiskDecisionRow.random_selected.is_(True), RiskDecisionRow.day >= first,
               RiskDecisionRow.day <= last)).all()
    return _frame(rows, {"day": pl.Date(), "office": pl.String(), "irregular": pl.Int64(),
                         "revenue": pl.Float64()})


def decisions_per_day(session: Session, first: date, last: date) -> pl.DataFrame:
    """Declarations decided per day, office and channel in [first, last]: the population
    the random selections sample, and the KPI page's channel shares."""
    d = RiskDecisionRow
    rows = session.execute(
        select(d.day, d.office, d.channel, func.count())
        .where(d.day >= first, d.day <= last).group_by(d.day, d.office, d.channel)).all()
    return _frame(rows, {"day": pl.Date(), "office": pl.String(), "channel": pl.String(),
                         "declarations": pl.Int64()})


def results_between(session: Session, start: datetime, end: datetime) -> pl.DataFrame:
    """Control results recorded in [start, end): at, irregular (0/1), revenue."""
    R = ControlResultRow
    rows = session.execute(
        select(R.recorded_at, case((R.outcome == "irregular", 1), else_=0),
               cast(R.revenue, Float))
        .where(R.recorded_at >= start, R.recorded_at < end)).all()
    return _frame(rows, {"at": pl.Datetime("us", "UTC"), "irregular": pl.Int64(),
                         "revenue": pl.Float64()})


def release_spans(session: Session, start: datetime, end: datetime) -> pl.DataFrame:
    """Per declaration released in [start, end): its lodgement and release times (the
    release-time report's `total` step, reports.release_time.STEPS)."""
    e = EventRow
    released = func.min(case((e.kind == "released", e.at)))
    lodged = func.min(case((e.kind == "lodged", e.at)))
    in_window = select(e.declaration_id).where(e.kind == "released", e.at >= start,
                                               e.at < end)
    rows = session.execute(
        select(lodged, released).where(e.kind.in_(("lodged", "released")),
                                       e.declaration_id.in_(in_window))
        .group_by(e.declaration_id)).all()
    return _frame(rows, {"lodged": pl.Datetime("us", "UTC"),
                         "released": pl.Datetime("us", "UTC")})


def _frame(rows: Sequence[Any], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")
