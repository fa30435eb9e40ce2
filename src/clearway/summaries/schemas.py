"""API shapes of summary declarations (ENS, EXS): the outcome the carrier was told, the
requests for information, the links, a security clearance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from clearway.risk.engine.decision import EnsOutcome
from clearway.summaries.model import MAX_ANSWER


class RfiAnswerIn(BaseModel):
    answer: str = Field(max_length=MAX_ANSWER, description="The carrier's answer, in words, "
                        "to the open request for information")


class ClearanceIn(BaseModel):
    outcome: EnsOutcome = Field(description="The outcome the held result is cleared to: "
                                "no_risk (may load), or high_risk_screening (from do_not_load)")
    reason: str = Field(max_length=4000, description="Why (10 characters or more): kept in "
                        "the decision and the audit trail, never shown to the carrier")


class ToldOut(BaseModel):
    kind: str
    message: str
    issued_at: datetime


class RfiOut(BaseModel):
    id: int
    version: int = Field(description="The filing's version the request was asked on")
    asked: list[str] = Field(description="The information requested")
    status: str = Field(description="open or closed")
    asked_at: datetime
    answered_at: datetime | None
    answered_by: str | None = Field(description="text (the answer endpoint) or amendment")
    answer: str | None
    answer_version: int | None
    closed_at: datetime | None
    outcome_after: str | None


class OpenRfiOut(RfiOut):
    mrn: str = Field(description="MRN of the ENS or EXS asked about")


class LinkedDeclarationOut(BaseModel):
    mrn: str | None
    declaration_type: str
    status: str


class ArrivalOut(BaseModel):
    id: int
    partner: str
    mrn: str = Field(description="The partner's MRN of the export or transit")
    status: str
    office_of_entry: str
    matched_kind: str | None


class SummaryOut(BaseModel):
    mrn: str | None
    lrn: str
    declaration_type: str = Field(description="ENS or EXS")
    status: str
    version: int
    outcome: str = Field(description="What the carrier holds now: no_risk, "
                         "request_for_information, high_risk_screening, do_not_load "
                         "(pending before a decision)")
    told: list[ToldOut] = Field(description="The outcome notifications sent, oldest first")
    rfis: list[RfiOut]
    clearance: dict[str, Any] | None = Field(description="The security clearance, if any "
                                             "(the reason and officer for staff only)")
    arrivals: list[ArrivalOut] = Field(description="Partners' anticipated arrivals it met "
                                       "(staff only)")
    declarations: list[LinkedDeclarationOut] = Field(
        description="Declarations whose previous documents cite its MRN")


class ClearedOut(BaseModel):
    mrn: str
    outcome: EnsOutcome
