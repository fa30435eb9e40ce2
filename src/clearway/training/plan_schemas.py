"""API shapes of the yearly training plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from clearway.storage.orm_training import TrainingSessionRow
from clearway.training.plan import Need
from clearway.training.plan_service import Needs, Plan


class NeedOut(BaseModel):
    office: str
    qualification: str
    required_by: list[str]
    officers: int
    holders: int
    expiring: int
    tasks: int
    waited: int
    to_train: int

    @classmethod
    def of(cls, need: Need) -> NeedOut:
        return cls(office=need.office, qualification=need.qualification,
                   required_by=list(need.required_by), officers=need.officers,
                   holders=need.holders, expiring=need.expiring, tasks=need.tasks,
                   waited=need.waited, to_train=need.to_train)


class NeedsOut(BaseModel):
    on: date
    needs: list[NeedOut]
    agencies: dict[str, list[str]]

    @classmethod
    def of(cls, found: Needs) -> NeedsOut:
        return cls(on=found.on, needs=[NeedOut.of(n) for n in found.needs],
                   agencies=found.agencies)


class SessionOut(BaseModel):
    id: int
    year: int
    course_code: str
    office: str | None
    planned_on: date
    seats: int
    trainer: str
    budget: Decimal
    held_on: date | None
    spent: Decimal | None
    attendees: list[int]

    @classmethod
    def of(cls, row: TrainingSessionRow) -> SessionOut:
        return cls(id=row.id, year=row.year, course_code=row.course_code, office=row.office,
                   planned_on=row.planned_on, seats=row.seats, trainer=row.trainer,
                   budget=row.budget, held_on=row.held_on, spent=row.spent,
                   attendees=list(row.attendees or []))


class CoverageOut(BaseModel):
    qualification: str
    seats_needed: int
    seats_planned: int


class PlanOut(BaseModel):
    year: int
    sessions: list[SessionOut]
    seats_planned: int
    seats_filled: int
    budget: Decimal
    spent: Decimal
    coverage: list[CoverageOut]
    needs: NeedsOut

    @classmethod
    def of(cls, plan: Plan) -> PlanOut:
        held = [s for s in plan.sessions if s.held_on is not None]
        needed: dict[str, int] = {}
        for need in plan.needs.needs:
            needed[need.qualification] = needed.get(need.qualification, 0) + need.to_train
        return cls(
            year=plan.year, sessions=[SessionOut.of(s) for s in plan.sessions],
            seats_planned=sum(s.seats for s in plan.sessions),
            seats_filled=sum(len(s.attendees or []) for s in held),
            budget=sum((s.budget for s in plan.sessions), Decimal("0")),
            spent=sum((s.spent or Decimal("0") for s in held), Decimal("0")),
            coverage=[CoverageOut(qualification=q, seats_needed=n,
                                  seats_planned=plan.seats_for(q))
                      for q, n in sorted(needed.items())],
            needs=NeedsOut.of(plan.needs))
