"""API shapes of the progress report to the regional conference."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from clearway.progress.model import DEFAULT_REMINDERS, Conference
from clearway.progress.service import ReportView

CONFERENCE_CODE = r"^[A-Z0-9][A-Z0-9-]{1,39}$"
COUNTRY = r"^[A-Z]{2}$"
NAME = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,119}$"


class ConferenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Annotated[str, Field(pattern=CONFERENCE_CODE, description="e.g. SEE-2027")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    held_on: Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
    administrations: Annotated[list[Annotated[str, Field(pattern=COUNTRY)]],
                               Field(min_length=1, max_length=60,
                                     description="Participating administrations' country "
                                                 "codes")]
    period_start: Annotated[date | None, Field(
        ge=date(2000, 1, 1), le=date(2100, 12, 31),
        description="First day the reports cover (default: the deadline of the conference "
                    "before; with none, a year before this deadline's month)")] = None
    lead_months: Annotated[int, Field(ge=0, le=12, description="Reports are due this many "
                                      "months before the conference (the document: one)")] = 1
    reminder_days: Annotated[list[Annotated[int, Field(ge=0, le=366)]],
                             Field(max_length=12)] = list(DEFAULT_REMINDERS)


class ConferenceOut(BaseModel):
    code: str
    name: str
    held_on: date
    administrations: list[str]
    period_start: date
    deadline: date
    lead_months: int
    reminders: list[date]

    @classmethod
    def of(cls, c: Conference) -> ConferenceOut:
        return cls(code=c.code, name=c.name, held_on=c.held_on,
                   administrations=list(c.administrations), period_start=c.period_start,
                   deadline=c.deadline, lead_months=c.lead_months, reminders=c.reminders())


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    conference: Annotated[str, Field(pattern=CONFERENCE_CODE)]
    owners: Annotated[dict[str, Annotated[str, Field(pattern=NAME)]], Field(
        max_length=8, description="Section key -> the user name of its owner (default: "
                                  "the report's author)")] = {}


class OwnerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    owner: Annotated[str, Field(pattern=NAME, description="A user name")]


class SectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    narrative: Annotated[str, Field(max_length=20000)]
    complete: bool = False


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class SendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: Annotated[str, Field(pattern=COUNTRY, description="A participant's country code")]


class ReminderOut(BaseModel):
    on: date
    days_before: int


class ReportOut(BaseModel):
    id: int
    conference: str
    administration: str
    version: int
    status: str
    created_by: str
    deadline: date
    days_left: int
    late: bool
    due_reminder: ReminderOut | None
    upcoming_reminders: list[ReminderOut]
    sha256: str | None
    submitted_at: str | None
    content: dict[str, Any]

    @classmethod
    def of(cls, v: ReportView) -> ReportOut:
        t = v.timing
        due = ReminderOut(on=t.due.on, days_before=t.due.days_before) if t.due else None
        return cls(id=v.id, conference=v.conference.code, administration=v.administration,
                   version=v.version, status=v.status, created_by=v.created_by,
                   deadline=t.deadline, days_left=t.days_left, late=t.late, due_reminder=due,
                   upcoming_reminders=[ReminderOut(on=r.on, days_before=r.days_before)
                                       for r in t.upcoming],
                   sha256=v.content_hash, submitted_at=v.submitted_at, content=v.content)
