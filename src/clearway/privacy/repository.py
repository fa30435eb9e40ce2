"""Storage of data protection: the access log, consents, retention extensions and erasures,
the breach register, and what it reads of the exchange's inbox and outbox."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from clearway.exchange import signing
from clearway.privacy.model import Access, Breach, Consent
from clearway.storage.orm_exchange import InboxRow, OutboxRow
from clearway.storage.orm_prearrival import ArrivalRow
from clearway.storage.orm_privacy import (
    AccessLogRow,
    BreachRow,
    ConsentRow,
    ErasureRow,
    RetentionExtensionRow,
)
from clearway.storage.upsert import dialect_insert


def log(session: Session, at: datetime, entry: Access) -> None:
    session.add(AccessLogRow(at=at, actor=entry.actor[:100], action=entry.action,
                             message_id=entry.message_id, record=entry.record,
                             purpose=entry.purpose, recipient=entry.recipient,
                             detail=entry.detail))
    session.flush()


def access_log(session: Session, *, action: str | None = None, message_id: str | None = None,
               actor: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The latest entries, newest first, filtered by action, message or actor."""
    query = select(AccessLogRow).order_by(AccessLogRow.id.desc()).limit(limit)
    for column, value in ((AccessLogRow.action, action), (AccessLogRow.message_id, message_id),
                          (AccessLogRow.actor, actor)):
        if value:
            query = query.where(column == value)
    return [{"id": r.id, "at": r.at, "actor": r.actor, "action": r.action,
             "message_id": r.message_id, "record": r.record, "purpose": r.purpose,
             "recipient": r.recipient, "detail": r.detail}
            for r in session.execute(query).scalars()]


def disclosed_to(session: Session, message_id: str) -> list[str]:
    """The recipients the access log shows a message was passed on to."""
    rows = session.execute(select(AccessLogRow.recipient).where(
        AccessLogRow.message_id == message_id, AccessLogRow.action == "disclose",
        AccessLogRow.recipient.is_not(None)).distinct()).scalars()
    return sorted(r for r in rows if r)


def consents(session: Session, message_id: str) -> list[Consent]:
    rows = session.execute(select(ConsentRow).where(ConsentRow.message_id == message_id)
                           .order_by(ConsentRow.id)).scalars()
    return [Consent(r.message_id, r.purpose, r.recipient, r.granted_by, r.reference)
            for r in rows]


def add_consent(session: Session, consent: Consent, recorded_by: str, at: datetime) -> None:
    session.add(ConsentRow(message_id=consent.message_id, purpose=consent.purpose,
                           recipient=consent.recipient, granted_by=consent.granted_by,
                           reference=consent.reference, recorded_by=recorded_by, at=at))
    session.flush()


def received(session: Session, message_id: str, *, lock: bool = False) -> InboxRow | None:
    query = select(InboxRow).where(InboxRow.message_id == message_id)
    return session.execute(query.with_for_update() if lock else query).scalar_one_or_none()


def sent(session: Session, message_id: str) -> OutboxRow | None:
    return session.execute(select(OutboxRow).where(OutboxRow.message_id == message_id)
                           ).scalar_one_or_none()


def is_erased(session: Session, message_id: str) -> bool:
    return session.execute(select(ErasureRow.id).where(ErasureRow.message_id == message_id)
                           ).first() is not None


def empty(row: InboxRow) -> None:
    """Drop a received message's data, keeping its digest (a late retry of the same message
    still gets its receipt, not a replay refusal) and its envelope (the basis it came on)."""
    if row.digest is None and row.token:
        row.digest = signing.message_digest(*signing.peek(row.token))
    row.payload, row.token = {}, ""


def erase(session: Session, row: InboxRow, cause: str, at: datetime) -> None:
    """Erase a received message's data, and the copy pre-arrival keeps of an anticipated
    arrival (its payload and vehicle; the matching outcome stays)."""
    empty(row)
    session.execute(update(ArrivalRow).where(ArrivalRow.message_id == row.message_id)
                    .values(payload={}, vehicle=None).execution_options(
                        synchronize_session=False))
    session.connection().execute(
        dialect_insert(session, ErasureRow).on_conflict_do_nothing(
            index_elements=["message_id"]),
        dict(message_id=row.message_id, cause=cause, at=at))


