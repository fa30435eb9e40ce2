"""Tenure on sensitive posts on fixed rosters: runs, warnings, refusals, exceptions, and
who rotated in a year."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from clearway.rotation.model import (
    Post,
    Served,
    TenureStatus,
    rotated_in,
    run_start,
    shift_tenure,
    tenure,
)

POST = Post("RS01", "control", max_tenure_days=365, warn_days=60)
D0 = datetime(2025, 1, 6, 8, tzinfo=UTC)


def shift(day: int, officer: int = 1, office: str = "RS01", function: str = "control"
          ) -> Served:
    start = D0 + timedelta(days=day)
    return Served(officer, office, function, start, start + timedelta(hours=8))


@pytest.mark.parametrize(("days", "start_day"), [
    ([0], 0), ([0, 7, 100], 0), ([0, 179], 0), ([0, 181], 181), ([0, 400, 450], 400),
    ([450, 0, 400], 400),
])
def test_a_run_breaks_after_half_a_year_off_the_post(days: list[int], start_day: int) -> None:
    assert run_start([shift(d) for d in days]) == D0 + timedelta(days=start_day)


@pytest.mark.parametrize(("days", "today", "until", "status"), [
    ([0, 100], 100, None, TenureStatus.OK),
    ([0, 150, 305], 305, None, TenureStatus.WARNING),   # rotate by day 365: 60 days left
    ([0, 150, 300], 300, None, TenureStatus.OK),
    ([0, 150, 300, 366], 366, None, TenureStatus.OVER),
    ([0, 150, 300, 366], 366, 400, TenureStatus.EXCEPTION),
    ([0, 150, 300, 366], 366, 300, TenureStatus.OVER),         # the exception ended before
    ([0, 150, 330], 330, 400, TenureStatus.EXCEPTION),    # warned, but covered
])
def test_tenure_status(days: list[int], today: int, until: int | None, status: str) -> None:
    day = (D0 + timedelta(days=today)).date()
    exception = None if until is None else (D0 + timedelta(days=until)).date()
    found = tenure([shift(d) for d in days], POST, day, exception)
    assert found is not None and found.status == status
    assert found.rotate_by == date(2026, 1, 6) and found.since == date(2025, 1, 6)


def test_shifts_on_another_post_do_not_count() -> None:
    assert tenure([shift(0, function="audit"), shift(3, office="RS02")], POST,
                  date(2025, 2, 1), None) is None


@pytest.mark.parametrize(("new_day", "status"), [
    (300, TenureStatus.OK), (310, TenureStatus.WARNING), (366, TenureStatus.OVER),
    (600, TenureStatus.OK),   # after more than half a year away: a new run
])
def test_a_new_shift_is_judged_on_the_run_it_extends(new_day: int, status: str) -> None:
    existing = [shift(0), shift(100), shift(200), shift(900)]  # a later rostered one too
    assert shift_tenure(existing, shift(new_day), POST, None).status == status


SENSITIVE = {("RS01", "control")}


@pytest.mark.parametrize(("shifts", "year", "served", "rotated"), [
    # Served all year on the post: served, not rotated.
    ([shift(0), shift(200), shift(360)], 2025, {1}, set()),
    # Left for another office in the year and stayed away: rotated.
    ([shift(0), shift(100), shift(120, office="RS02")], 2025, {1}, {1}),
    # An occasional shift elsewhere, back on the post within half a year: not rotated.
    ([shift(0), shift(100, office="RS02"), shift(150)], 2025, {1}, set()),
    # Stopped in the year but served nowhere since: not counted as rotated (yet).
    ([shift(0), shift(100)], 2025, {1}, set()),
    # Another officer only ever on a post that is not sensitive: not counted at all.
    ([shift(0, officer=2, office="RS02")], 2025, set(), set()),
    # A rotation of the year before is not this year's.
    ([shift(-300), shift(-200, office="RS02"), shift(10, office="RS02")], 2025, set(), set()),
])
def test_who_rotated_in_a_year(shifts: list[Served], year: int, served: set[int],
                               rotated: set[int]) -> None:
    assert rotated_in(shifts, SENSITIVE, year) == (served, rotated)
