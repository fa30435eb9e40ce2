"""The live balance report's arithmetic on fixed counts (no database)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from clearway.balance.live import SCHEMA, summarize

# day, office, random draw, outcome (None: not inspected), declarations
COUNTS = [
    (date(2026, 10, 3), "RS001", True, 1, 2), (date(2026, 10, 3), "RS001", True, 0, 6),
    (date(2026, 10, 3), "RS001", False, 1, 9), (date(2026, 10, 3), "RS001", False, 0, 1),
    (date(2026, 10, 9), "RS001", False, None, 82),
    (date(2026, 11, 2), "RS002", True, None, 3), (date(2026, 11, 2), "RS002", False, 0, 4),
    (date(2026, 11, 5), None, False, None, 10),
]


def frame(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


@pytest.mark.parametrize(("group", "key", "expected"), [
    ("total", None, {"declarations": 117, "inspected": 22, "irregular": 11,
                     "random_selected": 11, "random_inspected": 8, "random_irregular": 2,
                     "precision": 0.5, "estimate": {"rate": 0.25, "low": 0.071479,
                                                    "high": 0.590725},
                     "targeted_precision": 0.642857, "lift": 2.571429}),
    ("by_month", {"month": "2026-10"}, {"declarations": 100, "inspected": 18, "irregular": 11,
                                       "random_inspected": 8, "precision": 0.611111}),
    ("by_month", {"month": "2026-11"}, {"declarations": 17, "inspected": 4, "irregular": 0,
                                       "random_selected": 3, "random_inspected": 0,
                                       "estimate": {"rate": None, "low": None,
                                                    "high": None}, "lift": None}),
    ("by_office", {"office": ""}, {"declarations": 10, "inspected": 0, "precision": None,
                                   "precision_ci": None}),
    ("by_month_office", {"month": "2026-11", "office": "RS002"}, {"declarations": 7,
                                                                  "inspected": 4}),
])
def test_groups(group: str, key: dict[str, str] | None, expected: dict[str, Any]) -> None:
    report = summarize(frame(COUNTS))
    found = report[group] if key is None else next(
        r for r in report[group] if all(r[k] == v for k, v in key.items()))
    assert {k: found[k] for k in expected} == expected


def test_unseen_estimate_of_the_total() -> None:
    total = summarize(frame(COUNTS))["total"]
    # 117 declarations x 25 % = 29.25 irregular expected, 11 found, 95 not inspected
    assert total["unseen_estimate"]["rate"] == pytest.approx((117 * 0.25 - 11) / 95, abs=1e-6)


def test_an_empty_period() -> None:
    report = summarize(frame([]))
    assert report["total"]["declarations"] == 0 and report["total"]["precision"] is None
    assert report["by_month"] == [] and report["by_month_office"] == []
