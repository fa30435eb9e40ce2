"""Storage rows of the summary declarations' (ENS, EXS) answer loop: the requests for
information sent to carriers, with their answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class RfiRow(Base):
    """A request for information on an ENS/EXS. status: open / closed. `asked` lists the
    data asked for, in the carrier's words; `answered_by` is "text" (the answer endpoint) or
    "amendment" (an amended filing, version `answer_version`); `outcome_after` the outcome
    the carrier was told once it was closed by an amendment."""

    __tablename__ = "summary_rfis"
    __table_args__ = (Index("ix_summary_rfis_declaration", "declaration_id", "status"),
                      Index("ix_summary_rfis_status", "status", "asked_at"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    declaration_id: Mapped[int] = mapped_column(BigId, ForeignKey("declarations.id"))
    mrn: Mapped[str] = mapped_column(String(35))
    version: Mapped[int] = mapped_column(Integer)
    asked: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(12))
    answer_version: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_actor: Mapped[str | None] = mapped_column(String(120))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome_after: Mapped[str | None] = mapped_column(String(32))
