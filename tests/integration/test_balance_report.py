"""The live balance report from the tables (SQLite and PostgreSQL): risk decisions, their
random draws and the control outcomes of the label store, by month and office."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from clearway.balance.service import balance_report
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.periods import Period
from feedback_data import decide, declaration, result
from helpers import TRADER

OCT, NOV = datetime(2026, 10, 14, 10, tzinfo=UTC), datetime(2026, 11, 3, 10, tzinfo=UTC)
# (lrn, decided, office, random draw, outcome or None)
WORLD = [
    ("B1", OCT, "RS001", True, "irregular"), ("B2", OCT, "RS001", True, "regular"),
    ("B3", OCT, "RS001", False, "irregular"), ("B4", OCT, "RS001", False, "irregular"),
    ("B5", OCT, "RS001", False, None), ("B6", OCT, "RS002", False, "regular"),
    ("B7", NOV, "RS002", True, "regular"), ("B8", NOV, "RS002", False, None),
    ("B9", NOV, "RS002", False, None),
]


@pytest.fixture
def world(ctx: Context) -> Context:
    prepare(ctx)
    with ctx.uow() as uow:
        for lrn, at, office, drawn, outcome in WORLD:
            decl = declaration(uow.session, lrn, trader=TRADER, at=at, office=office)
            decide(uow.session, decl, at=at, random_selected=drawn, office=office,
                   channel="red" if outcome else "green")
            if outcome:
                # a second, regular control never clears an irregular finding (label store)
                result(uow.session, decl, at=at + timedelta(hours=3), outcome=outcome,
                       office=office, random_selected=drawn)
                if outcome == "irregular":
                    result(uow.session, decl, at=at + timedelta(hours=5), outcome="regular",
                           office=office, random_selected=drawn)
        uow.commit()
    return ctx


def test_by_month_and_office(world: Context) -> None:
    report = balance_report(world, Period(date(2026, 10, 1), date(2026, 11, 30)))
    total = report["total"]
    assert (total["declarations"], total["inspected"], total["irregular"]) == (9, 6, 3)
    assert (total["random_selected"], total["random_inspected"],
            total["random_irregular"]) == (3, 3, 1)
    assert total["precision"] == 0.5 and total["estimate"]["rate"] == pytest.approx(1 / 3,
                                                                                    abs=1e-6)
    cells = {(r["month"], r["office"]): (r["declarations"], r["inspected"], r["irregular"])
             for r in report["by_month_office"]}
    assert cells == {("2026-10", "RS001"): (5, 4, 3), ("2026-10", "RS002"): (1, 1, 0),
                     ("2026-11", "RS002"): (3, 1, 0)}
    assert [m["month"] for m in report["by_month"]] == ["2026-10", "2026-11"]
    assert report["from"] == "2026-10-01" and "Wilson" in report["method"]


def test_the_period_bounds_the_decisions(world: Context) -> None:
    report = balance_report(world, Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert report["total"]["declarations"] == 3
    assert [r["office"] for r in report["by_office"]] == ["RS002"]
    empty = balance_report(world, Period(date(2025, 1, 1), date(2025, 1, 31)))
    assert empty["total"]["declarations"] == 0 and empty["by_month"] == []
