"""API shapes of the agencies, the regulatory matrix and the agencies' tasks. A task shows
the routed items only: never customs' channel, risk reasons or another agency's task."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from clearway.agencies.model import (
    DEFAULT_TARGET_MINUTES,
    Agency,
    AgencyDecision,
    AgencyKind,
    MatrixRule,
)
from clearway.storage.orm_agencies import (
    AgencyStepRow,
    AgencyTaskRow,
    JointInspectionRow,
    JointResultRow,
    MatrixVersionRow,
)


class AgencyIn(BaseModel):
    code: str = Field(pattern=r"^[A-Z]{2,8}$")
    name: str = Field(min_length=1, max_length=120)
    kind: AgencyKind
    target_minutes: int = Field(DEFAULT_TARGET_MINUTES, ge=1, le=10080)
    inspection_rate: float = Field(0.0, ge=0.0, le=1.0)

    def agency(self) -> Agency:
        return Agency(self.code, self.name, self.kind, self.target_minutes,
                      self.inspection_rate)


class AgencyOut(AgencyIn):
    @classmethod
    def of(cls, a: Agency) -> AgencyOut:
        return cls(code=a.code, name=a.name, kind=a.kind, target_minutes=a.target_minutes,
                   inspection_rate=a.inspection_rate)


class RuleOut(BaseModel):
    id: str
    hs_prefix: str
    agency: str
    formality: str
    declaration_types: list[str]
    procedures: list[str]
    origins: list[str]
    destinations: list[str]
    intended_use: str | None
    documents: list[str]
    move_before_decision: bool
    valid_from: date | None
    valid_to: date | None

    @classmethod
    def of(cls, r: MatrixRule) -> RuleOut:
        return cls(id=r.id, hs_prefix=r.hs_prefix, agency=r.agency, formality=str(r.formality),
                   declaration_types=sorted(r.declaration_types),
                   procedures=sorted(r.procedures), origins=sorted(r.origins),
                   destinations=sorted(r.destinations), intended_use=r.intended_use,
                   documents=sorted(r.documents), move_before_decision=r.move_before_decision,
                   valid_from=None if r.valid_from == date.min else r.valid_from,
                   valid_to=r.valid_to)


class MatrixOut(BaseModel):
    on: date
    version: int | None
    valid_from: date | None
    rules: list[RuleOut]


class VersionOut(BaseModel):
    id: int
    status: str
    valid_from: date
    rule_count: int
    sha256: str
    note: str | None
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None

    @classmethod
    def of(cls, r: MatrixVersionRow) -> VersionOut:
        return cls(id=r.id, status=r.status, valid_from=r.valid_from, rule_count=r.rule_count,
                   sha256=r.sha256, note=r.note, proposed_by=r.proposed_by,
                   proposed_at=r.proposed_at, decided_by=r.decided_by,
                   decided_at=r.decided_at, reason=r.reason)


class RejectIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class DecisionBody(BaseModel):
    decision: AgencyDecision
    text: str | None = Field(None, max_length=2000, description="The conditions, the reason "
                             "of a refusal, or the document the trader must supply")
    shared: bool = Field(False, description="Other parties may read the reason")


class ReassignIn(BaseModel):
    officer: str = Field(min_length=1, max_length=64, description="An officer of the agency")


class StepOut(BaseModel):
    step: str
    at: datetime
    actor: str
    office: str | None
    detail: dict[str, Any]

    @classmethod
    def of(cls, s: AgencyStepRow) -> StepOut:
        return cls(step=s.step, at=s.at, actor=s.actor, office=s.office, detail=s.detail)


class TaskOut(BaseModel):
    id: int
    mrn: str
    agency: str
    office: str | None
    status: str
    selected: bool
    selection: list[str]
    items: list[dict[str, Any]]
    holds_release: bool
    officer_id: int | None
    decision: str | None
    text: str | None
    shared: bool
    routed_at: datetime
    started_at: datetime | None
    decided_at: datetime | None
    decided_by: str | None
    steps: list[StepOut] = []
    others: list[dict[str, Any]] = Field([], description="Other agencies' decisions on the "
                                         "declaration; their words only where shared")

    @classmethod
    def of(cls, t: AgencyTaskRow, steps: list[AgencyStepRow] | None = None,
           others: list[dict[str, Any]] | None = None) -> TaskOut:
        return cls(id=t.id, mrn=t.reference, agency=t.agency, office=t.office, status=t.status,
                   selected=t.selected, selection=list(t.selection), items=list(t.items),
                   holds_release=t.holds_release, officer_id=t.officer_id,
                   decision=t.decision, text=t.text, shared=t.shared, routed_at=t.routed_at,
                   started_at=t.started_at, decided_at=t.decided_at, decided_by=t.decided_by,
                   steps=[StepOut.of(s) for s in steps or []], others=others or [])


class SectionIn(BaseModel):
    outcome: str = Field(pattern="^(compliant|non_compliant)$")
    notes: str | None = Field(None, max_length=2000)


class SectionOut(BaseModel):
    party: str
    outcome: str
    notes: str | None
    recorded_by: str
    recorded_at: datetime

    @classmethod
    def of(cls, r: JointResultRow) -> SectionOut:
        return cls(party=r.party, outcome=r.outcome, notes=r.notes, recorded_by=r.recorded_by,
                   recorded_at=r.recorded_at)


class InspectionOut(BaseModel):
    id: int
    mrn: str
    office: str | None
    slot_start: datetime
    slot_end: datetime
    parties: list[str]
    status: str
    examined_at: datetime | None
    sections: list[SectionOut] = []

    @classmethod
    def of(cls, r: JointInspectionRow, sections: list[JointResultRow] | None = None
           ) -> InspectionOut:
        return cls(id=r.id, mrn=r.reference, office=r.office, slot_start=r.slot_start,
                   slot_end=r.slot_end, parties=list(r.parties), status=r.status,
                   examined_at=r.examined_at,
                   sections=[SectionOut.of(s) for s in sections or []])
