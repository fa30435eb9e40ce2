"""The partner's exports next to our imports by HS6: both sides' figures on every row, the
value and unit-value gaps and ratios, a side missing flagged, and the two rankings."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from clearway.mirror.compare import GAP_COLUMNS, SIDE_SCHEMA, compare, gaps, rank


def side(*rows: tuple[str, float, float, int]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=SIDE_SCHEMA, orient="row")


THEIRS = side(("851010", 10_000.0, 100.0, 10),   # 100 EUR/kg left MK
              ("610910", 2_000.0, 200.0, 4),     # 10 EUR/kg
              ("940360", 5_000.0, 1_000.0, 2),   # 5 EUR/kg, never seen arriving
              ("300490", 900.0, 0.0, 1))         # no mass: no unit value
OURS = side(("851010", 2_500.0, 100.0, 9),       # 25 EUR/kg declared here: 4x below
            ("610910", 2_100.0, 200.0, 4),       # 10.5 EUR/kg: close
            ("300490", 1_000.0, 10.0, 1),
            ("870323", 30_000.0, 1_500.0, 1))    # the partner reported none

# hs6 -> (missing, their value, our value, gap, value ratio, their uv, our uv, uv ratio,
# their count, our count)
EXPECTED: dict[str, tuple[Any, ...]] = {
    "851010": (None, 10_000.0, 2_500.0, 7_500.0, 4.0, 100.0, 25.0, 4.0, 10, 9),
    "610910": (None, 2_000.0, 2_100.0, -100.0, 2_000 / 2_100, 10.0, 10.5, 10 / 10.5, 4, 4),
    "940360": ("our_imports", 5_000.0, None, 5_000.0, None, 5.0, None, None, 2, None),
    "300490": (None, 900.0, 1_000.0, -100.0, 0.9, None, 100.0, None, 1, 1),
    "870323": ("their_exports", None, 30_000.0, -30_000.0, None, None, 20.0, None, None, 1),
}


@pytest.mark.parametrize("hs6", sorted(EXPECTED))
def test_every_row_carries_both_sides_and_its_gaps(hs6: str) -> None:
    row = compare(THEIRS, OURS).filter(pl.col("hs6") == hs6).row(0, named=True)
    got = (row["missing"], row["their_value_eur"], row["our_value_eur"], row["value_gap_eur"],
           row["value_ratio"], row["their_unit_value"], row["our_unit_value"],
           row["unit_value_ratio"], row["their_count"], row["our_count"])
    for name, want, have in zip(("missing", "their value", "our value", "gap", "ratio",
                                 "their uv", "our uv", "uv ratio", "their n", "our n"),
                                EXPECTED[hs6], got, strict=True):
        assert have == (pytest.approx(want) if isinstance(want, float) else want), name


@pytest.mark.parametrize(("order", "top", "expected"), [
    ("value", None, ["870323", "851010", "940360", "300490", "610910"]),
    ("value", 2, ["870323", "851010"]),
    # |log ratio|: 4x first, then 1/0.952; rows without both unit values last, by HS6.
    ("unit_value", None, ["851010", "610910", "300490", "870323", "940360"]),
    ("unit_value", 1, ["851010"]),
])
def test_rankings(order: str, top: int | None, expected: list[str]) -> None:
    ranked = gaps(THEIRS, OURS, order=order, top=top)
    assert ranked["hs6"].to_list() == expected
    assert ranked["rank"].to_list() == list(range(1, len(expected) + 1))
    assert tuple(ranked.columns) == GAP_COLUMNS


def test_equal_gaps_rank_by_hs6_the_same_every_time() -> None:
    theirs = side(("020110", 100.0, 1.0, 1), ("010121", 100.0, 1.0, 1))
    assert gaps(theirs, side(), order="value")["hs6"].to_list() == ["010121", "020110"]


def test_no_figures_on_either_side_is_an_empty_list() -> None:
    assert gaps(side(), side()).height == 0


def test_an_unknown_order_is_refused() -> None:
    with pytest.raises(ValueError, match="order"):
        rank(compare(THEIRS, OURS), "volume")
