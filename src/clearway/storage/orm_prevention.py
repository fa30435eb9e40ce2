"""Storage rows of corruption prevention (docs/integrity-prevention.md): officers'
declarations of interest, sensitive posts with their maximum tenure, and the tenure
exceptions a second supervisor approves. Who may import it: see `storage.orm`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class InterestDeclarationRow(Base):
    """One declared link of an officer to a trader, broker or carrier (by its EORI-style id).
    While not withdrawn it keeps the officer from every control of a declaration naming that
    party; the index by party is what the assignment looks up."""

    __tablename__ = "interest_declarations"
    __table_args__ = (Index("ix_interest_declarations_party", "party_id", "officer_id"),
                      Index("ix_interest_declarations_officer", "officer_id"),
                      Index("ix_interest_declarations_status", "status"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # relative / former_employer / ...
    party_id: Mapped[str] = mapped_column(String(40))  # upper case, no spaces
    party_name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))  # pending / noted / returned / withdrawn
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    valid_until: Mapped[date] = mapped_column(Date)  # renewal due after this day
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_note: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Controls of declarations naming the party the officer was given before filing: a
    # late declaration (integrity indicator), with the office of the latest one.
    prior_controls: Mapped[int] = mapped_column(Integer, default=0)
    prior_office: Mapped[str | None] = mapped_column(String(16))


class SensitivePostRow(Base):
    """A post (office x function) whose holders rotate: nobody serves on it for longer than
    `max_tenure_days` without an approved exception; supervisors are warned `warn_days`
    ahead."""

    __tablename__ = "sensitive_posts"
    __table_args__ = (UniqueConstraint("office", "function", name="uq_sensitive_posts_post"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    office: Mapped[str] = mapped_column(String(16))
    function: Mapped[str] = mapped_column(String(24))
    max_tenure_days: Mapped[int] = mapped_column(Integer)
    warn_days: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(120))


class TenureExceptionRow(Base):
    """Leave for an officer to stay on a sensitive post past its maximum tenure until
    `until`: asked by one supervisor, in force only once another approves (four eyes)."""

    __tablename__ = "tenure_exceptions"
    __table_args__ = (Index("ix_tenure_exceptions_post", "officer_id", "office", "function"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    office: Mapped[str] = mapped_column(String(16))
    function: Mapped[str] = mapped_column(String(24))
    until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))  # pending / approved / rejected
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)
