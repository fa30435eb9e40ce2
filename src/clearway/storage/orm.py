"""Storage rows of declarations, users, notifications, reference data and the audit trail.

Only the code that reads or writes the database imports the `orm*` modules: repositories,
use cases and read-side queries, which map rows to the domain's objects (and the few views
and schemas that shape a row into an answer). A domain's `model.py` and the pure risk
engine never import storage, so their rules are tested without a database."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    trader_id: Mapped[str | None] = mapped_column(String(40), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SignInFailureRow(Base):
    """A failed token check, by client address: shared by every API process so that the
    sign-in throttle counts across processes and restarts. Rows older than the window are
    deleted as new failures come in."""

    __tablename__ = "signin_failures"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    client_key: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    __table_args__ = (Index("ix_signin_failures_client_key", "client_key", "at"),)


class RefDataSetRow(Base):
    """One loaded version of one reference list, kept whole so any version can be replayed."""

    __tablename__ = "refdata_sets"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    list_name: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    loaded_by: Mapped[str] = mapped_column(String(120))
    row_count: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)


class DeclarationRow(Base):
    __tablename__ = "declarations"
    __table_args__ = (
        # The LRN is unique per declarant among filings that were not rejected: a rejected
        # LRN may be lodged again once corrected.
        Index(
            "uq_declarations_declarant_lrn",
            "declarant_id",
            "lrn",
            unique=True,
            sqlite_where=text("status <> 'rejected'"),
            postgresql_where=text("status <> 'rejected'"),
        ),
        Index("ix_declarations_status_created", "status", "created_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    mrn: Mapped[str | None] = mapped_column(String(18), unique=True)
    lrn: Mapped[str] = mapped_column(String(35))
    declarant_id: Mapped[str] = mapped_column(String(40))
    submitted_by: Mapped[str] = mapped_column(String(40))
    declaration_type: Mapped[str] = mapped_column(String(3))
    additional_type: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    format: Mapped[str] = mapped_column(String(10))
    content_hash: Mapped[str] = mapped_column(String(64))
    office: Mapped[str | None] = mapped_column(String(10))
    item_count: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict] = mapped_column(JSON)
    envelope: Mapped[dict] = mapped_column(JSON)
    errors: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeclarationItemRow(Base):
    """Goods items, one row each, so that risk and reporting can query them in bulk."""

    __tablename__ = "declaration_items"
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), primary_key=True
    )
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True)
    commodity_code: Mapped[str | None] = mapped_column(String(12), index=True)
    origin_country: Mapped[str | None] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(Text)
    net_mass: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    gross_mass: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))


class DeclarationPartyRow(Base):
    """Every trader named on a declaration: a trader may read the filings it is party to."""

    __tablename__ = "declaration_parties"
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), primary_key=True
    )
    party_id: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class DeclarationVersionRow(Base):
    """Each accepted version of a declaration; amendments add one, nothing is overwritten."""

    __tablename__ = "declaration_versions"
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    format: Mapped[str] = mapped_column(String(10))
    content_hash: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict] = mapped_column(JSON)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EventRow(Base):
    __tablename__ = "declaration_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    detail: Mapped[dict] = mapped_column(JSON)


class NotificationRow(Base):
    """A message to a trader. Its id is the pull cursor; it stays until acknowledged."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_trader_id", "trader_id", "id"),
        # What a trader's pull and acknowledge look for: the ones not yet acknowledged. Only
        # those are in this index, so finding them costs the same after a million were read
        # (the full index would walk every acknowledged one first).
        Index("ix_notifications_unacknowledged", "trader_id", "id",
              sqlite_where=text("acknowledged_at IS NULL"),
              postgresql_where=text("acknowledged_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    trader_id: Mapped[str] = mapped_column(String(40))
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("declarations.id"), index=True)
    mrn: Mapped[str | None] = mapped_column(String(18))
    lrn: Mapped[str] = mapped_column(String(35))
    kind: Mapped[str] = mapped_column(String(30))
    format: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict] = mapped_column(JSON)
    body: Mapped[str | None] = mapped_column(Text)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebhookRow(Base):
    """A trader's push endpoint and its circuit breaker (clearway.notifications.circuit): the
    breaker lives here so every dispatcher process and a restart see the same state."""

    __tablename__ = "webhooks"
    trader_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    circuit_state: Mapped[str] = mapped_column(String(10), default="closed",
                                               server_default="closed")
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # open: no attempt before this; half_open: the probe's lease ends then.
    circuit_open_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditHeadRow(Base):
    """The chain's head, one row: writers lock it so entries are numbered without gaps."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditRow(Base):
    """Append-only audit trail; each entry's hash covers its content and the previous hash."""

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(60))
    detail: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
