"""Requests for information of summary declarations, stored (`*_in`: inside the caller's
unit of work)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_summaries import RfiRow
from clearway.summaries.model import AnsweredBy, RfiStatus


def open_rfi(session: Session, row: DeclarationRow, asked: Sequence[str],
             at: datetime) -> RfiRow:
    """A new request for information on the filing's current version."""
    rfi = RfiRow(declaration_id=row.id, mrn=row.mrn or row.lrn, version=row.version,
                 asked=list(asked), status=RfiStatus.OPEN, asked_at=at)
    session.add(rfi)
    return rfi


def open_of(session: Session, declaration_id: int, *, lock: bool = False) -> RfiRow | None:
    """The filing's open request for information, if any (at most one is open)."""
    query = select(RfiRow).where(RfiRow.declaration_id == declaration_id,
                                 RfiRow.status == RfiStatus.OPEN).order_by(RfiRow.id.desc())
    if lock:
        query = query.with_for_update()
    return session.execute(query.limit(1)).scalar_one_or_none()


def of_declaration(session: Session, declaration_id: int) -> list[RfiRow]:
    """Every request for information of a filing, oldest first."""
    return list(session.execute(select(RfiRow).where(RfiRow.declaration_id == declaration_id)
                                .order_by(RfiRow.id)).scalars())


def answer(rfi: RfiRow, *, by: AnsweredBy, at: datetime, actor: str, text: str | None = None,
           version: int | None = None, outcome_after: str | None = None) -> None:
    """Record the answer and close the request: answering is what closes it."""
    rfi.answer, rfi.answered_by, rfi.answer_version = text, str(by), version
    rfi.answered_at, rfi.answered_actor, rfi.closed_at = at, actor, at
    rfi.status, rfi.outcome_after = RfiStatus.CLOSED, outcome_after


def open_requests(session: Session, *, limit: int = 200) -> list[RfiRow]:
    """Open requests for information, oldest first: what officers see waiting."""
    return list(session.execute(select(RfiRow).where(RfiRow.status == RfiStatus.OPEN)
                                .order_by(RfiRow.asked_at, RfiRow.id).limit(limit)).scalars())
