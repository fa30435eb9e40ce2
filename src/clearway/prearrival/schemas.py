"""API shapes of the entry side (api/arrivals.py): booth records, tolerances, arrivals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from clearway.border.booth import Presented
from clearway.border.model import Alert, Booth
from clearway.border.people import Person
from clearway.border.schemas import AlertOut, PersonIn
from clearway.prearrival.matching import Tolerance
from clearway.prearrival.model import Alarm
from clearway.prearrival.service import CrossingResult


class CrossingIn(BaseModel):
    """A vehicle seen crossing at one of our offices (the border fields are optional:
    docs/border.md)."""

    model_config = ConfigDict(extra="forbid")
    office: str | None = Field(None, min_length=1, max_length=35,
                               description="The office; may be left out when `point` is given")
    vehicle: str = Field(min_length=1, max_length=64, description="Registration plate")
    containers: list[str] = Field(default_factory=list, max_length=99)
    seals: list[str] = Field(default_factory=list, max_length=99)
    from_country: str | None = Field(None, min_length=2, max_length=2,
                                     description="The country it comes from")
    point: str | None = Field(None, min_length=2, max_length=20,
                              description="The border crossing point's code")
    direction: Literal["entry", "exit"] = "entry"
    trailer: str | None = Field(None, max_length=64, description="Trailer registration")
    driver: PersonIn | None = Field(None, description="Kept only as a keyed pseudonym")
    declarations: list[str] = Field(default_factory=list, max_length=20,
                                    description="MRNs of the declarations presented")
    ens: list[str] = Field(default_factory=list, max_length=20,
                           description="MRNs of the entry summary declarations presented")

    def border(self) -> Presented:
        return Presented(Booth(point=self.point, direction=self.direction,
                               trailer=self.trailer, declarations=tuple(self.declarations),
                               ens=tuple(self.ens)),
                         driver=Person(self.driver.name, self.driver.document,
                                       self.driver.country) if self.driver else None)


class AlarmBrief(BaseModel):
    kind: str
    reason: str
    evidence: dict[str, Any]

    @classmethod
    def of(cls, a: Alarm) -> AlarmBrief:
        return cls(kind=str(a.kind), reason=a.reason, evidence=a.evidence)


class CrossingOut(BaseModel):
    crossing_id: int
    arrival_id: int | None  # the anticipated arrival it matched (None: none)
    alarms: list[AlarmBrief]
    alerts: list[AlertOut] = []  # watch-list hits the officer may see

    @classmethod
    def of(cls, r: CrossingResult, alerts: list[Alert] | None = None) -> CrossingOut:
        return cls(crossing_id=r.crossing_id, arrival_id=r.arrival_id,
                   alarms=[AlarmBrief.of(a) for a in r.alarms],
                   alerts=[AlertOut.of(a) for a in alerts or ()])


class ToleranceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mass_pct: Decimal = Field(description="Gross mass: percent of the announced figure")
    packages: int = Field(description="Packages: how many more or fewer")
    value_pct: Decimal = Field(description="Value (in EUR): percent of the announced figure")


class ToleranceOut(BaseModel):
    hs_chapter: str
    mass_pct: float
    packages: int
    value_pct: float

    @classmethod
    def of(cls, t: Tolerance) -> ToleranceOut:
        return cls(hs_chapter=t.hs_chapter, mass_pct=float(t.mass_pct),
                   packages=t.packages_abs, value_pct=float(t.value_pct))


class ArrivalOut(BaseModel):
    id: int
    partner: str
    agreement_id: str
    message_id: str
    mrn: str
    office_of_exit: str
    office_of_entry: str
    exit_at: datetime
    deadline_at: datetime
    vehicle: str | None
    status: str
    arrived_at: datetime | None
    matched_kind: str | None
    matched_ref: str | None
    received_at: datetime


class ArrivalDetailOut(ArrivalOut):
    announcement: dict[str, Any]
    crossings: list[dict[str, Any]]
    alarms: list[dict[str, Any]]
