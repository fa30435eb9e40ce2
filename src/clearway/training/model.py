"""Courses, training records and the qualifications they give on a day. Pure: no storage.

A course may grant a qualification (e.g. "valuation"); with `validity_months` the
qualification lapses that many calendar months after the training, without it never.
A training completed on day C with validity M months is valid from C up to, not including,
`expires_on` = C + M months (end-of-month days are clamped: 31 Jan + 1 month = 28/29 Feb).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]{1,39}$"
QUALIFICATION_PATTERN = r"^[a-z][a-z0-9-]{1,39}$"


class CourseTerms(BaseModel):
    """What a course says, apart from its code (replaced whole on update)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: Annotated[str, Field(min_length=1, max_length=200)]
    qualification: Annotated[str | None, Field(
        pattern=QUALIFICATION_PATTERN,
        description="The qualification it grants, e.g. valuation, sanctions, ipr, "
                    "physical-examination; none for a course that grants none")] = None
    validity_months: Annotated[int | None, Field(
        ge=1, le=600, description="Months the qualification stays valid; none = no expiry")] = None


class Course(CourseTerms):
    code: Annotated[str, Field(pattern=CODE_PATTERN, description="e.g. VAL-101")]


@dataclass(frozen=True)
class TrainingRecord:
    """One completed training of one officer (a staff user id)."""

    officer_id: int
    course_code: str
    completed_on: date
    expires_on: date | None


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry(course: CourseTerms, completed_on: date) -> date | None:
    """The first day on which the training no longer qualifies (None: never expires)."""
    if course.validity_months is None:
        return None
    return add_months(completed_on, course.validity_months)


def record_for(officer_id: int, course: Course, completed_on: date) -> TrainingRecord:
    return TrainingRecord(officer_id, course.code, completed_on, expiry(course, completed_on))


def valid_on(record: TrainingRecord, day: date) -> bool:
    # A training recorded ahead of its date qualifies only from that date.
    return record.completed_on <= day and (record.expires_on is None or day < record.expires_on)


def qualifications_on(records: Iterable[TrainingRecord], courses: Mapping[str, CourseTerms],
                      day: date) -> set[str]:
    """The qualifications that some valid training gives on `day` (any one suffices)."""
    found: set[str] = set()
    for record in records:
        course = courses.get(record.course_code)
        if course is not None and course.qualification and valid_on(record, day):
            found.add(course.qualification)
    return found
