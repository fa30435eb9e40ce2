"""Storage rows of the progress report to the regional conference (R9): conferences,
reports (one per administration, conference and version) and their sections."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class ConferenceRow(Base):
    __tablename__ = "progress_conferences"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    administrations: Mapped[list[str]] = mapped_column(JSON)  # country codes
    period_start: Mapped[date] = mapped_column(Date)
    lead_months: Mapped[int] = mapped_column(Integer)
    reminder_days: Mapped[list[int]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))


class ProgressReportRow(Base):
    """One version of one administration's report for one conference. `content` and
    `content_hash` are set when it is approved (or imported) and never change after."""

    __tablename__ = "progress_reports"
    __table_args__ = (UniqueConstraint("conference", "administration", "version",
                                       name="uq_progress_reports_version"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    conference: Mapped[str] = mapped_column(ForeignKey("progress_conferences.code"),
                                            index=True)
    administration: Mapped[str] = mapped_column(String(2))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))   # user name
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(120))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    content_hash: Mapped[str | None] = mapped_column(String(64))


class ProgressSectionRow(Base):
    """A section while the report is written: its owner (a user name), narrative, and who
    completed it."""

    __tablename__ = "progress_sections"
    report_id: Mapped[int] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), primary_key=True)
    section: Mapped[str] = mapped_column(String(20), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(120))
    narrative: Mapped[str] = mapped_column(Text)
    completed_by: Mapped[str | None] = mapped_column(String(120))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
