"""Storage rows of integrated border management: crossing points, the booth record's links to
the documents presented, the shared watch lists (with one index row per compared key) and
the alerts they raise (with one row per service concerned, so a service's room is read on an
index)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class CrossingPointRow(Base):
    """A border crossing point: the customs office it belongs to, the neighbouring country,
    the modes it serves and the agencies present (their codes)."""

    __tablename__ = "border_crossing_points"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    office: Mapped[str] = mapped_column(String(35))
    neighbour: Mapped[str] = mapped_column(String(2))
    modes: Mapped[list[str]] = mapped_column(JSON)
    agencies: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CrossingDocumentRow(Base):
    """A document presented at the booth for a crossing: a declaration's or an ENS's MRN
    (kind: declaration / ens). Indexed by MRN: "the crossings of this MRN" is one read."""

    __tablename__ = "border_crossing_documents"
    __table_args__ = (Index("ix_border_crossing_documents_mrn", "mrn"),)
    crossing_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("border_crossings.id", ondelete="CASCADE"), primary_key=True)
    mrn: Mapped[str] = mapped_column(String(35), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))


class WatchEntryRow(Base):
    """An entry of the shared watch lists (border.model.WatchEntry). `shown` is what officers
    read (for a person: the pseudonym, never a name)."""

    __tablename__ = "watch_entries"
    __table_args__ = (Index("ix_watch_entries_owner", "owner"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(12))
    shown: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(20))
    shared_with: Mapped[list[str]] = mapped_column(JSON)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_by: Mapped[str | None] = mapped_column(String(100))
    end_reason: Mapped[str | None] = mapped_column(String(500))


class WatchKeyRow(Base):
    """A normalised value an entry is found by (facet: plate / container / eori / name /
    person); a company may have its EORI and several name readings, a person a pseudonym
    under each border key."""

    __tablename__ = "watch_keys"
    __table_args__ = (Index("ix_watch_keys_key", "key"),)
    entry_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("watch_entries.id", ondelete="CASCADE"), primary_key=True)
    facet: Mapped[str] = mapped_column(String(12), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)


class WatchAlertRow(Base):
    """A hit of an entry on a booth record, declaration or ENS, stored once per entry and
    object. status: open / closed (with a reason)."""

    __tablename__ = "watch_alerts"
    __table_args__ = (UniqueConstraint("entry_id", "object_type", "object_ref",
                                       name="uq_watch_alerts_entry_object"),
                      Index("ix_watch_alerts_object", "object_type", "object_ref"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(BigId, ForeignKey("watch_entries.id"))
    kind: Mapped[str] = mapped_column(String(12))
    matched: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(120))
    object_type: Mapped[str] = mapped_column(String(12))
    object_ref: Mapped[str] = mapped_column(String(35))
    reason: Mapped[str] = mapped_column(String(500))
    services: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(8))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(100))
    close_reason: Mapped[str | None] = mapped_column(String(500))


class WatchAlertServiceRow(Base):
    """A service an alert concerns: its room lists the alert."""

    __tablename__ = "watch_alert_services"
    __table_args__ = (Index("ix_watch_alert_services_service", "service", "alert_id"),)
    alert_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("watch_alerts.id", ondelete="CASCADE"), primary_key=True)
    service: Mapped[str] = mapped_column(String(20), primary_key=True)
