"""Storage rows of the instructions room: the library of instructions and circulars (every
version kept) and officers' acknowledgements of a version."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class InstructionRow(Base):
    """One version of an instruction or circular. Publishing a code again adds a version;
    officers acknowledge each version anew."""

    __tablename__ = "instructions"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_instructions_code_version"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # instruction / circular
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))  # the unit answerable for it
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    qualifications: Mapped[list[str]] = mapped_column(JSON)  # officers holding one of them
    offices: Mapped[list[str]] = mapped_column(JSON)  # officers on duty at one of them
    areas: Mapped[list[str]] = mapped_column(JSON)  # risk areas of the controls it governs
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_by: Mapped[str] = mapped_column(String(120))


class InstructionAckRow(Base):
    """An officer's acknowledgement of one version of an instruction."""

    __tablename__ = "instruction_acknowledgements"
    __table_args__ = (UniqueConstraint("code", "version", "officer_id",
                                       name="uq_instruction_ack"),
                      Index("ix_instruction_ack_officer", "officer_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime())
