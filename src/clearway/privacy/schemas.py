"""API shapes of data protection: breach records, consents, uses of received data,
retention extensions, subject access, rectification and erasure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from clearway.privacy.model import Breach

_ID = Field(max_length=64, description="The exchanged message's id")
_REASON = Field("", max_length=500, description="Why (required)")


class BreachIn(BaseModel):
    detected_at: AwareDatetime
    description: str = Field(max_length=4000)
    categories: list[str] = Field(default_factory=list, max_length=30,
                                  description="Data categories affected (names, vehicles…)")
    subjects_affected: int = Field(0, ge=0, le=100_000_000)
    partners_notified: list[str] = Field(default_factory=list, max_length=30)
    authority_notified_at: AwareDatetime | None = None
    measures: str = Field("", max_length=4000)
    status: str = Field("open", max_length=12, description="open, contained or closed")

    def breach(self, reference: str = "") -> Breach:
        return Breach(reference=reference, detected_at=self.detected_at,
                      description=self.description,
                      categories=tuple(c[:100] for c in self.categories),
                      subjects_affected=self.subjects_affected,
                      partners_notified=tuple(p[:100] for p in self.partners_notified),
                      authority_notified_at=self.authority_notified_at,
                      measures=self.measures, status=self.status)


class BreachOut(BaseModel):
    reference: str
    detected_at: datetime
    description: str
    categories: list[str]
    subjects_affected: int
    partners_notified: list[str]
    authority_notified_at: datetime | None
    measures: str
    status: str


class ConsentIn(BaseModel):
    message_id: str = _ID
    granted_by: str = Field(max_length=8, description="The originator's country code")
    reference: str = Field(max_length=200, description="Its letter or message")
    purpose: str | None = Field(None, max_length=60)
    recipient: str | None = Field(None, max_length=100)


class UseIn(BaseModel):
    message_id: str = _ID
    reason: str = _REASON
    purpose: str | None = Field(None, max_length=60)
    recipient: str | None = Field(None, max_length=100,
                                  description="Another agency or administration")


class ExtensionIn(BaseModel):
    message_id: str = _ID
    days: int = Field(ge=1, le=3650)
    reason: str = _REASON


class SubjectIn(BaseModel):
    name: str = Field(max_length=200, description="The person's name as written anywhere")
    country: str = Field(max_length=2)
    eori: str | None = Field(None, max_length=17, description="A company's EORI, if any")


class RectifyIn(BaseModel):
    message_id: str = _ID
    fields: dict[str, Any]
    reason: str = _REASON


class EraseIn(BaseModel):
    message_id: str = _ID
    reason: str = _REASON
