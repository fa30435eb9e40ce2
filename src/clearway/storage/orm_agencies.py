"""Storage rows of the single window's other agencies: the agencies, the regulatory matrix's
versions (proposed, approved by another), the agencies' tasks on accepted declarations with
every step, and the declarations whose release waits for them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class AgencyRow(Base):
    __tablename__ = "agencies"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    target_minutes: Mapped[int] = mapped_column(Integer)
    inspection_rate: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))


class MatrixVersionRow(Base):
    """One version of the regulatory matrix, as proposed (the CSV kept whole); it applies
    from `valid_from` once approved by someone other than its proposer."""

    __tablename__ = "agency_matrix_versions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    status: Mapped[str] = mapped_column(String(12))        # proposed, approved, rejected
    valid_from: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    rule_count: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    proposed_by: Mapped[str] = mapped_column(String(120))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)


class AgencyTaskRow(Base):
    """What one agency must decide on one declaration: its routed items (and nothing else of
    the declaration), its own selection, and its decision."""

    __tablename__ = "agency_tasks"
    __table_args__ = (UniqueConstraint("declaration_id", "agency", name="uq_agency_tasks"),
                      Index("ix_agency_tasks_agency_status", "agency", "status"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(35))     # the MRN
    agency: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    office: Mapped[str | None] = mapped_column(String(10))
    matrix_version: Mapped[int] = mapped_column(Integer)
    items: Mapped[list] = mapped_column(JSON)              # the routed items, as the agency sees
    holds_release: Mapped[bool] = mapped_column(Boolean)   # some rule forbids moving first
    selected: Mapped[bool] = mapped_column(Boolean)
    selection: Mapped[list] = mapped_column(JSON)          # why (or why not) selected
    status: Mapped[str] = mapped_column(String(20))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str | None] = mapped_column(String(30))
    text: Mapped[str | None] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    routed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(120))


class AgencyStepRow(Base):
    """Every step of an agency task (routed, started, each decision): time, person, place."""

    __tablename__ = "agency_task_steps"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("agency_tasks.id", ondelete="CASCADE"),
                                         index=True)
    step: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(120))
    office: Mapped[str | None] = mapped_column(String(10))
    detail: Mapped[dict] = mapped_column(JSON)


class AgencyHoldRow(Base):
    """A declaration whose release waits for agencies: whether customs has cleared it
    (its own release, recorded while the agencies still decide)."""

    __tablename__ = "agency_holds"
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), primary_key=True)
    customs_cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    customs_by: Mapped[str | None] = mapped_column(String(120))


class JointInspectionRow(Base):
    """One physical examination of a declaration's goods, booked once for every party that
    selected them for inspection (customs' control, agencies); each records its section."""

    __tablename__ = "joint_inspections"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), unique=True)
    reference: Mapped[str] = mapped_column(String(35))
    office: Mapped[str | None] = mapped_column(String(10))
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime())
    slot_end: Mapped[datetime] = mapped_column(UTCDateTime())
    parties: Mapped[list] = mapped_column(JSON)        # "customs" and agency codes
    status: Mapped[str] = mapped_column(String(12))    # booked, examined, done
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    booked_by: Mapped[str] = mapped_column(String(120))
    examined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class JointResultRow(Base):
    """One party's section of a joint inspection's result."""

    __tablename__ = "joint_inspection_results"
    __table_args__ = (UniqueConstraint("inspection_id", "party", name="uq_joint_results"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("joint_inspections.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
