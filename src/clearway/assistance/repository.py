"""Storage of mutual assistance: requests, replies and attachments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from clearway.assistance.model import WAITING, Attachment, sha256
from clearway.storage.orm_assistance import (
    AssistanceAttachmentRow,
    AssistanceReplyRow,
    AssistanceRequestRow,
)

R = AssistanceRequestRow


@dataclass(frozen=True)
class RequestFilter:
    direction: str | None = None
    status: str | None = None
    partner: str | None = None  # a partner user sees only its own administration's
    request_type: str | None = None
    overdue_only: bool = False


def add_request(session: Session, **values: Any) -> AssistanceRequestRow:
    row = AssistanceRequestRow(**values)
    session.add(row)
    session.flush()
    return row


def get(session: Session, request_id: int, *, for_update: bool = False
        ) -> AssistanceRequestRow | None:
    query = select(R).where(R.id == request_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def by_message(session: Session, direction: str, partner: str, message_id: str
               ) -> AssistanceRequestRow | None:
    """The request a message carried (or a reply refers to), exchanged with `partner`."""
    return session.execute(select(R).where(
        R.direction == direction, R.partner == partner, R.message_id == message_id)
        .with_for_update()).scalar_one_or_none()


def listed(session: Session, flt: RequestFilter, now: datetime, *, limit: int = 200
           ) -> list[AssistanceRequestRow]:
    """Requests, overdue first, then by deadline (soonest first)."""
    late = (R.status.in_(sorted(WAITING))) & (R.deadline < now)
    query = select(R)
    for column, value in ((R.direction, flt.direction), (R.status, flt.status),
                          (R.partner, flt.partner), (R.request_type, flt.request_type)):
        if value is not None:
            query = query.where(column == value)
    if flt.overdue_only:
        query = query.where(late)
    order = case((late, 0), else_=1)
    return list(session.execute(query.order_by(order, R.deadline, R.id).limit(limit))
                .scalars())


def count_overdue(session: Session, now: datetime, partner: str | None = None) -> int:
    query = select(func.count()).select_from(R).where(R.status.in_(sorted(WAITING)),
                                                      R.deadline < now)
    if partner is not None:
        query = query.where(R.partner == partner)
    return int(session.execute(query).scalar_one())


def add_reply(session: Session, **values: Any) -> AssistanceReplyRow:
    row = AssistanceReplyRow(**values)
    session.add(row)
    session.flush()
    return row


def replies(session: Session, request_id: int) -> list[AssistanceReplyRow]:
    return list(session.execute(select(AssistanceReplyRow).where(
        AssistanceReplyRow.request_id == request_id).order_by(AssistanceReplyRow.id))
        .scalars())


def add_attachments(session: Session, request_id: int, reply_id: int | None,
                    files: list[Attachment], now: datetime) -> list[AssistanceAttachmentRow]:
    rows = [AssistanceAttachmentRow(request_id=request_id, reply_id=reply_id,
                                    filename=f.filename, content_type=f.content_type,
                                    size=len(f.data), sha256=sha256(f.data), data=f.data,
                                    added_at=now) for f in files]
    session.add_all(rows)
    session.flush()
    return rows


def attachments(session: Session, request_id: int) -> list[AssistanceAttachmentRow]:
    return list(session.execute(select(AssistanceAttachmentRow).where(
        AssistanceAttachmentRow.request_id == request_id)
        .order_by(AssistanceAttachmentRow.id)).scalars())


def attachment(session: Session, request_id: int, attachment_id: int
               ) -> AssistanceAttachmentRow | None:
    row = session.get(AssistanceAttachmentRow, attachment_id)
    return row if row is not None and row.request_id == request_id else None


@dataclass(frozen=True)
class Conversation:
    """A request as read: its row, its replies, its attachments (read with their bytes)."""

    request: AssistanceRequestRow
    replies: list[AssistanceReplyRow]
    attachments: list[AssistanceAttachmentRow]


def conversation(session: Session, row: AssistanceRequestRow) -> Conversation:
    return Conversation(row, replies(session, row.id), attachments(session, row.id))
