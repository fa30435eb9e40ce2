"""HTTP routes of officers' training: staff read, supervisors and administrators manage."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.identity import Permission, User
from clearway.training import service
from clearway.training.model import Course
from clearway.training.schemas import (
    CourseYearOut,
    OfficerTrainingOut,
    TrainingIn,
    TrainingOut,
    TrainingReportOut,
)

router = APIRouter(prefix="/api/v1/training", tags=["training"])
Reader = Annotated[User, Depends(require(Permission.READ_TRAINING))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_TRAINING))]


@router.get("/courses", operation_id="list_training_courses", response_model=list[Course])
def list_courses(ctx: Ctx, user: Reader) -> list[Course]:
    return service.list_courses(ctx)


@router.post("/courses", operation_id="save_training_course", response_model=Course)
async def save_course(body: Course, ctx: Ctx, user: Manager) -> Course:
    """Create a course or replace what it says (recorded trainings keep their expiry)."""
    return await run_use_case(ctx, partial(service.save_course, ctx, body, user))


@router.post("/records", operation_id="record_training", response_model=TrainingOut,
             status_code=201)
async def record_training(body: TrainingIn, ctx: Ctx, user: Manager) -> TrainingOut:
    """Record a training an officer completed; its expiry follows from the course."""
    record = await run_use_case(ctx, partial(service.record_training, ctx, body.officer_id,
                                             body.course_code, body.completed_on, user))
    return TrainingOut.of(record)


@router.get("/officers/{key}", operation_id="get_officer_training",
            response_model=OfficerTrainingOut)
def officer_training(
    key: Annotated[int, Path(ge=1, le=2**62, description="The officer's user id")],
    ctx: Ctx, user: Reader,
    on: Annotated[date | None, Query(description="Qualifications on this day (default today)")]
    = None,
) -> OfficerTrainingOut:
    day = on or ctx.clock.now().date()
    return OfficerTrainingOut.of(service.officer_training(ctx, key, day), day)


@router.get("/report", operation_id="training_report", response_model=TrainingReportOut)
def training_report(ctx: Ctx, user: Reader,
                    year: Annotated[int, Query(ge=1900, le=9998)]) -> TrainingReportOut:
    """Officers trained per course in a year: distinct officers and trainings."""
    with ctx.uow(read_only=True) as uow:
        rows = service.report(uow.session, year)
    return TrainingReportOut(year=year, courses=[CourseYearOut.of(r) for r in rows])
