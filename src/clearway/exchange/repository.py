"""Storage of the exchange: the partner register, agreements, the outbox (with the claim and
lease that keep two delivery workers off the same message), the inbox and the receipts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from clearway.exchange import signing
from clearway.exchange.model import Agreement, Crossing, Envelope, Partner
from clearway.storage.orm_exchange import AgreementRow, InboxRow, OutboxRow, PartnerRow, ReceiptRow
from clearway.storage.upsert import dialect_insert

PENDING, DELIVERED = "pending", "delivered"
OUT, IN = "out", "in"  # a receipt of a message sent / of a message received


def _partner(row: PartnerRow) -> Partner:
    return Partner(code=row.code, name=row.name, inbox_url=row.inbox_url,
                   public_key_pem=row.public_key_pem, status=row.status)


def partner(session: Session, code: str) -> Partner | None:
    row = session.get(PartnerRow, code)
    return None if row is None else _partner(row)


def partners(session: Session) -> list[Partner]:
    rows = session.execute(select(PartnerRow).order_by(PartnerRow.code)).scalars()
    return [_partner(row) for row in rows]


def save_partner(session: Session, found: Partner, now: datetime) -> bool:
    """Register or replace; True when the partner is new."""
    row = session.get(PartnerRow, found.code, with_for_update=True)
    if row is None:
        session.add(PartnerRow(code=found.code, name=found.name, inbox_url=found.inbox_url,
                               public_key_pem=found.public_key_pem, status=found.status,
                               created_at=now, updated_at=now))
        return True
    row.name, row.inbox_url, row.status = found.name, found.inbox_url, found.status
    row.public_key_pem, row.updated_at = found.public_key_pem, now
    return False


def agreement_document(agreement: Agreement) -> dict[str, Any]:
    """The agreement as JSON values (sets as sorted lists, days in ISO 8601)."""
    return {"id": agreement.id, "parties": sorted(agreement.parties),
            "legal_basis": agreement.legal_basis,
            "valid_from": agreement.valid_from.isoformat(),
            "valid_to": agreement.valid_to.isoformat() if agreement.valid_to else None,
            "message_types": sorted(agreement.message_types),
            "purposes": sorted(agreement.purposes),
            "fields": {p: sorted(f) for p, f in sorted(agreement.fields.items())},
            "retention_days": agreement.retention_days,
            "onward_transfer": agreement.onward_transfer,
            "crossings": [{"name": c.name, "offices": dict(sorted(c.offices.items())),
                           "transit_minutes": [c.min_transit_minutes, c.max_transit_minutes],
                           "arrival_deadline_hours": c.arrival_deadline_hours}
                          for c in agreement.crossings]}


def _agreement(doc: dict[str, Any]) -> Agreement:
    return Agreement(id=doc["id"], parties=frozenset(doc["parties"]),
                     legal_basis=doc["legal_basis"],
                     valid_from=date.fromisoformat(doc["valid_from"]),
                     valid_to=date.fromisoformat(doc["valid_to"]) if doc["valid_to"] else None,
                     message_types=frozenset(doc["message_types"]),
                     purposes=frozenset(doc["purposes"]),
                     fields={p: frozenset(f) for p, f in doc["fields"].items()},
                     retention_days=int(doc["retention_days"]),
                     onward_transfer=doc["onward_transfer"],
                     crossings=tuple(Crossing(
                         name=c["name"], offices=c["offices"],
                         min_transit_minutes=c["transit_minutes"][0],
                         max_transit_minutes=c["transit_minutes"][1],
                         arrival_deadline_hours=c["arrival_deadline_hours"])
                         for c in doc.get("crossings", [])))


def agreement(session: Session, agreement_id: str) -> Agreement | None:
    row = session.get(AgreementRow, agreement_id)
    return None if row is None else _agreement(row.document)


def agreements(session: Session) -> list[Agreement]:
    rows = session.execute(select(AgreementRow).order_by(AgreementRow.id)).scalars()
    return [_agreement(row.document) for row in rows]


def save_agreement(session: Session, found: Agreement, now: datetime) -> bool:
    """Load or replace; True when the agreement is new."""
    row = session.get(AgreementRow, found.id, with_for_update=True)
    if row is None:
        session.add(AgreementRow(id=found.id, document=agreement_document(found), loaded_at=now))
        return True
    row.document, row.loaded_at = agreement_document(found), now
    return False


def add_outbox(session: Session, envelope: Envelope, token: str, now: datetime) -> None:
    session.add(OutboxRow(message_id=envelope.message_id, to_party=envelope.to_party,
                          action=envelope.action, token=token, status=PENDING, attempts=0,
                          next_attempt_at=now, created_at=now))
    session.flush()


@dataclass(frozen=True)
class Claim:
    """One leased outbox message; `attempts` before this one."""

    id: int
    message_id: str
    to_party: str
    token: str
    attempts: int
    lease_until: datetime


def claim_due(session: Session, *, now: datetime, limit: int, until: datetime) -> list[Claim]:
    """Lease up to `limit` due messages, the longest waiting first: their `next_attempt_at`
    moves to `until`, so no other worker takes them before the lease ends (a worker killed
    after its claim leaves them to be retried then). Row locks (SKIP LOCKED on PostgreSQL)
    last only until this short transaction commits."""
    rows = session.execute(
        select(OutboxRow).where(OutboxRow.status == PENDING, OutboxRow.next_attempt_at <= now)
        .order_by(OutboxRow.next_attempt_at, OutboxRow.id).limit(limit)
        .with_for_update(skip_locked=True)).scalars().all()
    if not rows:
        return []
    session.execute(update(OutboxRow).where(OutboxRow.id.in_([r.id for r in rows]))
                    .values(next_attempt_at=until, lease_until=until)
                    .execution_options(synchronize_session=False))
    return [Claim(r.id, r.message_id, r.to_party, r.token, r.attempts, until) for r in rows]


def mark_delivered(session: Session, claim: Claim, receipt: str, now: datetime) -> None:
    """A delivery always counts, lease or not: the partner has the message. Its receipt is
    kept once (a second worker whose lease ran out got the same receipt back)."""
    session.execute(update(OutboxRow).where(OutboxRow.id == claim.id,
                                            OutboxRow.status == PENDING)
                    .values(status=DELIVERED, delivered_at=now, lease_until=None,
                            last_error=None, attempts=OutboxRow.attempts + 1)
                    .execution_options(synchronize_session=False))
    add_receipt(session, claim.message_id, OUT, receipt, now)


def mark_failed(session: Session, claims: Sequence[Claim], error: str, retry_at: datetime,
                *, counted: int) -> None:
    """Schedule `claims` again at `retry_at`, only while this worker's lease still holds;
    the attempt is counted for the one with id `counted` (the others were held back)."""
    for claim in claims:
        leased = and_(OutboxRow.id == claim.id, OutboxRow.status == PENDING,
                      OutboxRow.next_attempt_at == claim.lease_until)
        values: dict[str, Any] = {"next_attempt_at": retry_at, "lease_until": None}
        if claim.id == counted:
            values |= {"attempts": OutboxRow.attempts + 1, "last_error": error[:500]}
        session.execute(update(OutboxRow).where(leased).values(**values)
                        .execution_options(synchronize_session=False))


def outbox(session: Session, *, status: str | None, limit: int) -> list[dict[str, Any]]:
    """The latest messages sent (without their tokens), newest first."""
    query = select(OutboxRow).order_by(OutboxRow.id.desc()).limit(limit)
    if status is not None:
        query = query.where(OutboxRow.status == status)
    return [{"message_id": r.message_id, "to_party": r.to_party, "action": r.action,
             "status": r.status, "attempts": r.attempts, "created_at": r.created_at,
             "next_attempt_at": r.next_attempt_at if r.status == PENDING else None,
             "last_error": r.last_error, "delivered_at": r.delivered_at}
            for r in session.execute(query).scalars()]


def outbox_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status))
    return {str(status): int(count) for status, count in rows}


def insert_inbox(session: Session, envelope: Envelope, payload: dict[str, Any], token: str,
                 now: datetime, digest: str) -> bool:
    """Store a received message once: False when its message id is already there (a second
    copy racing this one waits for the first to commit, then inserts nothing)."""
    inserted = session.connection().execute(
        dialect_insert(session, InboxRow).on_conflict_do_nothing(
            index_elements=["message_id"]),
        dict(message_id=envelope.message_id, from_party=envelope.from_party,
             action=envelope.action, purpose=envelope.purpose,
             agreement_ref=envelope.agreement_ref, envelope=envelope.as_dict(),
             payload=payload, token=token, received_at=now, digest=digest))
    return bool(inserted.rowcount)


def inbox_digest(session: Session, message_id: str) -> str | None:
    """The digest of a received message (None: never received). Kept when data protection
    erases its payload and token; a row stored before the digest column is digested from
    its token."""
    row = session.execute(select(InboxRow.digest, InboxRow.token)
                          .where(InboxRow.message_id == message_id)).one_or_none()
    if row is None:
        return None
    return row.digest or signing.message_digest(*signing.peek(row.token))


def inbox(session: Session, *, from_party: str | None, limit: int) -> list[dict[str, Any]]:
    """The latest messages received (envelope and payload), newest first."""
    query = select(InboxRow).order_by(InboxRow.id.desc()).limit(limit)
    if from_party is not None:
        query = query.where(InboxRow.from_party == from_party)
    return [{"message_id": r.message_id, "from_party": r.from_party, "action": r.action,
             "purpose": r.purpose, "agreement_ref": r.agreement_ref, "envelope": r.envelope,
             "payload": r.payload, "received_at": r.received_at}
            for r in session.execute(query).scalars()]


def add_receipt(session: Session, message_id: str, direction: str, token: str,
                now: datetime) -> None:
    session.connection().execute(
        dialect_insert(session, ReceiptRow).on_conflict_do_nothing(
            index_elements=["message_id", "direction"]),
        dict(message_id=message_id, direction=direction, token=token, received_at=now))


def receipt(session: Session, message_id: str, direction: str) -> str | None:
    return session.execute(select(ReceiptRow.token).where(
        ReceiptRow.message_id == message_id, ReceiptRow.direction == direction)
    ).scalar_one_or_none()
