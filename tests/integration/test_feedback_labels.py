"""The label store reads control results: one label per declaration, as known at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clearway.context import Context
from clearway.declarations import repository as repo
from clearway.risk.engine.frame import TraderRecord
from clearway.risk.learning.history_store import trader_records
from clearway.risk.learning.labels import LabelOutcome, outcomes, outcomes_between
from clearway.storage.orm import DeclarationRow
from feedback_data import declaration, result

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TRADER = "RS100000001"

# lrn -> results (outcome, revenue, days after T0)
RESULTS: dict[str, list[tuple[str, str | None, int]]] = {
    "ONE-REGULAR": [("regular", None, 1)],
    "ONE-IRREGULAR": [("irregular", "80.00", 2)],
    "THEN-REGULAR": [("irregular", "30.00", 1), ("regular", "5.00", 4)],
    "THEN-IRREGULAR": [("regular", None, 1), ("irregular", "12.50", 6)],
    "NONE": [],
}


@pytest.fixture
def stored(ctx: Context) -> dict[str, int]:
    ids = {}
    with ctx.uow() as uow:
        for lrn, results in RESULTS.items():
            ids[lrn] = declaration(uow.session, lrn, trader=TRADER, at=T0)
            for outcome, revenue, days in results:
                result(uow.session, ids[lrn], at=T0 + timedelta(days=days), outcome=outcome,
                       revenue=revenue)
        uow.commit()
    return ids


@pytest.mark.parametrize(("lrn", "expected"), [
    ("ONE-REGULAR", LabelOutcome(False, 0.0, T0 + timedelta(days=1))),
    ("ONE-IRREGULAR", LabelOutcome(True, 80.0, T0 + timedelta(days=2))),
    ("THEN-REGULAR", LabelOutcome(True, 35.0, T0 + timedelta(days=4))),  # any irregular
    ("THEN-IRREGULAR", LabelOutcome(True, 12.5, T0 + timedelta(days=6))),
])
def test_a_declarations_label_is_irregular_if_any_result_was(
        ctx: Context, stored: dict[str, int], lrn: str, expected: LabelOutcome) -> None:
    with ctx.uow() as uow:
        got = outcomes(uow.session, [stored[lrn], stored["NONE"]])
    assert got == {stored[lrn]: expected}


@pytest.mark.parametrize(("start_days", "end_days", "expected"), [
    (None, 2, {"ONE-REGULAR": False, "THEN-REGULAR": True, "THEN-IRREGULAR": False}),
    (2, 5, {"ONE-IRREGULAR": True, "THEN-REGULAR": True}),
    (5, 30, {"THEN-IRREGULAR": True}),
    (0, 1, {}),
])
def test_labels_between_are_as_known_at_the_end(
        ctx: Context, stored: dict[str, int], start_days: int | None, end_days: int,
        expected: dict[str, bool]) -> None:
    start = None if start_days is None else T0 + timedelta(days=start_days)
    with ctx.uow() as uow:
        got = outcomes_between(uow.session, start, T0 + timedelta(days=end_days))
    by_id = {v: k for k, v in stored.items()}
    assert {by_id[i]: o.irregular for i, o in got.items()} == expected


def test_legacy_release_outcomes_count_only_without_a_control_result(
        ctx: Context, stored: dict[str, int]) -> None:
    with ctx.uow() as uow:
        rows = {lrn: uow.session.get(DeclarationRow, stored[lrn])
                for lrn in ("NONE", "ONE-REGULAR")}
        repo.add_events(uow.session, [repo.event(
            row, at=T0 + timedelta(days=3), kind="released", from_status="under_control",
            to_status="released", actor="officer",
            detail={"outcome": "irregular", "revenue": "7.50"}) for row in rows.values()
            if row is not None])
        uow.commit()
    with ctx.uow() as uow:
        got = outcomes(uow.session, [stored["NONE"], stored["ONE-REGULAR"]])
    assert got[stored["NONE"]] == LabelOutcome(True, 7.5, T0 + timedelta(days=3))
    assert got[stored["ONE-REGULAR"]].irregular is False  # the control result wins


@pytest.mark.parametrize(("until_days", "expected"), [
    (1, TraderRecord(5, 0, 0, T0.date())),
    (2, TraderRecord(5, 3, 1, T0.date())),
    (30, TraderRecord(5, 4, 3, T0.date())),
])
def test_trader_records_count_controlled_declarations_once(
        ctx: Context, stored: dict[str, int], until_days: int, expected: TraderRecord) -> None:
    with ctx.uow() as uow:
        got = trader_records(uow.session, [TRADER], until=T0 + timedelta(days=until_days))
    assert got == {TRADER: expected}
