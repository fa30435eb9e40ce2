"""API shapes of the alarms' officer and analyst side (api/arrival_alarms.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from clearway.prearrival.alarm_repository import StoredAlarm
from clearway.prearrival.ruleset import AlarmWeight


class WeightIn(BaseModel):
    """What an alarm kind weighs: `weight` (0..1) adds to its risk area's score; a `hard`
    kind also imposes `min_channel` (blue, yellow or red) whatever the score."""

    model_config = ConfigDict(extra="forbid")
    weight: float
    min_channel: Literal["green", "blue", "yellow", "red"] | None = None
    hard: bool = False


class WeightOut(BaseModel):
    kind: str
    area: str
    weight: float
    min_channel: str | None
    hard: bool
    default: bool  # never set by an analyst: the documented default applies
    updated_by: str | None
    updated_at: datetime | None

    @classmethod
    def of(cls, w: AlarmWeight) -> WeightOut:
        return cls(kind=str(w.kind), area=str(w.area), weight=w.weight,
                   min_channel=None if w.min_channel is None else str(w.min_channel),
                   hard=w.hard, default=w.updated_by is None, updated_by=w.updated_by,
                   updated_at=w.updated_at)


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(max_length=2000)] = ""


class AlarmOut(BaseModel):
    id: int
    kind: str
    partner: str
    mrn: str | None
    reason: str
    raised_at: datetime
    status: str
    declaration_id: int | None
    arrival_id: int | None
    exit_record_id: int | None
    item: int | None
    closed_at: datetime | None
    closed_by: str | None
    close_reason: str | None

    @classmethod
    def of(cls, s: StoredAlarm) -> AlarmOut:
        a = s.alarm
        return cls(id=s.id, kind=str(a.kind), partner=a.partner, mrn=a.mrn, reason=a.reason,
                   raised_at=a.raised_at, status=s.status, declaration_id=a.declaration_id,
                   arrival_id=a.arrival_id, exit_record_id=a.exit_record_id, item=a.item,
                   closed_at=s.closed_at, closed_by=s.closed_by, close_reason=s.close_reason)


class SideRowOut(BaseModel):
    label: str
    announced: str
    arrived: str


class AlarmDetailOut(AlarmOut):
    evidence: dict[str, Any]
    sides: list[SideRowOut]        # both sides, figure by figure
    other_evidence: list[list[str]]
    announcement: dict[str, Any] | None  # the stored anticipated arrival, when named

    @classmethod
    def detail(cls, found: dict[str, Any]) -> AlarmDetailOut:
        s: StoredAlarm = found["alarm"]
        sides = found["sides"]
        return cls(**AlarmOut.of(s).model_dump(), evidence=s.alarm.evidence,
                   sides=[SideRowOut(label=r.label, announced=r.announced, arrived=r.arrived)
                          for r in sides.rows],
                   other_evidence=[[k, v] for k, v in sides.other],
                   announcement=found["announcement"])
