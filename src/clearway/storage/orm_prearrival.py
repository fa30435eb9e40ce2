"""Storage rows of the pre-arrival flow (alarms here; the receiving side's announcements and
booth records, and the sending side's exit records, beside them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class AlarmRow(Base):
    """An alarm (prearrival.model.Alarm). status: open / closed (closed with a reason)."""

    __tablename__ = "arrival_alarms"
    __table_args__ = (Index("ix_arrival_alarms_status", "status", "raised_at"),
                      Index("ix_arrival_alarms_declaration", "declaration_id"),
                      Index("ix_arrival_alarms_mrn", "mrn"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    partner: Mapped[str] = mapped_column(String(8))
    mrn: Mapped[str | None] = mapped_column(String(35))
    reason: Mapped[str] = mapped_column(String(500))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    declaration_id: Mapped[int | None] = mapped_column(BigId)
    arrival_id: Mapped[int | None] = mapped_column(BigId)
    exit_record_id: Mapped[int | None] = mapped_column(BigId)
    item: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(100))
    close_reason: Mapped[str | None] = mapped_column(String(500))
