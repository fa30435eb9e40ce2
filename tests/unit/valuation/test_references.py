"""Reference unit values: robust centre and spread on hand-computed tables, minimum
observations, origin scopes, the period and unusable rows."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.valuation.model import MAD_TO_SIGMA, MIN_SPREAD, as_lookup, compute_references

START, END = date(2024, 1, 1), date(2024, 12, 31)
DAY = date(2024, 6, 1)


def observations(*rows: tuple[str, str | None, float | None], on: date = DAY) -> pl.DataFrame:
    return pl.DataFrame({"hs6": [r[0] for r in rows], "origin_country": [r[1] for r in rows],
                         "date": [on] * len(rows), "unit_value": [r[2] for r in rows]},
                        schema={"hs6": pl.String, "origin_country": pl.String,
                                "date": pl.Date, "unit_value": pl.Float64})


def group(values: list[float], hs6: str = "610910", origin: str | None = "CN") -> pl.DataFrame:
    return observations(*[(hs6, origin, v) for v in values])


def reference(refs: pl.DataFrame, hs6: str, origin: str | None) -> dict[str, object] | None:
    scope = pl.col("origin_country").is_null() if origin is None \
        else pl.col("origin_country") == origin
    found = refs.filter(pl.col("hs6") == hs6, scope)
    return found.row(0, named=True) if found.height else None


# values, centre, spread: worked out by hand (median; 1.4826 x median |log x - median log x|).
CENTRE_SPREAD = [
    # logs around ln 8: deviations 0, 0, ln 9/8, ln 8/7, ln 10/8 -> MAD ln 9/8
    ([8.0, 8.0, 9.0, 7.0, 10.0], 8.0, MAD_TO_SIGMA * math.log(9 / 8)),
    # even count: median 3.5; median log ln sqrt(12); deviations' median (ln 5/sqrt12 +
    # ln sqrt12/2) / 2 = ln(2.5) / 2
    ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 3.5, MAD_TO_SIGMA * math.log(2.5) / 2),
    # identical values: the floor, not zero
    ([4.0] * 5, 4.0, MIN_SPREAD),
    # one wild value moves neither the centre nor the spread much
    ([8.0, 8.0, 9.0, 7.0, 10.0, 8.0, 9000.0], 8.0, MAD_TO_SIGMA * math.log(9 / 8)),
]


@pytest.mark.parametrize(("values", "centre", "spread"), CENTRE_SPREAD)
def test_centre_is_the_median_and_spread_the_scaled_mad_of_logs(
        values: list[float], centre: float, spread: float) -> None:
    refs = compute_references(group(values), start=START, end=END)
    found = reference(refs, "610910", "CN")
    assert found is not None
    assert found["centre"] == pytest.approx(centre)
    assert found["spread"] == pytest.approx(spread)
    assert found["observations"] == len(values)
    assert (found["period_from"], found["period_to"]) == (START, END)


@pytest.mark.parametrize(("rows", "minimum", "has_reference"), [
    (4, 5, False), (5, 5, True), (4, 4, True), (1, 1, True),
])
def test_groups_below_the_minimum_get_no_reference(rows: int, minimum: int,
                                                   has_reference: bool) -> None:
    refs = compute_references(group([2.0] * rows), start=START, end=END,
                              min_observations=minimum)
    assert (reference(refs, "610910", "CN") is not None) is has_reference
    assert (reference(refs, "610910", None) is not None) is has_reference


def test_the_all_origins_reference_pools_every_origin_and_unknown_ones() -> None:
    rows = observations(*[("610910", "CN", 2.0)] * 5, *[("610910", "BD", 4.0)] * 3,
                        *[("610910", None, 4.0)] * 3)
    refs = compute_references(rows, start=START, end=END)
    assert reference(refs, "610910", "CN")["centre"] == 2.0  # type: ignore[index]
    assert reference(refs, "610910", "BD") is None  # 3 < 5 of its own
    wide = reference(refs, "610910", None)
    assert wide is not None and wide["observations"] == 11 and wide["centre"] == 4.0
    assert refs["origin_country"].to_list() == [None, "CN"]  # wide first, then by origin


@pytest.mark.parametrize(("row", "counted"), [
    (("610910", "CN", 3.0), True),
    (("610910", "CN", 0.0), False),       # zero value: no price information
    (("610910", "CN", -1.0), False),
    (("610910", "CN", None), False),      # no mass: no unit value
    (("610910", "CN", math.inf), False),
    (("61091", "CN", 3.0), False),        # not an HS6
    (("6109AB", "CN", 3.0), False),
    (("610910", " cn ", 3.0), True),      # origin normalised
])
def test_unusable_rows_are_left_out(row: tuple[str, str | None, float | None],
                                    counted: bool) -> None:
    base = [("610910", "CN", 3.0)] * 4
    refs = compute_references(observations(*base, row), start=START, end=END)
    found = reference(refs, "610910", "CN")
    assert (found is not None) is counted


@pytest.mark.parametrize(("on", "counted"), [
    (START, True), (END, True), (date(2023, 12, 31), False), (date(2025, 1, 1), False)])
def test_only_the_period_counts(on: date, counted: bool) -> None:
    rows = pl.concat([group([3.0] * 4), observations(("610910", "CN", 3.0), on=on)])
    refs = compute_references(rows, start=START, end=END)
    assert (reference(refs, "610910", "CN") is not None) is counted


def test_no_observations_no_references() -> None:
    refs = compute_references(observations(), start=START, end=END)
    assert refs.height == 0
    assert as_lookup(refs).columns == ["hs6", "origin_country", "reference_unit_value",
                                       "reference_spread", "reference_observations"]


def test_min_observations_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        compute_references(group([1.0]), start=START, end=END, min_observations=0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.01, 1e5), min_size=5, max_size=30), st.floats(0.001, 1000.0))
def test_a_change_of_currency_scales_the_centre_and_keeps_the_spread(
        values: list[float], factor: float) -> None:
    plain = compute_references(group(values), start=START, end=END)
    scaled = compute_references(group([v * factor for v in values]), start=START, end=END)
    assert scaled["centre"][0] == pytest.approx(plain["centre"][0] * factor, rel=1e-9)
    assert scaled["spread"][0] == pytest.approx(plain["spread"][0], rel=1e-6, abs=1e-9)
