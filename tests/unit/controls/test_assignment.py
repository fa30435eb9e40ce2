"""The assignment rule on small hand-made cases: eligibility, least workload, no one."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from clearway.controls.assignment import (
    Candidate,
    Shift,
    build_candidates,
    choose_officer,
    on_duty,
    without_conflicts,
)

T = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
VAL, SAN = "valuation", "sanctions"


def c(officer: int, quals: set[str], open_tasks: int = 0) -> Candidate:
    return Candidate(officer, frozenset(quals), open_tasks)


@pytest.mark.parametrize(("candidates", "needs", "possible"), [
    ([], set(), set()),
    ([c(1, set())], set(), {1}),
    ([c(1, set()), c(2, {VAL})], {VAL}, {2}),
    ([c(1, {VAL}), c(2, {VAL, SAN})], {VAL, SAN}, {2}),
    ([c(1, {VAL}), c(2, {SAN})], {VAL, SAN}, set()),
    ([c(1, {VAL}, 3), c(2, {VAL}, 1), c(3, {VAL}, 1)], {VAL}, {2, 3}),
    ([c(1, set(), 0), c(2, {VAL}, 5)], {VAL}, {2}),  # workload never beats qualification
])
def test_only_the_least_busy_eligible_can_be_chosen(candidates: list[Candidate],
                                                     needs: set[str],
                                                     possible: set[int]) -> None:
    chosen = {choose_officer(candidates, frozenset(needs), random.Random(seed))
              for seed in range(60)}
    assert {x.officer_id for x in chosen if x is not None} == possible
    assert (None in chosen) is (not possible)


@pytest.mark.parametrize(("shift", "office", "at", "on"), [
    (Shift(1, "RS1", T, T + timedelta(hours=8)), "RS1", T, True),
    (Shift(1, "RS1", T, T + timedelta(hours=8)), "RS1", T + timedelta(hours=8), False),
    (Shift(1, "RS1", T, T + timedelta(hours=8)), "RS1", T - timedelta(seconds=1), False),
    (Shift(1, "RS1", T, T + timedelta(hours=8)), "RS2", T, False),
])
def test_on_duty_is_the_half_open_shift_at_the_office(shift: Shift, office: str,
                                                      at: datetime, on: bool) -> None:
    assert (on_duty([shift], office, at) == [1]) is on


def test_candidates_carry_the_needed_qualifications_held_and_workload() -> None:
    shifts = [Shift(1, "RS1", T, T + timedelta(hours=8)),
              Shift(2, "RS1", T, T + timedelta(hours=8)),
              Shift(3, "RS2", T, T + timedelta(hours=8))]
    found = build_candidates(shifts, "RS1", T, {VAL: {1, 3}, SAN: {2}}, {2: 4})
    assert found == [c(1, {VAL}, 0), c(2, {SAN}, 4)]


@pytest.mark.parametrize(("conflicts", "kept", "excluded"), [
    ({}, {1, 2, 3}, {}),
    ({2: {"relative"}}, {1, 3}, {"relative": 1}),
    ({2: {"shareholding", "relative"}, 3: {"relative"}}, {1}, {"relative": 2}),
    ({1: {"side_activity"}, 2: set(), 9: {"relative"}}, {2, 3}, {"side_activity": 1}),
])
def test_officers_with_a_declared_link_are_left_out_and_counted_by_kind(
        conflicts: dict[int, set[str]], kept: set[int], excluded: dict[str, int]) -> None:
    pool = [c(1, set()), c(2, set()), c(3, set())]
    found, counted = without_conflicts(pool, conflicts)
    assert {x.officer_id for x in found} == kept and counted == excluded
