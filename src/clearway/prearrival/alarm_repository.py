"""Storage of the alarms' officer and analyst side: the weights analysts set per alarm kind,
the officers' list of alarms, one alarm with the announcement it concerns, and closing.
(Raising alarms and reading a declaration's open ones: `prearrival.repository`.)"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.prearrival import arrivals_repository
from clearway.prearrival.model import Alarm, AlarmKind
from clearway.prearrival.repository import alarm_of
from clearway.prearrival.ruleset import DEFAULT_WEIGHTS, AlarmWeight
from clearway.risk.engine.decision import Channel
from clearway.storage.orm_prearrival import AlarmRow, ArrivalAlarmWeightRow


@dataclass(frozen=True)
class StoredAlarm:
    """An alarm as stored: its id, status and who closed it why."""

    id: int
    alarm: Alarm
    status: str
    closed_at: datetime | None = None
    closed_by: str | None = None
    close_reason: str | None = None


def _stored(row: AlarmRow) -> StoredAlarm:
    return StoredAlarm(row.id, alarm_of(row), row.status, row.closed_at, row.closed_by,
                       row.close_reason)


def _weight(row: ArrivalAlarmWeightRow) -> AlarmWeight:
    return AlarmWeight(AlarmKind(row.kind), row.weight,
                       Channel(row.min_channel) if row.min_channel else None, row.hard,
                       row.updated_by, row.updated_at)


def stored_weights(session: Session) -> dict[AlarmKind, AlarmWeight]:
    """The weights analysts set (kinds this installation no longer knows are skipped)."""
    rows = session.scalars(select(ArrivalAlarmWeightRow))
    return {AlarmKind(r.kind): _weight(r) for r in rows
            if r.kind in AlarmKind._value2member_map_}


def all_weights(session: Session) -> list[AlarmWeight]:
    """Every kind with what it weighs now: the analysts' setting, else the default."""
    return list({**DEFAULT_WEIGHTS, **stored_weights(session)}.values())


def weights_signature(session: Session) -> Hashable:
    """The whole table (a dozen rows at most): it moves with any change, even two changes
    within one clock tick, so the engine's knowledge cache rebuilds the rule set."""
    rows = session.execute(select(ArrivalAlarmWeightRow.kind, ArrivalAlarmWeightRow.weight,
                                  ArrivalAlarmWeightRow.min_channel,
                                  ArrivalAlarmWeightRow.hard)
                           .order_by(ArrivalAlarmWeightRow.kind))
    return tuple(tuple(r) for r in rows)


def put_weight(session: Session, w: AlarmWeight, *, by: str, at: datetime) -> None:
    """Store what a kind weighs, in the caller's transaction."""
    row = session.get(ArrivalAlarmWeightRow, str(w.kind), with_for_update=True)
    if row is None:
        row = ArrivalAlarmWeightRow(kind=str(w.kind))
        session.add(row)
    row.weight, row.hard = w.weight, w.hard
    row.min_channel = None if w.min_channel is None else str(w.min_channel)
    row.updated_by, row.updated_at = by, at
    session.flush()


def alarms(session: Session, *, status: str | None, kind: str | None,
           limit: int) -> list[StoredAlarm]:
    """Alarms, newest first (`status`/`kind` None: any)."""
    query = select(AlarmRow).order_by(AlarmRow.raised_at.desc(), AlarmRow.id.desc())
    if status is not None:
        query = query.where(AlarmRow.status == status)
    if kind is not None:
        query = query.where(AlarmRow.kind == kind)
    return [_stored(r) for r in session.scalars(query.limit(limit))]


def alarm(session: Session, alarm_id: int, *, for_update: bool = False) -> StoredAlarm | None:
    row = session.get(AlarmRow, alarm_id, with_for_update=for_update)
    return None if row is None else _stored(row)


def open_alarm_rows(session: Session, declaration_id: int) -> list[tuple[int, Alarm]]:
    """A declaration's open alarms with their ids (one lookup on the declaration index)."""
    rows = session.scalars(select(AlarmRow).where(AlarmRow.declaration_id == declaration_id,
                                                  AlarmRow.status == "open")
                           .order_by(AlarmRow.id))
    return [(r.id, alarm_of(r)) for r in rows]


def close(session: Session, alarm_id: int, *, by: str, reason: str, at: datetime) -> None:
    row = session.get(AlarmRow, alarm_id)
    assert row is not None
    row.status, row.closed_at, row.closed_by, row.close_reason = "closed", at, by, reason
    session.flush()


def announcement(session: Session, arrival_id: int) -> dict[str, Any] | None:
    """The stored anticipated arrival an alarm is about, and what matched it."""
    row = arrivals_repository.get(session, arrival_id)
    if row is None:
        return None
    return {"id": row.id, "partner": row.partner, "mrn": row.mrn, "status": row.status,
            "office_of_exit": row.office_of_exit, "office_of_entry": row.office_of_entry,
            "exit_at": row.exit_at, "deadline_at": row.deadline_at,
            "arrived_at": row.arrived_at, "matched_kind": row.matched_kind,
            "matched_ref": row.matched_ref, "payload": row.payload,
            "message_id": row.message_id}
