"""API shapes of mutual assistance."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from clearway.assistance.model import Attachment, Draft, Reply, overdue
from clearway.assistance.repository import Conversation
from clearway.errors import ClearwayError
from clearway.storage.orm_assistance import (
    AssistanceAttachmentRow,
    AssistanceReplyRow,
    AssistanceRequestRow,
)

RequestType = Literal["information", "verification", "surveillance", "notification",
                      "spontaneous"]


class AttachmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field(min_length=1, max_length=200)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    data_base64: str = Field(max_length=2_000_000)
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-fA-F]{64}$",
                               description="Checked against the bytes when given")


def files_of(items: list[AttachmentIn]) -> tuple[list[Attachment], list[str | None]]:
    files = []
    for item in items:
        try:
            data = base64.b64decode(item.data_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ClearwayError(code="CW-ASSIST-INVALID", message=f"{item.filename}: "
                                "data_base64 is not base64") from None
        files.append(Attachment(item.filename, item.content_type, data))
    return files, [i.sha256 for i in items]


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    partner: str = Field(min_length=2, max_length=8)
    agreement_id: str = Field(min_length=1, max_length=100)
    request_type: RequestType
    subject_kind: str | None = Field(default=None, max_length=32)
    subject: str = Field(default="", max_length=2000)
    question: str = Field(min_length=1, max_length=10_000)
    legal_basis: str | None = Field(default=None, max_length=500)
    purpose: str = Field(default="mutual-assistance", max_length=40)
    deadline: AwareDatetime
    priority: Literal["normal", "urgent"] = "normal"
    confidentiality: Literal["restricted", "confidential", "secret"] = "restricted"
    mrn: str | None = Field(default=None, max_length=40)
    disclose_requested: bool = False
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)

    def draft(self) -> Draft:
        return Draft(**self.model_dump(exclude={"attachments"}))


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    officer: str = Field(min_length=1, max_length=120)


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Literal["answered", "partly-answered", "refused"]
    answer: str = Field(default="", max_length=10_000)
    reason: str | None = Field(default=None, max_length=2000)
    finding: Literal["confirmed", "irregular", "inconclusive"] | None = None
    disclosed: str | None = Field(default=None, max_length=500)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)

    def reply(self) -> Reply:
        return Reply(**self.model_dump(exclude={"attachments"}))


class RequestOut(BaseModel):
    id: int
    direction: str
    partner: str
    request_type: str
    subject_kind: str | None
    subject: str
    question: str
    legal_basis: str
    purpose: str
    deadline: datetime
    priority: str
    confidentiality: str
    mrn: str | None
    disclose_requested: bool
    status: str
    overdue: bool
    drafted_by: str
    approved_by: str | None
    message_id: str | None
    outcome: str | None
    finding: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: AssistanceRequestRow, now: datetime) -> RequestOut:
        return cls(**{name: getattr(row, name) for name in cls.model_fields
                      if name != "overdue"}, overdue=overdue(row.deadline, row.status, now))


class AttachmentOut(BaseModel):
    id: int
    reply_id: int | None
    filename: str
    content_type: str
    size: int
    sha256: str

    @classmethod
    def of(cls, row: AssistanceAttachmentRow) -> AttachmentOut:
        return cls(id=row.id, reply_id=row.reply_id, filename=row.filename,
                   content_type=row.content_type, size=row.size, sha256=row.sha256)


class ReplyOut(BaseModel):
    id: int
    message_id: str | None
    outcome: str
    answer: str
    reason: str | None
    finding: str | None
    disclosed: str | None
    replied_by: str
    at: datetime

    @classmethod
    def of(cls, row: AssistanceReplyRow) -> ReplyOut:
        return cls(**{name: getattr(row, name) for name in cls.model_fields})


class ConversationOut(BaseModel):
    request: RequestOut
    replies: list[ReplyOut]
    attachments: list[AttachmentOut]

    @classmethod
    def of(cls, found: Conversation, now: datetime) -> ConversationOut:
        return cls(request=RequestOut.of(found.request, now),
                   replies=[ReplyOut.of(r) for r in found.replies],
                   attachments=[AttachmentOut.of(a) for a in found.attachments])
