"""HTTP shapes of rotation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from clearway.rotation.model import MAX_TENURE_DAYS, PlanEntry, Post
from clearway.storage.orm_prevention import TenureExceptionRow

Name = Annotated[str, Field(min_length=1, max_length=24, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PostIn(_In):
    office: Name
    function: Name = "control"
    max_tenure_days: Annotated[int, Field(ge=1, le=MAX_TENURE_DAYS)]
    warn_days: Annotated[int, Field(ge=0, le=MAX_TENURE_DAYS)] = 60


class PostOut(BaseModel):
    office: str
    function: str
    max_tenure_days: int
    warn_days: int

    @classmethod
    def of(cls, post: Post) -> PostOut:
        return cls(**post.__dict__)


class PlanEntryOut(BaseModel):
    officer_id: int
    officer: str
    office: str
    function: str
    since: date
    last_day: date
    rotate_by: date
    days_left: int
    exception_until: date | None
    status: str = Field(description="ok, warning, over or exception")

    @classmethod
    def of(cls, entry: PlanEntry) -> PlanEntryOut:
        return cls(**entry.tenure.__dict__, officer=entry.officer)


class ExceptionIn(_In):
    officer_id: Annotated[int, Field(ge=1, le=2**62)]
    office: Name
    function: Name = "control"
    until: date
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class DecisionIn(_In):
    approve: bool
    note: Annotated[str | None, Field(max_length=2000)] = None


class ExceptionOut(BaseModel):
    id: int
    officer_id: int
    office: str
    function: str
    until: date
    reason: str
    status: str
    requested_by_id: int
    requested_at: datetime
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str | None

    @classmethod
    def of(cls, row: TenureExceptionRow) -> ExceptionOut:
        return cls(**{name: getattr(row, name) for name in cls.model_fields})


class ShareOut(BaseModel):
    year: int
    officers: int = Field(description="Officers who served on a sensitive post in the year")
    rotated: int = Field(description="Of them, those who rotated off it in the year")
    share: float | None
