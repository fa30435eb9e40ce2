"""The training needs computed from fixed data: required qualifications per office, holders
valid and expiring, tasks that waited, and the seats to plan (training.plan)."""

from __future__ import annotations

from datetime import date

import pytest

from clearway.training.plan import MIN_HOLDERS, Need, TaskNeed, holding_ends, needs

DAY = date(2026, 11, 20)


@pytest.mark.parametrize(("records", "expected"), [
    ([], {}),
    ([(1, "ipr", date(2026, 1, 1), date(2027, 1, 1))], {(1, "ipr"): date(2027, 1, 1)}),
    # Expired, or not yet completed, gives nothing.
    ([(1, "ipr", date(2024, 1, 1), date(2026, 11, 20)),
      (1, "ipr", date(2026, 11, 21), None)], {}),
    # The latest end counts; a record that never expires wins.
    ([(1, "ipr", date(2026, 1, 1), date(2027, 1, 1)),
      (1, "ipr", date(2026, 6, 1), date(2027, 6, 1))], {(1, "ipr"): date(2027, 6, 1)}),
    ([(1, "ipr", date(2026, 1, 1), None),
      (1, "ipr", date(2026, 6, 1), date(2027, 6, 1))], {(1, "ipr"): None}),
    ([(1, "ipr", date(2026, 6, 1), date(2027, 6, 1)),
      (1, "ipr", date(2026, 1, 1), None)], {(1, "ipr"): None}),
])
def test_how_long_a_qualification_is_held(records: list[tuple[int, str, date, date | None]],
                                          expected: dict[tuple[int, str], date | None]) -> None:
    assert holding_ends(records, DAY) == expected


ROSTER = {1: {"PORT"}, 2: {"PORT"}, 3: {"PORT", "AIR"}, 4: {"AIR"}}


@pytest.mark.parametrize(("required", "ends", "tasks", "expected"), [
    # A profile asks for valuation: every office of the roster needs it.
    ({"valuation": {"VAL-01"}}, {}, [],
     [("AIR", "valuation", ("VAL-01",), 2, 0, 0, 0, 0, 2),
      ("PORT", "valuation", ("VAL-01",), 3, 0, 0, 0, 0, 2)]),
    # Two holders at PORT, one of them lapsing within the year: one seat to renew.
    ({"valuation": {"VAL-01"}}, {(1, "valuation"): date(2027, 3, 1), (2, "valuation"): None}, [],
     [("AIR", "valuation", ("VAL-01",), 2, 0, 0, 0, 0, 2),
      ("PORT", "valuation", ("VAL-01",), 3, 2, 1, 0, 0, 1)]),
    # A lapse after the year is no need; officer 3 holds it at both offices.
    ({"valuation": {"VAL-01"}},
     {(1, "valuation"): date(2027, 11, 20), (3, "valuation"): None}, [],
     [("AIR", "valuation", ("VAL-01",), 2, 1, 0, 0, 0, 1),
      ("PORT", "valuation", ("VAL-01",), 3, 2, 0, 0, 0, 0)]),
    # Only tasks asked for ipr at AIR, one of two waited: one more holder wanted there.
    ({}, {(4, "ipr"): None},
     [TaskNeed("AIR", frozenset({"ipr"}), True), TaskNeed("AIR", frozenset({"ipr"}), False)],
     [("AIR", "ipr", ("tasks",), 2, 1, 0, 2, 1, 1)]),
    # Tasks at an office nobody is rostered at: no officer to train there.
    ({}, {}, [TaskNeed("RAIL", frozenset({"health", "ipr"}), True)],
     [("RAIL", "health", ("tasks",), 0, 0, 0, 1, 1, 0),
      ("RAIL", "ipr", ("tasks",), 0, 0, 0, 1, 1, 0)]),
])
def test_training_needs(required: dict[str, set[str]],
                        ends: dict[tuple[int, str], date | None], tasks: list[TaskNeed],
                        expected: list[tuple[object, ...]]) -> None:
    found = needs(DAY, required, ROSTER, ends, tasks)
    assert [(n.office, n.qualification, n.required_by, n.officers, n.holders, n.expiring,
             n.tasks, n.waited, n.to_train) for n in found] == expected


@pytest.mark.parametrize(("officers", "holders", "expiring", "waited", "to_train"), [
    (5, 0, 0, 0, MIN_HOLDERS), (5, 2, 0, 0, 0), (5, 2, 2, 0, 2), (5, 2, 0, 3, 1),
    (1, 0, 0, 4, 1), (0, 0, 0, 4, 0), (5, 4, 1, 0, 0),
])
def test_seats_to_plan(officers: int, holders: int, expiring: int, waited: int,
                       to_train: int) -> None:
    need = Need("PORT", "ipr", (), officers, holders, expiring, waited, waited)
    assert need.to_train == to_train
