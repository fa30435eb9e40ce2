"""Request and response bodies of the profiles API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from clearway.profiles.backtest import BacktestResult
from clearway.profiles.model import render
from clearway.profiles.repository import StoredProfile
from clearway.profiles.yaml_io import dump_profile

DEFINITION_DOC = ("A profile as in the YAML format of docs/profiles.md: code, name, area, "
                  "weight, min_channel, instructions, qualification, valid_from, valid_to, "
                  "owner, when")


class ProfileSummary(BaseModel):
    code: str
    version: int
    name: str
    area: str
    status: str
    owner: str
    agency: str | None = None  # an agency's own profile (its code); None: customs'
    weight: float
    min_channel: str | None
    hard: bool
    valid_from: date | None
    valid_to: date | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    activated_at: datetime | None
    retired_at: datetime | None


class VersionOut(BaseModel):
    version: int
    status: str
    updated_at: datetime


class ProfileOut(ProfileSummary):
    definition: dict[str, Any] = Field(description=DEFINITION_DOC)
    condition: str = Field(description="The condition in words")
    yaml: str = Field(description="The definition as YAML")
    versions: list[VersionOut] = Field(default_factory=list)


class SavedOut(BaseModel):
    action: str = Field(description="created, updated (the draft), new_version or unchanged")
    profile: ProfileOut


class ImportedOut(BaseModel):
    code: str
    version: int
    status: str
    action: str
    activated: bool


class VersionIn(BaseModel):
    version: int | None = Field(None, ge=1, le=1_000_000,
                                description="Default: the newest draft (activate) or the "
                                "active version (retire)")


class PeriodIn(BaseModel):
    start: date | None = Field(None, description="Default: 30 days before `end`")
    end: date | None = Field(None, description="Last day included; default: today")


class BacktestIn(PeriodIn):
    version: int | None = Field(None, ge=1, le=1_000_000, description="Default: the newest")


class BacktestDefinitionIn(PeriodIn):
    profile: dict[str, Any] = Field(description=DEFINITION_DOC)


class SampleOut(BaseModel):
    mrn: str
    items: list[int]
    outcome: str | None = Field(description="irregular, regular, or null: not controlled")


class BacktestOut(BaseModel):
    code: str
    version: int | None
    start: date
    end: date
    declarations: int = Field(description="Declarations accepted in the period")
    hits: int = Field(description="Of those, hit by the profile")
    controlled: int = Field(description="Hits with a recorded control outcome")
    irregular: int = Field(description="Controlled hits found irregular")
    hit_rate: float | None
    irregular_rate: float | None = Field(description="irregular / controlled")
    sample: list[SampleOut]


def summary(s: StoredProfile) -> dict[str, Any]:
    p = s.profile
    return dict(code=p.code, version=p.version, name=p.name, area=str(p.area),
                status=str(p.status), owner=p.owner, agency=p.agency, weight=p.weight,
                min_channel=None if p.min_channel is None else str(p.min_channel),
                hard=p.hard, valid_from=p.valid_from, valid_to=p.valid_to,
                created_at=s.created_at, created_by=s.created_by, updated_at=s.updated_at,
                activated_at=s.activated_at, retired_at=s.retired_at)


def profile_out(s: StoredProfile, versions: list[StoredProfile] | None = None) -> ProfileOut:
    return ProfileOut(
        **summary(s), definition=s.profile.definition(), condition=render(s.profile.when),
        yaml=dump_profile(s.profile),
        versions=[VersionOut(version=v.version, status=str(v.status), updated_at=v.updated_at)
                  for v in versions or []])


def backtest_out(result: BacktestResult, code: str, version: int | None) -> BacktestOut:
    data = result.as_dict()
    return BacktestOut(code=code, version=version, **data)
