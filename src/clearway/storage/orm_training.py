"""Storage rows of officers' training: courses and completed trainings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class TrainingCourseRow(Base):
    __tablename__ = "training_courses"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    qualification: Mapped[str | None] = mapped_column(String(40), index=True)
    validity_months: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TrainingRecordRow(Base):
    """One completed training; `expires_on` is fixed when recorded (course validity then)."""

    __tablename__ = "training_records"
    __table_args__ = (Index("ix_training_records_officer", "officer_id"),
                      Index("ix_training_records_completed", "completed_on"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_code: Mapped[str] = mapped_column(ForeignKey("training_courses.code"))
    completed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(120))


class TrainingSessionRow(Base):
    """A course session in the yearly training plan: seats, trainer and budget; once held,
    the day, what it cost and who attended (each attendee gets a training record)."""

    __tablename__ = "training_sessions"
    __table_args__ = (Index("ix_training_sessions_year", "year"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    course_code: Mapped[str] = mapped_column(ForeignKey("training_courses.code"))
    office: Mapped[str | None] = mapped_column(String(16))  # none: open to every office
    planned_on: Mapped[date] = mapped_column(Date)
    seats: Mapped[int] = mapped_column(Integer)
    trainer: Mapped[str] = mapped_column(String(120))
    budget: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    held_on: Mapped[date | None] = mapped_column(Date)
    spent: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    attendees: Mapped[list[int]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))
