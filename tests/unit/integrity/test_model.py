"""Integrity indicators: the peer comparison, flags and their reasons, office totals."""

from __future__ import annotations

import math

import pytest

from clearway.integrity.model import (
    Activity,
    ControlFact,
    Thresholds,
    office_indicators,
    officer_indicators,
    smoothed_rate,
    stratified_z,
)

T = Thresholds(z=3.0, min_controls=20, missed=2)


def controls(officer: int, n: int, hits: int, channel: str = "red", office: str = "RS01",
             minutes: float | None = 30.0) -> list[ControlFact]:
    return [ControlFact(officer, office, channel, i < hits, minutes) for i in range(n)]


def test_stratified_z_is_the_binomial_score() -> None:
    p = smoothed_rate(30, 100)
    expected, z = stratified_z([(5, 40, 30, 100)])
    assert expected == pytest.approx(p)
    assert z == pytest.approx((5 - 40 * p) / math.sqrt(40 * p * (1 - p)))


@pytest.mark.parametrize(("strata", "result"), [
    ([], (None, None)),
    ([(3, 10, 0, 0)], (None, None)),  # no peers in the channel: no baseline
    ([(0, 0, 5, 10)], (None, None)),
])
def test_stratified_z_without_a_baseline(strata: list[tuple[int, int, int, int]],
                                         result: tuple[None, None]) -> None:
    assert stratified_z(strata) == result


# officer 1 is compared with officers 2 and 3 (30% hits) at the same office and channel.
PEERS = controls(2, 100, 30) + controls(3, 100, 30)


@pytest.mark.parametrize(("own", "flagged", "words"), [
    (controls(1, 40, 1), True, "fewer irregularities found than peers"),
    (controls(1, 40, 28), True, "more irregularities found than peers"),
    (controls(1, 40, 12), False, None),
    (controls(1, 10, 0), False, None),  # too few controls to flag
    # same hit count, but in a channel where peers find little: no outlier
    (controls(1, 40, 1, channel="yellow") + controls(2, 200, 4, channel="yellow"), False, None),
    (controls(1, 40, 1, office="RS02"), False, None),  # no peers at that office
])
def test_hit_rate_against_peers(own: list[ControlFact], flagged: bool,
                                words: str | None) -> None:
    found = {x.officer_id: x for x in officer_indicators(PEERS + own, Activity(), T)
             if x.office == own[0].office}
    me = found[1]
    assert bool(me.flags) is flagged, me
    if words:
        assert words in me.flags[0] and "z = " in me.flags[0]
    assert not any(x.flags for x in found.values() if x.officer_id != 1)


@pytest.mark.parametrize(("overrides", "tasks", "flagged"), [
    (15, 30, True), (2, 30, False), (15, 10, False),  # below the minimum of tasks
])
def test_override_rate_against_the_office(overrides: int, tasks: int, flagged: bool) -> None:
    activity = Activity(tasks={(1, "RS01"): tasks, (2, "RS01"): 100, (3, "RS01"): 100},
                        overrides={(1, "RS01"): overrides, (2, "RS01"): 3, (3, "RS01"): 2})
    me = next(x for x in officer_indicators([], activity, T) if x.officer_id == 1)
    assert me.override_rate == pytest.approx(overrides / max(tasks, overrides))
    assert bool(me.flags) is flagged
    if flagged:
        assert f"asked {overrides} overrides on {tasks} tasks" in me.flags[0]


@pytest.mark.parametrize(("missed", "flagged"), [(0, False), (1, False), (2, True), (5, True)])
def test_closed_regular_later_irregular(missed: int, flagged: bool) -> None:
    activity = Activity(missed={(1, "RS01"): missed})
    (me,) = [x for x in officer_indicators(controls(1, 5, 0), activity, T)]
    assert me.missed == missed and bool(me.flags) is flagged
    if flagged:
        assert me.flags == [f"{missed} controls closed regular on declarations later found "
                            "irregular (threshold 2)"]


def test_median_minutes_reassignments_and_office_totals() -> None:
    facts = (controls(1, 3, 1, minutes=10.0) + controls(1, 2, 0, minutes=100.0)
             + controls(2, 4, 2, minutes=None) + controls(3, 1, 1, office="RS02"))
    activity = Activity(reassigned_away={(2, "RS01"): 3})
    officers = officer_indicators(facts, activity, T)
    by_id = {(x.officer_id, x.office): x for x in officers}
    assert by_id[(1, "RS01")].median_minutes == 10.0
    assert by_id[(2, "RS01")].median_minutes is None
    assert by_id[(2, "RS01")].reassigned_away == 3
    assert [x.office for x in officers] == ["RS01", "RS01", "RS02"]
    offices = {o.office: o for o in office_indicators(officers, facts)}
    assert (offices["RS01"].officers, offices["RS01"].controls, offices["RS01"].hits) == (2, 9, 3)
    assert offices["RS01"].hit_rate == pytest.approx(3 / 9)
    assert offices["RS02"].median_minutes == 30.0
