"""Storage rows of mirror analysis: the monthly export aggregates partners sent (their side;
this administration's own side is computed from its declarations when compared)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class MirrorPartnerPeriodRow(Base):
    """Which message a partner's aggregates for a month came from: a month with no exports
    still has this row, so "received, nothing exported" differs from "never received"."""

    __tablename__ = "mirror_partner_periods"
    partner: Mapped[str] = mapped_column(String(2), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    message_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the envelope's creation
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rows: Mapped[int] = mapped_column(Integer)


class MirrorPartnerExportRow(Base):
    """One HS6 of a partner's exports to this administration in a month (no trader data)."""

    __tablename__ = "mirror_partner_exports"
    __table_args__ = (UniqueConstraint("partner", "period", "hs6",
                                       name="uq_mirror_partner_exports"),
                      Index("ix_mirror_partner_exports_message", "message_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    partner: Mapped[str] = mapped_column(String(2))
    period: Mapped[str] = mapped_column(String(7))
    hs6: Mapped[str] = mapped_column(String(6))
    value_eur: Mapped[float] = mapped_column(Float)
    mass_kg: Mapped[float] = mapped_column(Float)
    count: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
