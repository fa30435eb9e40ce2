"""Storing whistleblower reports and their messages (see orm_partnerships: what a row holds
and what it never does)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.storage.orm_controls import IntegrityCaseRow
from clearway.storage.orm_partnerships import WhistleMessageRow, WhistleReportRow
from clearway.whistleblowing.model import Message, Report


def add_report(session: Session, *, receipt_hash: str, case_reference: str, topic: str,
               text: str, on: date) -> int:
    row = WhistleReportRow(receipt_hash=receipt_hash, case_reference=case_reference,
                           topic=topic, received_on=on)
    session.add(row)
    session.flush()
    add_message(session, row.id, author="reporter", body=text, on=on)
    return row.id


def add_message(session: Session, report_id: int, *, author: str, body: str, on: date) -> None:
    session.add(WhistleMessageRow(report_id=report_id, author=author, body=body, written_on=on))
    session.flush()


def _report(session: Session, row: WhistleReportRow, status: str) -> Report:
    messages = session.execute(select(WhistleMessageRow).where(
        WhistleMessageRow.report_id == row.id).order_by(WhistleMessageRow.id)).scalars()
    return Report(case_reference=row.case_reference, topic=row.topic,
                  received_on=row.received_on, case_status=status,
                  messages=tuple(Message(m.author, m.body, m.written_on) for m in messages))


def _status(session: Session, reference: str) -> str:
    return session.execute(select(IntegrityCaseRow.status).where(
        IntegrityCaseRow.reference == reference)).scalar() or "open"


def by_receipt(session: Session, receipt_hash: str) -> tuple[int, Report] | None:
    row = session.execute(select(WhistleReportRow).where(
        WhistleReportRow.receipt_hash == receipt_hash)).scalar()
    if row is None:
        return None
    return row.id, _report(session, row, _status(session, row.case_reference))


def by_case(session: Session, reference: str) -> tuple[int, Report] | None:
    row = session.execute(select(WhistleReportRow).where(
        WhistleReportRow.case_reference == reference)).scalar()
    if row is None:
        return None
    return row.id, _report(session, row, _status(session, row.case_reference))


def all_reports(session: Session) -> list[Report]:
    """Every report with its case's status and thread, newest first."""
    rows = session.execute(
        select(WhistleReportRow, func.coalesce(IntegrityCaseRow.status, "open"))
        .outerjoin(IntegrityCaseRow,
                   IntegrityCaseRow.reference == WhistleReportRow.case_reference)
        .order_by(WhistleReportRow.id.desc())).all()
    return [_report(session, row, status) for row, status in rows]
