"""Storage rows of partnerships with trade (the MoU register, its members, consultations and
their follow-up actions) and of the whistleblowing channel (reports and their messages)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class MouRow(Base):
    """A memorandum of understanding with a trade association, a carrier or a public body."""

    __tablename__ = "mous"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # trade_association / carrier / public_body
    parties: Mapped[list[str]] = mapped_column(JSON)
    scope: Mapped[str] = mapped_column(Text)
    obligations: Mapped[list[str]] = mapped_column(JSON)
    facilitations: Mapped[list[str]] = mapped_column(JSON)
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reviews: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    next_review_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MouMemberRow(Base):
    """A trader (its EORI) given the MoU's facilitations from `valid_from` to `valid_to`."""

    __tablename__ = "mou_members"
    __table_args__ = (Index("ix_mou_members_trader", "trader_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    mou_code: Mapped[str] = mapped_column(ForeignKey("mous.code", ondelete="CASCADE"),
                                          index=True)
    trader_id: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    changed_by: Mapped[str] = mapped_column(String(120))


class ConsultationRow(Base):
    """A meeting with trade: who took part, the topics and what came out of it."""

    __tablename__ = "consultations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    participants: Mapped[list[str]] = mapped_column(JSON)
    topics: Mapped[list[str]] = mapped_column(JSON)
    outcomes: Mapped[str] = mapped_column(Text)
    mou_code: Mapped[str | None] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(120))


class ConsultationActionRow(Base):
    """A follow-up action of a consultation: what, who owns it, by when, and when done."""

    __tablename__ = "consultation_actions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_note: Mapped[str | None] = mapped_column(Text)


class WhistleReportRow(Base):
    """An anonymous report. Nothing of who sent it: no account, address or browser; the
    receipt code only as its SHA-256; the day received, not the time."""

    __tablename__ = "whistle_reports"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    case_reference: Mapped[str] = mapped_column(String(40), unique=True)
    topic: Mapped[str] = mapped_column(String(40))
    received_on: Mapped[date] = mapped_column(Date)


class WhistleMessageRow(Base):
    """A message of a report's thread: the report itself, the auditor's questions and
    answers, the reporter's follow-ups (the day only, like the report)."""

    __tablename__ = "whistle_messages"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("whistle_reports.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(10))  # reporter / auditor
    body: Mapped[str] = mapped_column(Text)
    written_on: Mapped[date] = mapped_column(Date)
