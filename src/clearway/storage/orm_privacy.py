"""Storage rows of data protection (Convention 108+): the access log of exchanged personal
data, the originators' consents to another use or recipient, retention extensions and
erasures, and the breach register."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class AccessLogRow(Base):
    """One read, list, export, disclosure, rectification or erasure of exchanged personal
    data, or one blocked attempt. action: read / list / export / disclose / erase / rectify /
    blocked. Readable only by the data protection officer and auditors."""

    __tablename__ = "privacy_access_log"
    __table_args__ = (Index("ix_privacy_access_log_at", "at"),
                      Index("ix_privacy_access_log_message", "message_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(12))
    message_id: Mapped[str | None] = mapped_column(String(64))
    record: Mapped[str | None] = mapped_column(String(100))
    purpose: Mapped[str | None] = mapped_column(String(60))
    recipient: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class ConsentRow(Base):
    """The originator's consent to use a received message for another purpose, or to pass
    it on to another recipient (one of the two is set)."""

    __tablename__ = "privacy_consents"
    __table_args__ = (Index("ix_privacy_consents_message", "message_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str | None] = mapped_column(String(60))
    recipient: Mapped[str | None] = mapped_column(String(100))
    granted_by: Mapped[str] = mapped_column(String(8))
    reference: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class RetentionExtensionRow(Base):
    """Days added to a received message's retention, with the reason (counted)."""

    __tablename__ = "privacy_retention_extensions"
    __table_args__ = (Index("ix_privacy_retention_extensions_message", "message_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(64))
    days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ErasureRow(Base):
    """A received message whose data was erased. cause: retention / erasure (a data
    subject's request here) / correction (the originator's erasure message)."""

    __tablename__ = "privacy_erasures"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    cause: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class BreachRow(Base):
    """A personal data breach. status: open / contained / closed."""

    __tablename__ = "privacy_breaches"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime())
    description: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON)
    subjects_affected: Mapped[int] = mapped_column(Integer)
    partners_notified: Mapped[list[str]] = mapped_column(JSON)
    authority_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    measures: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    recorded_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
