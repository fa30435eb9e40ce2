"""Request and response bodies of the integrity room."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from clearway.integrity.cases import Case


class CaseIn(BaseModel):
    allegation: str = Field(max_length=40, description="bribery, collusion, "
                            "abuse_of_discretion, leak_of_information, fraud, "
                            "conflict_of_interest, other")
    description: str = Field(max_length=10_000)
    source: str = Field(max_length=40, description="indicator, complaint, audit, "
                        "whistleblower, other")
    office: Annotated[str | None, Field(max_length=16)] = None
    officer_id: Annotated[int | None, Field(ge=1, le=2**62)] = None
    opened_on: date | None = None  # default today
    indicator: dict[str, Any] | None = Field(
        None, description="The indicator row an outlier case is opened from (source=indicator)")


class CaseUpdate(BaseModel):
    status: Annotated[str | None, Field(max_length=20, description="investigating, "
                                        "substantiated, unfounded")] = None
    sanction: Annotated[str | None, Field(max_length=40, description="reprimand, fine, "
                                          "suspension, demotion, dismissal, prosecution")] = None
    note: Annotated[str | None, Field(max_length=2000)] = None


class CaseOut(BaseModel):
    reference: str
    opened_on: date
    allegation: str
    description: str
    officer_id: int | None
    office: str | None
    source: str
    status: str
    sanction: str | None
    closed_on: date | None
    updated_at: datetime
    detail: dict[str, Any]

    @classmethod
    def of(cls, case: Case) -> CaseOut:
        return cls(**case.__dict__)
