"""HTTP shapes of the controls room."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from clearway.controls.model import ControlResult, Seizure
from clearway.storage.orm_controls import ControlTaskRow, DutyShiftRow

Office = Annotated[str, Field(min_length=2, max_length=16, pattern=r"^[A-Z0-9]+$")]
Money = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999999999"), allow_inf_nan=False,
                                 decimal_places=2)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


Function = Annotated[str, Field(min_length=1, max_length=24, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
                                description="The post's function at the office (sensitive "
                                "posts rotate); control by default")]


class ShiftIn(_In):
    officer_id: Annotated[int, Field(ge=1, le=2**62)]
    office: Office
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    function: Function = "control"


class ShiftOut(BaseModel):
    id: int
    officer_id: int
    office: str
    function: str
    starts_at: datetime
    ends_at: datetime
    created_by: str

    @classmethod
    def of(cls, row: DutyShiftRow) -> ShiftOut:
        return cls(id=row.id, officer_id=row.officer_id, office=row.office,
                   function=row.function, starts_at=row.starts_at, ends_at=row.ends_at,
                   created_by=row.created_by)


class ShiftAddedOut(ShiftOut):
    assigned_waiting: int = Field(description="Waiting tasks assigned thanks to this shift")
    warning: str | None = Field(None, description="The officer nears (or, under an approved "
                                "exception, passes) the sensitive post's maximum tenure")


class AssignedOut(BaseModel):
    assigned: int


class SeizureIn(_In):
    item: Annotated[int | None, Field(ge=1, le=99_999)] = None
    description: Annotated[str, Field(min_length=1, max_length=500)]
    quantity: Annotated[Decimal, Field(gt=0, le=Decimal("999999999999999"),
                                       allow_inf_nan=False)]
    unit: Annotated[str, Field(min_length=1, max_length=20)]


class ResultIn(_In):
    outcome: Literal["regular", "irregular"]
    action: Literal["release", "detain", "seize"]
    irregularities: Annotated[list[str], Field(max_length=20)] = []
    revenue: Money | None = None
    seizures: Annotated[list[SeizureIn], Field(max_length=200)] = []
    notes: Annotated[str | None, Field(max_length=10_000)] = None

    def result(self) -> ControlResult:
        return ControlResult(
            outcome=self.outcome, action=self.action,
            irregularities=tuple(self.irregularities), revenue=self.revenue,
            seizures=tuple(Seizure(s.item, s.description, s.quantity, s.unit)
                           for s in self.seizures), notes=self.notes)


class ReassignIn(_In):
    officer_id: Annotated[int, Field(ge=1, le=2**62)]
    reason: Annotated[str | None, Field(max_length=2000)] = None


class TaskOut(BaseModel):
    id: int
    declaration: str
    declaration_id: int
    office: str
    channel: str
    kind: str
    status: str
    origin: str
    random_selected: bool
    qualifications: list[str]
    reasons: list[str]
    instructions: list[str]
    officer_id: int | None
    created_at: datetime
    assigned_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None

    @classmethod
    def of(cls, row: ControlTaskRow) -> TaskOut:
        return cls(id=row.id, declaration=row.reference, declaration_id=row.declaration_id,
                   office=row.office, channel=row.channel, kind=row.kind, status=row.status,
                   origin=row.origin, random_selected=row.random_selected,
                   qualifications=row.qualifications or [], reasons=row.reasons or [],
                   instructions=row.instructions or [], officer_id=row.officer_id,
                   created_at=row.created_at, assigned_at=row.assigned_at,
                   started_at=row.started_at, completed_at=row.completed_at)


class EvidenceOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str

    @classmethod
    def of(cls, row: Any) -> EvidenceOut:
        return cls(id=row.id, filename=row.filename, content_type=row.content_type,
                   size=row.size, sha256=row.sha256, uploaded_at=row.uploaded_at,
                   uploaded_by=row.uploaded_by)


class AssignmentOut(BaseModel):
    officer_id: int
    at: datetime
    by: str
    reason: str | None
    eligible: int
    excluded: dict[str, int] = Field(default_factory=dict, description="Officers left out for "
                                     "a declared interest in a party, by kind of link")


class ResultOut(BaseModel):
    outcome: str
    action: str
    irregularities: list[str]
    revenue: Decimal | None
    seizures: list[dict[str, Any]]
    notes: str | None
    officer_id: int
    recorded_at: datetime


class TaskDetailOut(TaskOut):
    assignments: list[AssignmentOut]
    evidence: list[EvidenceOut]
    result: ResultOut | None

    @classmethod
    def of_detail(cls, found: dict[str, Any]) -> TaskDetailOut:
        r = found["result"]
        result = None if r is None else ResultOut(
            outcome=r.outcome, action=r.action, irregularities=r.irregularities,
            revenue=r.revenue, seizures=r.seizures, notes=r.notes, officer_id=r.officer_id,
            recorded_at=r.recorded_at)
        return cls(**TaskOut.of(found["task"]).model_dump(),
                   assignments=[AssignmentOut(officer_id=a.officer_id, at=a.at, by=a.by,
                                              reason=a.reason, eligible=a.eligible,
                                              excluded=a.excluded or {})
                                for a in found["assignments"]],
                   evidence=[EvidenceOut.of(e) for e in found["evidence"]], result=result)