def rectify_arrival(session: Session, message_id: str, fields: dict[str, Any]) -> None:
    """The corrected fields in pre-arrival's copy of an anticipated arrival, if it keeps one."""
    found = session.execute(select(ArrivalRow).where(ArrivalRow.message_id == message_id)
                            .with_for_update()).scalar_one_or_none()
    if found is not None:
        found.payload = {**found.payload, **fields}


def retained(session: Session, agreement_id: str, received_by: datetime) -> list[InboxRow]:
    """Messages under the agreement received at or before `received_by`, not yet erased."""
    erased = select(ErasureRow.message_id)
    return list(session.execute(select(InboxRow).where(
        InboxRow.agreement_ref == agreement_id, InboxRow.received_at <= received_by,
        InboxRow.message_id.not_in(erased)).order_by(InboxRow.id).with_for_update()
    ).scalars())


def extended_days(session: Session, message_ids: Iterable[str]) -> dict[str, int]:
    ids = list(message_ids)
    if not ids:
        return {}
    rows = session.execute(select(RetentionExtensionRow.message_id,
                                  func.sum(RetentionExtensionRow.days))
                           .where(RetentionExtensionRow.message_id.in_(ids))
                           .group_by(RetentionExtensionRow.message_id))
    return {str(m): int(d) for m, d in rows}


def add_extension(session: Session, message_id: str, days: int, reason: str, actor: str,
                  at: datetime) -> None:
    session.add(RetentionExtensionRow(message_id=message_id, days=days, reason=reason,
                                      actor=actor, at=at))
    session.flush()


def extensions_by_agreement(session: Session) -> dict[str, int]:
    rows = session.execute(select(InboxRow.agreement_ref, func.count(RetentionExtensionRow.id))
                           .join(InboxRow, InboxRow.message_id
                                 == RetentionExtensionRow.message_id)
                           .group_by(InboxRow.agreement_ref))
    return {str(a): int(n) for a, n in rows}


def pending_retention(session: Session) -> list[tuple[str, datetime, int]]:
    """(agreement, received_at, extended days) of every message not yet erased."""
    erased = select(ErasureRow.message_id)
    ext = (select(RetentionExtensionRow.message_id,
                  func.sum(RetentionExtensionRow.days).label("days"))
           .group_by(RetentionExtensionRow.message_id).subquery())
    rows = session.execute(select(InboxRow.agreement_ref, InboxRow.received_at, ext.c.days)
                           .outerjoin(ext, ext.c.message_id == InboxRow.message_id)
                           .where(InboxRow.message_id.not_in(erased)))
    return [(str(a), r, int(d or 0)) for a, r, d in rows]


def all_received(session: Session) -> list[InboxRow]:
    return list(session.execute(select(InboxRow).order_by(InboxRow.id)).scalars())


def all_sent(session: Session) -> list[OutboxRow]:
    return list(session.execute(select(OutboxRow).order_by(OutboxRow.id)).scalars())


def counts_by(session: Session, column: Any) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).group_by(column))
    return {str(k): int(n) for k, n in rows}


def _breach(r: BreachRow) -> Breach:
    return Breach(reference=r.reference, detected_at=r.detected_at, description=r.description,
                  categories=tuple(r.categories), subjects_affected=r.subjects_affected,
                  partners_notified=tuple(r.partners_notified),
                  authority_notified_at=r.authority_notified_at, measures=r.measures,
                  status=r.status)


def breaches(session: Session) -> list[Breach]:
    rows = session.execute(select(BreachRow).order_by(BreachRow.id.desc())).scalars()
    return [_breach(r) for r in rows]


def save_breach(session: Session, found: Breach, actor: str, at: datetime) -> Breach:
    """Insert (an empty reference: the next BR-NNNN) or replace a breach record."""
    if not found.reference:
        number = session.execute(select(func.count(BreachRow.id))).scalar_one() + 1
        row = BreachRow(reference=f"BR-{number:04d}")
        session.add(row)
    else:
        found_row = session.execute(select(BreachRow).where(
            BreachRow.reference == found.reference).with_for_update()).scalar_one_or_none()
        if found_row is None:
            raise LookupError(found.reference)
        row = found_row
    row.detected_at, row.description = found.detected_at, found.description
    row.categories, row.subjects_affected = list(found.categories), found.subjects_affected
    row.partners_notified = list(found.partners_notified)
    row.authority_notified_at, row.measures = found.authority_notified_at, found.measures
    row.status, row.recorded_by, row.updated_at = found.status, actor, at
    session.flush()
    return _breach(row)
