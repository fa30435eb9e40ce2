"""Storage rows of the controls and integrity rooms: duty roster, control tasks, results,
evidence, four-eyes overrides, profile effectiveness, audit checkpoints, integrity cases.
Who may import it: see `storage.orm`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class DutyShiftRow(Base):
    """An officer on duty at an office over [starts_at, ends_at). Only officers on duty at
    the declaration's office when a task is assigned can receive it."""

    __tablename__ = "duty_shifts"
    __table_args__ = (Index("ix_duty_shifts_office_time", "office", "starts_at", "ends_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    office: Mapped[str] = mapped_column(String(16))
    # The post's function at the office (sensitive posts rotate: docs/integrity-prevention.md)
    function: Mapped[str] = mapped_column(String(24), default="control",
                                          server_default="control")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))


class ControlTaskRow(Base):
    """One control of one declaration (documentary, physical or post-clearance audit).
    status: awaiting_officer (nobody eligible on duty yet) / assigned / in_progress /
    done / waived / cancelled."""

    __tablename__ = "control_tasks"
    __table_args__ = (Index("ix_control_tasks_officer_status", "officer_id", "status"),
                      Index("ix_control_tasks_office_status", "office", "status"),
                      Index("ix_control_tasks_declaration", "declaration_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id",
                                                           ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(40))  # MRN (or LRN) shown to officers
    office: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(8))  # yellow / red / blue
    kind: Mapped[str] = mapped_column(String(24))  # documentary / physical / audit
    status: Mapped[str] = mapped_column(String(20))
    qualifications: Mapped[list[str]] = mapped_column(JSON)  # all needed
    reasons: Mapped[list[str]] = mapped_column(JSON)
    instructions: Mapped[list[str]] = mapped_column(JSON)
    random_selected: Mapped[bool] = mapped_column(Boolean)
    origin: Mapped[str] = mapped_column(String(16))  # decision / override / sample
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TaskAssignmentRow(Base):
    """Every assignment of a task, first or reassigned (with the supervisor's reason)."""

    __tablename__ = "task_assignments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("control_tasks.id", ondelete="CASCADE"),
                                         index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(120))  # "system" or the supervisor's actor
    reason: Mapped[str | None] = mapped_column(Text)
    eligible: Mapped[int] = mapped_column(Integer)  # officers it could have gone to
    # Officers left out for a declared interest in a party, counted by kind of link (never
    # who, nor with whom): {"relative": 1}
    excluded: Mapped[dict[str, int] | None] = mapped_column(JSON)


class ControlResultRow(Base):
    """What a control found. One per task; the label store reads outcomes here."""

    __tablename__ = "control_results"
    __table_args__ = (Index("ix_control_results_recorded", "recorded_at"),)
    task_id: Mapped[int] = mapped_column(ForeignKey("control_tasks.id", ondelete="CASCADE"),
                                         primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id",
                                                           ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(12))  # regular / irregular
    irregularities: Mapped[list[str]] = mapped_column(JSON)
    revenue: Mapped[Any] = mapped_column(Numeric(18, 2))  # additional duties and taxes
    seizures: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # item, quantity, unit, what
    action: Mapped[str] = mapped_column(String(12))  # release / detain / seize
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EvidenceFileRow(Base):
    """A file attached to a control (photo, lab report), stored with its SHA-256."""

    __tablename__ = "evidence_files"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("control_tasks.id", ondelete="CASCADE"),
                                         index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uploaded_by: Mapped[str] = mapped_column(String(120))


class OverrideRow(Base):
    """A four-eyes request: channel change, waiver of a control, or cancellation after
    selection. Takes effect only when a second person approves."""

    __tablename__ = "overrides"
    __table_args__ = (Index("ix_overrides_status", "status"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id",
                                                           ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # channel_change / waiver / cancellation
    from_channel: Mapped[str | None] = mapped_column(String(8))
    to_channel: Mapped[str | None] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))  # pending / approved / rejected
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)
    audit_sampled: Mapped[bool] = mapped_column(Boolean, default=False)


class ProfileEffectivenessRow(Base):
    """Running effectiveness of a risk profile (by code, all versions), updated in the
    transaction that records each control result."""

    __tablename__ = "profile_effectiveness"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    controls: Mapped[int] = mapped_column(Integer)
    hits: Mapped[int] = mapped_column(Integer)  # controls found irregular
    revenue: Mapped[Any] = mapped_column(Numeric(18, 2))
    last_control_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_hit_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditCheckpointRow(Base):
    """A signed statement "the chain's entry N has hash H", made periodically. The signing
    key is kept outside the database, so a rewritten chain cannot be re-signed."""

    __tablename__ = "audit_checkpoints"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(Integer, index=True)
    entry_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(200))


class IntegrityCaseRow(Base):
    """A register entry of an integrity case (R4): allegation, officer, status, sanction."""

    __tablename__ = "integrity_cases"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    opened_on: Mapped[date] = mapped_column(Date, index=True)
    allegation: Mapped[str] = mapped_column(String(40))  # type, e.g. bribery
    description: Mapped[str] = mapped_column(Text)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    office: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(40))  # indicator / complaint / audit / ...
    status: Mapped[str] = mapped_column(String(20))  # open/investigating/substantiated/unfounded
    sanction: Mapped[str | None] = mapped_column(String(40))
    closed_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
