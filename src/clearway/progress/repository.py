"""Conferences, progress reports and their sections in the database."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.progress.model import FROZEN, SECTION_KEYS, Conference, SectionState
from clearway.storage.orm import UserRow
from clearway.storage.orm_progress import ConferenceRow, ProgressReportRow, ProgressSectionRow


def conference_of(row: ConferenceRow) -> Conference:
    return Conference(code=row.code, name=row.name, held_on=row.held_on,
                      administrations=tuple(row.administrations),
                      period_start=row.period_start, lead_months=row.lead_months,
                      reminder_days=tuple(row.reminder_days))


def conference(session: Session, code: str) -> Conference | None:
    row = session.get(ConferenceRow, code)
    return conference_of(row) if row else None


def conferences(session: Session) -> list[Conference]:
    rows = session.execute(select(ConferenceRow).order_by(ConferenceRow.held_on,
                                                          ConferenceRow.code)).scalars()
    return [conference_of(r) for r in rows]


def add_conference(session: Session, found: Conference, now: datetime, by: str) -> None:
    session.add(ConferenceRow(
        code=found.code, name=found.name, held_on=found.held_on,
        administrations=list(found.administrations), period_start=found.period_start,
        lead_months=found.lead_months, reminder_days=list(found.reminder_days),
        created_at=now, created_by=by))
    session.flush()


def report_row(session: Session, report_id: int, *,
               lock: bool = False) -> ProgressReportRow | None:
    stmt = select(ProgressReportRow).where(ProgressReportRow.id == report_id)
    if lock:
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def reports(session: Session, *, conference: str | None = None,
            administration: str | None = None) -> list[ProgressReportRow]:
    stmt = (select(ProgressReportRow)
            .join(ConferenceRow, ConferenceRow.code == ProgressReportRow.conference)
            .order_by(ConferenceRow.held_on, ProgressReportRow.conference,
                      ProgressReportRow.administration, ProgressReportRow.version))
    if conference:
        stmt = stmt.where(ProgressReportRow.conference == conference)
    if administration:
        stmt = stmt.where(ProgressReportRow.administration == administration)
    return list(session.execute(stmt).scalars())


def latest_version(session: Session, conference: str, administration: str
                   ) -> ProgressReportRow | None:
    found = reports(session, conference=conference, administration=administration)
    return found[-1] if found else None


def previous_frozen(session: Session, administration: str, before: Conference
                    ) -> tuple[str, ProgressReportRow] | None:
    """The administration's latest frozen report of the latest conference held before
    `before` (the previous period's values), with that conference's code."""
    stmt = (select(ProgressReportRow, ConferenceRow.code)
            .join(ConferenceRow, ConferenceRow.code == ProgressReportRow.conference)
            .where(ProgressReportRow.administration == administration,
                   ProgressReportRow.status.in_([s.value for s in FROZEN]),
                   ConferenceRow.held_on < before.held_on)
            .order_by(ConferenceRow.held_on.desc(), ProgressReportRow.version.desc()))
    row = session.execute(stmt.limit(1)).first()
    return (row[1], row[0]) if row else None


def add_report(session: Session, row: ProgressReportRow, owners: Mapping[str, str | None],
               narratives: dict[str, str], now: datetime) -> ProgressReportRow:
    session.add(row)
    session.flush()
    for key in SECTION_KEYS:
        session.add(ProgressSectionRow(report_id=row.id, section=key, owner=owners.get(key),
                                       narrative=narratives.get(key, ""), updated_at=now))
    session.flush()
    return row


def section_rows(session: Session, report_id: int, *,
                 lock: bool = False) -> dict[str, ProgressSectionRow]:
    stmt = select(ProgressSectionRow).where(ProgressSectionRow.report_id == report_id)
    if lock:
        stmt = stmt.with_for_update()
    return {r.section: r for r in session.execute(stmt).scalars()}


def states(rows: dict[str, ProgressSectionRow]) -> list[SectionState]:
    return [SectionState(k, rows[k].owner, rows[k].narrative, rows[k].completed_by)
            for k in SECTION_KEYS if k in rows]


def user_role(session: Session, name: str) -> str | None:
    return session.execute(select(UserRow.role).where(UserRow.name == name)).scalar()
