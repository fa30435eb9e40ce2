"""A conference's reporting deadline, its reminders and the late flag, from the day given."""

from __future__ import annotations

from datetime import date

import pytest

from clearway.errors import ClearwayError
from clearway.progress.model import Conference, Reminder, check_conference, timing


def conference(held_on: date, lead: int = 1, reminders: tuple[int, ...] = (30, 14, 7, 1),
               start: date = date(2025, 1, 1)) -> Conference:
    return Conference("SEE", "SEE", held_on, ("RS",), start, lead, reminders)


@pytest.mark.parametrize(("held_on", "lead", "deadline"), [
    (date(2027, 1, 25), 1, date(2026, 12, 25)),    # one month before, across the year
    (date(2027, 3, 31), 1, date(2027, 2, 28)),     # the day clamped to February's end
    (date(2028, 3, 31), 1, date(2028, 2, 29)),     # a leap year
    (date(2027, 6, 15), 2, date(2027, 4, 15)),     # two months, configured
    (date(2027, 6, 15), 0, date(2027, 6, 15)),     # reports due on the day itself
])
def test_deadline_is_months_before_the_conference(held_on: date, lead: int,
                                                  deadline: date) -> None:
    assert conference(held_on, lead).deadline == deadline


def test_reminders_fall_days_before_the_deadline_earliest_first() -> None:
    found = conference(date(2027, 1, 25), reminders=(1, 30, 7, 14, 7)).reminders()
    assert found == [date(2026, 11, 25), date(2026, 12, 11), date(2026, 12, 18),
                     date(2026, 12, 24)]


@pytest.mark.parametrize(("today", "submitted", "due", "late", "days_left"), [
    (date(2026, 11, 24), None, None, False, 31),                        # before any reminder
    (date(2026, 11, 25), None, Reminder(date(2026, 11, 25), 30), False, 30),
    (date(2026, 12, 20), None, Reminder(date(2026, 12, 18), 7), False, 5),
    (date(2026, 12, 25), None, Reminder(date(2026, 12, 24), 1), False, 0),  # the last day
    (date(2026, 12, 26), None, None, True, -1),                         # late, not submitted
    (date(2026, 12, 20), date(2026, 12, 19), None, False, 5),           # submitted: no nagging
    (date(2027, 1, 10), date(2026, 12, 27), None, True, -16),           # submitted late
    (date(2027, 1, 10), date(2026, 12, 25), None, False, -16),          # on the deadline
])
def test_timing_on_a_day(today: date, submitted: date | None, due: Reminder | None,
                         late: bool, days_left: int) -> None:
    found = timing(conference(date(2027, 1, 25)), today, submitted)
    assert (found.due, found.late, found.days_left) == (due, late, days_left)
    assert all(r.on > today for r in found.upcoming)


@pytest.mark.parametrize("bad", [
    conference(date(2027, 1, 25), start=date(2026, 12, 25)),   # period starts at the deadline
    conference(date(2027, 1, 25), reminders=(-1,)),            # a reminder after it
])
def test_terms_that_make_no_report_possible_are_refused(bad: Conference) -> None:
    with pytest.raises(ClearwayError) as refused:
        check_conference(bad)
    assert refused.value.code == "CW-PROGRESS-CONFERENCE"
