"""Stored alarms of the pre-arrival flow (more of the flow's storage joins this module as
the receiving and sending sides grow)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.identity import User
from clearway.prearrival.model import Alarm, AlarmKind
from clearway.prearrival.payload import PURPOSE
from clearway.privacy import repository as privacy_repo
from clearway.privacy.model import Access
from clearway.storage.orm_prearrival import AlarmRow


def add_alarm(session: Session, alarm: Alarm) -> int:
    """Store an open alarm in the caller's transaction; returns its id."""
    row = AlarmRow(kind=str(alarm.kind), partner=alarm.partner, mrn=alarm.mrn,
                   reason=alarm.reason[:500], evidence=alarm.evidence,
                   declaration_id=alarm.declaration_id, arrival_id=alarm.arrival_id,
                   exit_record_id=alarm.exit_record_id, item=alarm.item, status="open",
                   raised_at=alarm.raised_at)
    session.add(row)
    session.flush()
    return row.id


def alarm_of(row: AlarmRow) -> Alarm:
    return Alarm(kind=AlarmKind(row.kind), partner=row.partner, mrn=row.mrn, reason=row.reason,
                 raised_at=row.raised_at, evidence=row.evidence,
                 declaration_id=row.declaration_id, arrival_id=row.arrival_id,
                 exit_record_id=row.exit_record_id, item=row.item)


def alarms_of_declaration(session: Session, declaration_id: int) -> list[Alarm]:
    """The open alarms that weigh on a declaration's risk decision."""
    rows = session.scalars(select(AlarmRow).where(AlarmRow.declaration_id == declaration_id,
                                                  AlarmRow.status == "open")
                           .order_by(AlarmRow.id))
    return [alarm_of(r) for r in rows]


def read_logged(session: Session, at: datetime, user: User, message_id: str,
                record: str) -> None:
    """An officer was shown a partner's announcement: the access log keeps who, for which
    purpose (the announcement's: risk analysis) and where."""
    privacy_repo.log(session, at, Access(actor=user.actor, action="read", message_id=message_id,
                                         record=record, purpose=PURPOSE))
