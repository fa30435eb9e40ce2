"""The matcher: one Hit per declaration and profile, about the first matching item, only on
the dates a profile is valid; a batch frame gives the same hits as its declarations one by one."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.profiles.matcher import ProfileSet
from clearway.profiles.parse import parse_profile
from clearway.risk.engine.decision import Area, Channel, Source
from unit.profiles.builders import item_frame, profile_data

DAY = date(2026, 3, 1)
SHIRTS = parse_profile(profile_data(
    {"all": [{"field": "hs6", "prefix": ["6109"]}, {"field": "origin_country", "in": ["CN"]}]},
    code="VAL-SHIRTS", name="Shirts from China", min_channel="yellow",
    instructions="Check the invoice", qualification="valuation"))
NEWCOMER = parse_profile(profile_data({"field": "trader_declarations", "range": {"max": 1}},
                                      code="HIST-NEW", name="New trader", area="origin",
                                      weight=0.2))


def decl(n: int, items: list[dict[str, Any]], **head: Any) -> list[dict[str, Any]]:
    head = {"declaration_date": DAY, "trader_declarations": 10, **head}
    return [{"_decl": n, "_key": f"MRN{n}", **head, "item": i + 1, **item}
            for i, item in enumerate(items)]


def frame_of(rows: list[dict[str, Any]]) -> pl.DataFrame:
    frame = item_frame(rows)
    return frame.with_columns(pl.Series("_decl", [r["_decl"] for r in rows], dtype=pl.Int64))


def test_one_hit_per_declaration_and_profile_about_the_first_matching_item() -> None:
    rows = decl(0, [{"hs6": "851010", "origin_country": "CN"},
                    {"hs6": "610910", "origin_country": "CN", "description": "T-shirts"},
                    {"hs6": "610990", "origin_country": "CN"}]) \
        + decl(1, [{"hs6": "610910", "origin_country": "BD"}], trader_declarations=0)
    hits = ProfileSet([SHIRTS, NEWCOMER]).hits(frame_of(rows))
    assert [(d, h.ref) for d, h in hits] == [(0, "VAL-SHIRTS v1"), (1, "HIST-NEW v1")]
    shirt = hits[0][1]
    assert (shirt.source, shirt.area, shirt.weight) == (Source.PROFILE, Area.VALUATION, 0.5)
    assert (shirt.min_channel, shirt.hard, shirt.item) == (Channel.YELLOW, True, 2)
    assert shirt.evidence == {"items": [2, 3], "hs6": "610910", "origin_country": "CN"}
    assert shirt.reason == "Shirts from China (hs6 starts with 6109 and origin_country in CN)"
    assert (shirt.instructions, shirt.qualification) == ("Check the invoice", "valuation")
    newcomer = hits[1][1]
    # A profile on declaration-level fields only is about the whole declaration.
    assert (newcomer.item, newcomer.hard, newcomer.min_channel) == (None, False, None)
    assert newcomer.evidence == {"items": [1], "trader_declarations": 0}


def test_profiles_apply_only_on_the_dates_they_are_valid() -> None:
    windowed = parse_profile(profile_data({"field": "origin_country", "in": ["CN"]},
                                          valid_from="2026-02-01", valid_to="2026-02-28"))
    rows = [*decl(0, [{"origin_country": "CN"}], declaration_date=date(2026, 1, 31)),
            *decl(1, [{"origin_country": "CN"}], declaration_date=date(2026, 2, 1)),
            *decl(2, [{"origin_country": "CN"}], declaration_date=date(2026, 2, 28)),
            *decl(3, [{"origin_country": "CN"}], declaration_date=date(2026, 3, 1)),
            *decl(4, [{"origin_country": "CN"}], declaration_date=None)]
    assert [d for d, _h in ProfileSet([windowed]).hits(frame_of(rows))] == [1, 2]


def test_nothing_to_match() -> None:
    assert ProfileSet([]).hits(frame_of(decl(0, [{"origin_country": "CN"}]))) == []
    assert ProfileSet([SHIRTS]).hits(item_frame([])) == []
    assert ProfileSet([SHIRTS]).hits(frame_of(decl(0, [{"hs6": "851010"}]))) == []


def test_a_frame_without_some_columns_reads_them_as_missing() -> None:
    frame = pl.DataFrame({"_decl": [0], "item": [1], "hs6": ["610910"],
                          "origin_country": ["CN"], "declaration_date": [DAY]})
    assert [h.ref for _d, h in ProfileSet([SHIRTS, NEWCOMER]).hits(frame)] == ["VAL-SHIRTS v1"]


# --- single declarations and the batch give the same hits ------------------------------

PROFILES = [SHIRTS, NEWCOMER, parse_profile(profile_data(
    {"any": [{"field": "description", "regex": "(?i)cotton"},
             {"not": {"field": "unit_value", "range": {"min": 1}}}]},
    code="TXT", valid_from="2026-02-15")), parse_profile(profile_data(
        {"field": "route_countries", "any_of": ["IR"]}, code="ROUTE", min_channel="red"))]
ITEMS = st.fixed_dictionaries({
    "hs6": st.sampled_from(["610910", "610990", "851010", None]),
    "origin_country": st.sampled_from(["CN", "BD", None]),
    "description": st.sampled_from(["Cotton shirts", "shavers", None]),
    "unit_value": st.none() | st.floats(0, 5, allow_nan=False),
})
DECLARATIONS = st.lists(st.tuples(
    st.lists(ITEMS, min_size=1, max_size=4), st.sampled_from([0, 1, 5, None]),
    st.sampled_from([date(2026, 2, 1), date(2026, 3, 1)]),
    st.sampled_from([["CN"], ["CN", "IR"], []])), min_size=1, max_size=8)


@settings(max_examples=80, deadline=None)
@given(declarations=DECLARATIONS)
def test_batch_and_single_declarations_give_identical_hits(declarations: list[Any]) -> None:
    matcher = ProfileSet(PROFILES)
    parts = [decl(n, items, trader_declarations=history, declaration_date=day,
                  route_countries=route)
             for n, (items, history, day, route) in enumerate(declarations)]
    batch = matcher.hits(frame_of([row for part in parts for row in part]))
    one_by_one = []
    for n, part in enumerate(parts):
        alone = frame_of([{**row, "_decl": 0} for row in part])
        one_by_one += [(n, hit) for _zero, hit in matcher.hits(alone)]
    assert batch == one_by_one
