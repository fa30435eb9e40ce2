"""Storage rows of the pre-arrival flow: alarms; the receiving side's announcements, their
containers, booth records and tolerances; the sending side's exit records."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class AlarmRow(Base):
    """An alarm (prearrival.model.Alarm). status: open / closed (closed with a reason)."""

    __tablename__ = "arrival_alarms"
    __table_args__ = (Index("ix_arrival_alarms_status", "status", "raised_at"),
                      Index("ix_arrival_alarms_declaration", "declaration_id"),
                      Index("ix_arrival_alarms_mrn", "mrn"),
                      Index("ix_arrival_alarms_arrival", "arrival_id"),
                      Index("ix_arrival_alarms_kind", "kind", "status"))
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


class ExitRecordRow(Base):
    """An export or transit announced to a partner on its release for exit, and what the
    partner confirmed. status: announced / confirmed / unconfirmed (nothing by deadline_at);
    `confirmation` holds the partner's result, arrived_at, office_of_entry, alarm kinds."""

    __tablename__ = "exit_records"
    __table_args__ = (UniqueConstraint("partner", "mrn", name="uq_exit_records_partner_mrn"),
                      Index("ix_exit_records_status_deadline", "status", "deadline_at"),
                      Index("ix_exit_records_declaration", "declaration_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    declaration_id: Mapped[int] = mapped_column(BigId)
    mrn: Mapped[str] = mapped_column(String(35))
    partner: Mapped[str] = mapped_column(String(8))
    agreement_id: Mapped[str] = mapped_column(String(100))
    message_id: Mapped[str] = mapped_column(String(64))
    office_of_exit: Mapped[str] = mapped_column(String(35))
    office_of_entry: Mapped[str] = mapped_column(String(35))
    exit_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(12))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmation: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ArrivalAlarmWeightRow(Base):
    """What an alarm kind weighs in the risk decision, as analysts set it (a kind without a
    row weighs its default: `prearrival.ruleset.DEFAULT_WEIGHTS`)."""

    __tablename__ = "arrival_alarm_weights"
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)
    min_channel: Mapped[str | None] = mapped_column(String(8))
    hard: Mapped[bool] = mapped_column(Boolean)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ArrivalRow(Base):
    """An anticipated arrival received from a partner (prearrival.payload.AnticipatedArrival
    in `payload`); the other columns are the matching keys. status: expected / arrived /
    overdue; `matched_kind` (declaration / ens / crossing) and `matched_ref` name what
    arrived first. `vehicle` is normalised (upper case, no spaces or dashes)."""

    __tablename__ = "anticipated_arrivals"
    __table_args__ = (Index("ix_anticipated_arrivals_mrn", "mrn"),
                      Index("ix_anticipated_arrivals_office", "office_of_entry", "status"),
                      Index("ix_anticipated_arrivals_vehicle", "vehicle"),
                      Index("ix_anticipated_arrivals_due", "status", "deadline_at"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    partner: Mapped[str] = mapped_column(String(8))
    agreement_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(64))
    mrn: Mapped[str] = mapped_column(String(35))
    office_of_exit: Mapped[str] = mapped_column(String(35))
    office_of_entry: Mapped[str] = mapped_column(String(35))
    exit_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    vehicle: Mapped[str | None] = mapped_column(String(35))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12))
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    matched_kind: Mapped[str | None] = mapped_column(String(12))
    matched_ref: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ArrivalContainerRow(Base):
    """A container number an anticipated arrival announces (one row each, so a container
    finds its arrival by index)."""

    __tablename__ = "arrival_containers"
    __table_args__ = (Index("ix_arrival_containers_container", "container"),)
    arrival_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("anticipated_arrivals.id", ondelete="CASCADE"), primary_key=True)
    container: Mapped[str] = mapped_column(String(17), primary_key=True)


class CrossingRow(Base):
    """A border crossing an officer recorded at the booth: what the vehicle carried, and the
    anticipated arrival it matched (None: none announced)."""

    __tablename__ = "border_crossings"
    __table_args__ = (Index("ix_border_crossings_vehicle", "vehicle"),
                      Index("ix_border_crossings_arrival", "arrival_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    office: Mapped[str] = mapped_column(String(35))
    vehicle: Mapped[str] = mapped_column(String(35))
    containers: Mapped[list[str]] = mapped_column(JSON)
    seals: Mapped[list[str]] = mapped_column(JSON)
    from_country: Mapped[str | None] = mapped_column(String(2))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    arrival_id: Mapped[int | None] = mapped_column(BigId)
    # Integrated border management (docs/border.md): the crossing point, the direction, the
    # trailer and the driver's keyed pseudonym (never a name or document number).
    point: Mapped[str | None] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(5), server_default="entry")
    trailer: Mapped[str | None] = mapped_column(String(35))
    driver: Mapped[str | None] = mapped_column(String(120))


class ToleranceRow(Base):
    """How far what arrives may differ from what was announced, per HS chapter ("*": every
    chapter without its own row)."""

    __tablename__ = "arrival_tolerances"
    hs_chapter: Mapped[str] = mapped_column(String(2), primary_key=True)
    mass_pct: Mapped[Decimal] = mapped_column(Numeric(7, 3))
    packages_abs: Mapped[int] = mapped_column(Integer)
    value_pct: Mapped[Decimal] = mapped_column(Numeric(7, 3))
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
