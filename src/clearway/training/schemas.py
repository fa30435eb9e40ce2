"""API shapes of officers' training."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from clearway.training.model import CODE_PATTERN, TrainingRecord
from clearway.training.service import CourseYear, OfficerTraining


class TrainingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    officer_id: Annotated[int, Field(ge=1, le=2**62, description="The officer's user id")]
    course_code: Annotated[str, Field(pattern=CODE_PATTERN)]
    completed_on: date


class TrainingOut(BaseModel):
    officer_id: int
    course_code: str
    completed_on: date
    expires_on: date | None

    @classmethod
    def of(cls, record: TrainingRecord) -> TrainingOut:
        return cls(officer_id=record.officer_id, course_code=record.course_code,
                   completed_on=record.completed_on, expires_on=record.expires_on)


class OfficerTrainingOut(BaseModel):
    officer_id: int
    on: date
    qualifications: list[str]
    records: list[TrainingOut]

    @classmethod
    def of(cls, found: OfficerTraining, on: date) -> OfficerTrainingOut:
        return cls(officer_id=found.officer_id, on=on,
                   qualifications=sorted(found.qualifications),
                   records=[TrainingOut.of(r) for r in found.records])


class CourseYearOut(BaseModel):
    course_code: str
    title: str
    officers: int
    trainings: int

    @classmethod
    def of(cls, row: CourseYear) -> CourseYearOut:
        return cls(course_code=row.course_code, title=row.title, officers=row.officers,
                   trainings=row.trainings)


class TrainingReportOut(BaseModel):
    year: int
    courses: list[CourseYearOut]
