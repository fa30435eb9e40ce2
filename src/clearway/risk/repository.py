"""Storage of risk decisions and of the offices' daily control capacity."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from clearway.risk.engine.decision import Channel, Decision
from clearway.risk.engine.report import DecisionRecord
from clearway.risk.engine.selectivity import Capacity
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_risk import CapacityBudgetRow, CapacityUsageRow, RiskDecisionRow
from clearway.storage.upsert import DIALECTS, dialect_insert, insert_for


def capacity(session: Session, office: str | None, day: date) -> Capacity | None:
    """The office's budget for the day with its use so far, the use rows locked until commit
    (PostgreSQL: FOR UPDATE; SQLite: the write transaction is already exclusive)."""
    if office is None:
        return None
    limits = {Channel(c): n for c, n in session.connection().execute(
        _BUDGETS, {"office": office})}
    if not limits:
        return Capacity()
    connection = session.connection()
    connection.execute(dialect_insert(session, CapacityUsageRow).on_conflict_do_nothing(), [
        {"office": office, "day": day, "channel": str(c), "used": 0} for c in limits])
    used = {Channel(c): n for c, n in connection.execute(
        select(CapacityUsageRow.channel, CapacityUsageRow.used)
        .where(CapacityUsageRow.office == office, CapacityUsageRow.day == day)
        .with_for_update())}
    return Capacity(limits=limits, used=used)


def record_use(session: Session, office: str | None, day: date, channel: Channel,
               cap: Capacity | None) -> None:
    if office is None or cap is None or channel not in cap.limits:
        return
    session.connection().execute(
        update(CapacityUsageRow)
        .where(CapacityUsageRow.office == office, CapacityUsageRow.day == day,
               CapacityUsageRow.channel == str(channel))
        .values(used=CapacityUsageRow.used + 1))


def set_budget(session: Session, office: str, channel: Channel, per_day: int | None) -> None:
    row = session.get(CapacityBudgetRow, (office, str(channel)))
    if per_day is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(CapacityBudgetRow(office=office, channel=str(channel), per_day=per_day))
    else:
        row.per_day = per_day
    session.flush()


def budgets(session: Session) -> list[CapacityBudgetRow]:
    return list(session.execute(select(CapacityBudgetRow).order_by(
        CapacityBudgetRow.office, CapacityBudgetRow.channel)).scalars())


def _save_statement(dialect: str) -> Any:
    stmt = insert_for(dialect, RiskDecisionRow)
    return stmt.on_conflict_do_update(index_elements=["declaration_id"], set_={
        c.name: stmt.excluded[c.name] for c in RiskDecisionRow.__table__.columns
        if c.name != "declaration_id"})


# Built once: the acceptance path saves a decision every time.
_SAVE = {d: _save_statement(d) for d in DIALECTS}
_BUDGETS = select(CapacityBudgetRow.channel, CapacityBudgetRow.per_day).where(
    CapacityBudgetRow.office == bindparam("office"))


def save_decision(session: Session, declaration_id: int, decision: Decision, *,
                  at: datetime, office: str | None, day: date) -> None:
    connection = session.connection()
    connection.execute(_SAVE[connection.dialect.name],
                       _values(declaration_id, decision, at, office, day))


def _values(declaration_id: int, d: Decision, at: datetime, office: str | None,
            day: date) -> dict[str, Any]:
    return dict(declaration_id=declaration_id, decided_at=at, office=office, day=day,
                channel=str(d.channel), fiscal_score=d.fiscal_score,
                security_score=d.security_score, probability=d.probability,
                expected_value=d.expected_value, random_selected=d.random_selected,
                ens_outcome=None if d.ens_outcome is None else str(d.ens_outcome),
                model_version=d.model_version, decision=d.as_dict())


def get_decision(session: Session, declaration_id: int) -> RiskDecisionRow | None:
    return session.get(RiskDecisionRow, declaration_id)


def usage(session: Session, day: date) -> list[CapacityUsageRow]:
    return list(session.execute(select(CapacityUsageRow).where(CapacityUsageRow.day == day)
                                .order_by(CapacityUsageRow.office)).scalars())



def decision_records(session: Session, start: datetime,
                     end: datetime) -> list[DecisionRecord]:
    """Decisions made in [start, end) with what the selectivity report needs."""
    stmt = (select(RiskDecisionRow.channel, RiskDecisionRow.decision["aeo"],
                   RiskDecisionRow.random_selected, RiskDecisionRow.office,
                   DeclarationRow.declaration_type)
            .join(DeclarationRow, DeclarationRow.id == RiskDecisionRow.declaration_id)
            .where(RiskDecisionRow.decided_at >= start, RiskDecisionRow.decided_at < end))
    return [DecisionRecord(channel, bool(aeo), bool(rnd), office, kind)
            for channel, aeo, rnd, office, kind in session.execute(stmt)]


def change_channel(session: Session, declaration_id: int, channel: Channel,
                   override: dict[str, Any]) -> None:
    """A four-eyes override's new channel. The decision JSON keeps everything the engine said
    and gains an "override" entry (who asked, who approved, why, the original channel); the
    decision as first made stays in the audit trail."""
    row = session.get(RiskDecisionRow, declaration_id, with_for_update=True)
    if row is None:
        raise LookupError(f"declaration {declaration_id} has no risk decision")
    previous = row.decision.get("override") or {}
    row.channel = str(channel)
    row.decision = {**row.decision, "channel": str(channel),
                    "override": {**override, "original_channel": previous.get(
                        "original_channel", override.get("from_channel"))}}
    session.flush()
