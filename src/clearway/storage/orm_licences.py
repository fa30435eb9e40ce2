"""Storage rows of the register of licences, permits and certificates: the licences, their
lines with what is left of them, and what accepted declarations wrote off (kept when reversed,
with the time of the reversal)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class LicenceRow(Base):
    """A licence under one document code; its number is unique under that code."""

    __tablename__ = "licences"
    __table_args__ = (UniqueConstraint("type", "number", name="uq_licences_type_number"),
                      Index("ix_licences_holder", "holder"),
                      Index("ix_licences_agency", "agency"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(4))
    number: Mapped[str] = mapped_column(String(70))
    holder: Mapped[str] = mapped_column(String(40))
    agency: Mapped[str] = mapped_column(String(20))
    countries: Mapped[list] = mapped_column(JSON)
    end_user: Mapped[str | None] = mapped_column(String(200))
    single_use: Mapped[bool] = mapped_column(Boolean)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LicenceLineRow(Base):
    """A line: goods (HS prefix), granted quantity/value and what is left. The check
    constraints are the last guard of the race guarantee: nothing is ever drawn below zero.
    Six decimals, as many as a declared amount may carry: no draw is rounded away."""

    __tablename__ = "licence_lines"
    __table_args__ = (UniqueConstraint("licence_id", "line", name="uq_licence_lines_line"),
                      CheckConstraint("remaining_quantity >= 0",
                                      name="ck_licence_lines_quantity_left"),
                      CheckConstraint("remaining_value >= 0", name="ck_licence_lines_value_left"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"))
    line: Mapped[int] = mapped_column(Integer)
    hs_prefix: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(10))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(21, 6))
    remaining_quantity: Mapped[Decimal | None] = mapped_column(Numeric(21, 6))
    currency: Mapped[str | None] = mapped_column(String(3))
    value: Mapped[Decimal | None] = mapped_column(Numeric(21, 6))
    remaining_value: Mapped[Decimal | None] = mapped_column(Numeric(21, 6))


class LicenceWriteOffRow(Base):
    """What one item of an accepted declaration drew from a line; a reversal (amendment,
    cancellation, invalidation) gives it back and stamps `reversed_at`."""

    __tablename__ = "licence_write_offs"
    __table_args__ = (Index("ix_licence_write_offs_declaration", "declaration_id"),
                      Index("ix_licence_write_offs_licence", "licence_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"))
    line_id: Mapped[int] = mapped_column(ForeignKey("licence_lines.id", ondelete="CASCADE"))
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"))
    mrn: Mapped[str | None] = mapped_column(String(18))
    version: Mapped[int] = mapped_column(Integer)
    item: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(4))
    reference: Mapped[str] = mapped_column(String(70))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(21, 6))
    value: Mapped[Decimal | None] = mapped_column(Numeric(21, 6))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reversal: Mapped[str | None] = mapped_column(String(20))
