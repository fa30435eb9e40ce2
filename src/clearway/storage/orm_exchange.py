"""Storage rows of the exchange with partner administrations: the partner register, the
agreements, the outbox of signed messages waiting for delivery, the inbox of messages
received, and the signed receipts of both directions (kept for non-repudiation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class PartnerRow(Base):
    """A partner administration: where its inbox is and the key its messages are signed
    with. status: active / suspended (a suspended partner's messages are refused)."""

    __tablename__ = "partners"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    inbox_url: Mapped[str] = mapped_column(String(500))
    public_key_pem: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AgreementRow(Base):
    """An agreement as loaded (its whole content in `document`); loading it again replaces it."""

    __tablename__ = "agreements"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxRow(Base):
    """A signed message to a partner. status: pending (until a valid signed receipt is back;
    `next_attempt_at` is when a worker may take it, moved to the end of the lease while one
    holds it) / delivered."""

    __tablename__ = "exchange_outbox"
    __table_args__ = (Index("ix_exchange_outbox_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    to_party: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(60))
    token: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InboxRow(Base):
    """A message received and accepted, with the token exactly as it arrived."""

    __tablename__ = "exchange_inbox"
    __table_args__ = (Index("ix_exchange_inbox_from_received", "from_party", "received_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    from_party: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(60))
    purpose: Mapped[str] = mapped_column(String(60))
    agreement_ref: Mapped[str] = mapped_column(String(100))
    envelope: Mapped[dict[str, Any]] = mapped_column(JSON)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    token: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # SHA-256 of the envelope and payload: kept when retention or a correction empties
    # `payload` and `token`, so a late retry still gets its receipt (null: stored before 0014).
    digest: Mapped[str | None] = mapped_column(String(64))


class ReceiptRow(Base):
    """A signed receipt: `out` the partner's for a message this side sent, `in` this side's
    for a message it received (answered again, unchanged, when the sender retries)."""

    __tablename__ = "exchange_receipts"
    __table_args__ = (UniqueConstraint("message_id", "direction",
                                       name="uq_exchange_receipts_message"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(3))
    token: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
