"""API shapes of integrated border management (api/border.py; the booth's own fields are in
prearrival/schemas.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clearway.border.model import Alert, CrossingPoint, WatchEntry


class PersonIn(BaseModel):
    """A person as read off a document: turned into a keyed pseudonym, never stored."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    document: str = Field(min_length=1, max_length=40, description="Document number")
    country: str | None = Field(None, min_length=2, max_length=2)


class PointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=120)
    office: str = Field(min_length=1, max_length=35, description="The customs office")
    neighbour: str = Field(min_length=2, max_length=2, description="Neighbouring country")
    modes: list[str] = Field(min_length=1, max_length=6)
    agencies: list[str] = Field(default_factory=list, max_length=20,
                                description="Codes of the agencies present, e.g. PH, VET, BP")
    active: bool = True


class PointOut(BaseModel):
    code: str
    name: str
    office: str
    neighbour: str
    modes: list[str]
    agencies: list[str]
    active: bool

    @classmethod
    def of(cls, p: CrossingPoint) -> PointOut:
        return cls(**p.as_dict())


class CrossingSeen(BaseModel):
    """A booth record a declaration or ENS was presented at."""

    id: int
    point: str | None
    office: str
    direction: str
    vehicle: str
    trailer: str | None
    containers: list[str]
    recorded_at: datetime
    recorded_by: str
    presented_as: str | None


class WatchEntryIn(BaseModel):
    """A vehicle, container or company by `value` (a company: its EORI or its name); a
    person by `person` (pseudonymised on receipt)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["vehicle", "container", "company", "person"]
    value: str | None = Field(None, max_length=200)
    person: PersonIn | None = None
    reason: str = Field(min_length=1, max_length=500)
    shared_with: list[str] = Field(default_factory=list, max_length=20,
                                   description="customs, border_police or agency codes")
    valid_from: date | None = None
    valid_to: date | None = None


class WatchEntryOut(BaseModel):
    id: int
    kind: str
    shown: str
    reason: str
    owner: str
    shared_with: list[str]
    valid_from: date
    valid_to: date | None
    created_by: str
    created_at: datetime
    ended_at: datetime | None
    ended_by: str | None
    end_reason: str | None

    @classmethod
    def of(cls, e: WatchEntry) -> WatchEntryOut:
        return cls(id=e.id, kind=str(e.kind), shown=e.shown, reason=e.reason, owner=e.owner,
                   shared_with=list(e.shared_with), valid_from=e.valid_from,
                   valid_to=e.valid_to, created_by=e.created_by, created_at=e.created_at,
                   ended_at=e.ended_at, ended_by=e.ended_by, end_reason=e.end_reason)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=500)


class AlertOut(BaseModel):
    id: int
    entry_id: int
    kind: str
    matched: str
    field: str
    object_type: str
    object_ref: str
    reason: str
    services: list[str]
    raised_at: datetime
    status: str
    closed_at: datetime | None
    closed_by: str | None
    close_reason: str | None

    @classmethod
    def of(cls, a: Alert) -> AlertOut:
        return cls(id=a.id, entry_id=a.entry_id, kind=str(a.kind), matched=a.matched,
                   field=a.field, object_type=a.object_type, object_ref=a.object_ref,
                   reason=a.reason, services=sorted(a.services), raised_at=a.raised_at,
                   status=a.status, closed_at=a.closed_at, closed_by=a.closed_by,
                   close_reason=a.close_reason)
