"""Which qualifications training records give on a day: expiry boundaries, courses without
expiry, several trainings of one course, courses granting nothing."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from clearway.training.model import (
    Course,
    TrainingRecord,
    add_months,
    qualifications_on,
    record_for,
)

VAL = Course(code="VAL-1", title="Customs valuation", qualification="valuation",
             validity_months=24)
SAN = Course(code="SAN-1", title="Sanctions", qualification="sanctions")  # never expires
INTRO = Course(code="INTRO", title="Induction")  # grants nothing
IPR = Course(code="IPR-1", title="IPR", qualification="ipr", validity_months=1)
COURSES = {c.code: c for c in (VAL, SAN, INTRO, IPR)}


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2026, 11, 15), 2, date(2027, 1, 15)),
    (date(2026, 3, 1), 24, date(2028, 3, 1)),
    (date(2026, 12, 31), 12, date(2027, 12, 31)),
])
def test_add_months_clamps_to_the_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("course", "completed", "expires"), [
    (VAL, date(2026, 3, 10), date(2028, 3, 10)),
    (IPR, date(2026, 1, 31), date(2026, 2, 28)),
    (SAN, date(2026, 3, 10), None),
])
def test_expiry_follows_the_course(course: Course, completed: date, expires: date | None) -> None:
    assert record_for(7, course, completed) == TrainingRecord(7, course.code, completed, expires)


@pytest.mark.parametrize(("trainings", "day", "expected"), [
    ([("VAL-1", date(2024, 3, 10))], date(2026, 3, 9), {"valuation"}),  # last valid day
    ([("VAL-1", date(2024, 3, 10))], date(2026, 3, 10), set()),  # expiry day: lapsed
    ([("VAL-1", date(2024, 3, 10))], date(2024, 3, 10), {"valuation"}),  # completion day
    ([("VAL-1", date(2024, 3, 10))], date(2024, 3, 9), set()),  # before the training
    ([("SAN-1", date(2001, 1, 1))], date(2090, 1, 1), {"sanctions"}),  # no expiry
    ([("INTRO", date(2026, 1, 1))], date(2026, 1, 2), set()),  # grants nothing
    ([("GONE", date(2026, 1, 1))], date(2026, 1, 2), set()),  # unknown course
    # Several trainings of one course: the renewal carries it on, the older one lapsed.
    ([("VAL-1", date(2022, 1, 1)), ("VAL-1", date(2023, 6, 1))], date(2025, 3, 1),
     {"valuation"}),
    ([("VAL-1", date(2022, 1, 1)), ("VAL-1", date(2023, 6, 1))], date(2025, 6, 1), set()),
    ([("VAL-1", date(2025, 1, 1)), ("SAN-1", date(2020, 1, 1)), ("IPR-1", date(2025, 1, 5))],
     date(2025, 2, 4), {"valuation", "sanctions", "ipr"}),
    ([("VAL-1", date(2025, 1, 1)), ("SAN-1", date(2020, 1, 1)), ("IPR-1", date(2025, 1, 5))],
     date(2025, 2, 5), {"valuation", "sanctions"}),
])
def test_qualifications_on(trainings: list[tuple[str, date]], day: date,
                           expected: set[str]) -> None:
    records = [record_for(1, COURSES[code], on) if code in COURSES
               else TrainingRecord(1, code, on, None) for code, on in trainings]
    assert qualifications_on(records, COURSES, day) == expected


@pytest.mark.parametrize("changes", [
    {"code": "bad code"}, {"validity_months": 0}, {"qualification": "Not Valid"},
    {"title": ""}, {"unknown": 1},
])
def test_course_refuses_bad_fields(changes: dict[str, object]) -> None:
    data: dict[str, object] = {"code": "VAL-1", "title": "t", "qualification": "valuation",
                               "validity_months": 12, **changes}
    with pytest.raises(ValidationError):
        Course.model_validate(data)
