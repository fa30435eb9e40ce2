"""Storage rows of mutual assistance: requests (sent and received), the replies of their
conversation, and attachments (the bytes with their SHA-256)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clearway.storage.orm_base import Base, BigId, UTCDateTime


class AssistanceRequestRow(Base):
    """A mutual-assistance request: "out" drafted here for a partner, "in" received from one.
    status: see `assistance.model.TRANSITIONS`."""

    __tablename__ = "assistance_requests"
    __table_args__ = (Index("ix_assistance_direction_status", "direction", "status"),
                      Index("ix_assistance_partner", "partner"),
                      Index("ix_assistance_message", "message_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    direction: Mapped[str] = mapped_column(String(4))
    partner: Mapped[str] = mapped_column(String(8))  # the other administration
    agreement_id: Mapped[str] = mapped_column(String(100))
    request_type: Mapped[str] = mapped_column(String(16))
    subject_kind: Mapped[str | None] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(40))
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    priority: Mapped[str] = mapped_column(String(8))
    confidentiality: Mapped[str] = mapped_column(String(16))
    mrn: Mapped[str | None] = mapped_column(String(40))
    disclose_requested: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16))
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drafted_by: Mapped[str] = mapped_column(String(120))  # actor (partner:XX when received)
    approved_by: Mapped[str | None] = mapped_column(String(120))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    message_id: Mapped[str | None] = mapped_column(String(64))  # the request's message
    conversation_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(16))
    finding: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AssistanceReplyRow(Base):
    """A reply in a request's conversation (the one given here, or the partner's received)."""

    __tablename__ = "assistance_replies"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_requests.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    answer: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    finding: Mapped[str | None] = mapped_column(String(16))
    disclosed: Mapped[str | None] = mapped_column(Text)
    replied_by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class AssistanceAttachmentRow(Base):
    """A file of a request (reply_id null) or of a reply, with its SHA-256."""

    __tablename__ = "assistance_attachments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_requests.id", ondelete="CASCADE"), index=True)
    reply_id: Mapped[int | None] = mapped_column(
        ForeignKey("assistance_replies.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
