"""The small-frame way (a Python prefilter, then Polars on the candidate profiles only) gives
exactly the hits of evaluating every profile, and the prefilter does leave profiles out."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearway.profiles.matcher import ProfileSet
from clearway.profiles.model import Profile
from clearway.profiles.parse import parse_profile
from clearway.profiles.prefilter import Both, Either, Keys, Prefilter, need_of
from unit.profiles.builders import item_frame, profile_data

ROOT = Path(__file__).resolve().parents[3]
DAYS = [date(2026, 2, 1), date(2026, 3, 1), None]
CODES = ["610910", "610990", "6109", "61", "851010", "ä61091", "", None]
COUNTRIES = ["CN", "BD", "IR", "", None]


def _profile(when: dict[str, Any], **more: Any) -> Profile:
    return parse_profile(profile_data(when, **more))


# --- what the prefilter derives ------------------------------------------------------------

HS = {"field": "hs6", "prefix": ["6109", "85"]}
CN = {"field": "origin_country", "in": ["CN", "BD"]}
IM = {"field": "declaration_type", "equals": "IM"}
IR = {"field": "route_countries", "any_of": ["IR", "SY"]}
CHEAP = {"field": "unit_value", "range": {"min": 1}}
NEEDS = [
    (HS, Keys("hs6", "prefix", frozenset({"6109", "85"}))),
    (CN, Keys("origin_country", "equals", frozenset({"CN", "BD"}))),
    (IM, Keys("declaration_type", "equals", frozenset({"IM"}))),
    (IR, Keys("route_countries", "contains", frozenset({"IR", "SY"}))),
    ({"field": "route_countries", "all_of": ["IR", "SY"]},
     Both((Keys("route_countries", "contains", frozenset({"IR"})),
           Keys("route_countries", "contains", frozenset({"SY"}))))),
    (CHEAP, None),
    ({"field": "origin_country", "not_in": ["CN"]}, None),
    ({"not": CN}, None),  # holds where the origin is missing
    ({"not": {"not": CN}}, Keys("origin_country", "equals", frozenset({"CN", "BD"}))),
    ({"all": [CHEAP, HS]}, Keys("hs6", "prefix", frozenset({"6109", "85"}))),
    ({"all": [HS, CN, CHEAP]}, Both((Keys("hs6", "prefix", frozenset({"6109", "85"})),
                                     Keys("origin_country", "equals", frozenset({"CN", "BD"}))))),
    ({"any": [HS, IM]}, Either((Keys("hs6", "prefix", frozenset({"6109", "85"})),
                                Keys("declaration_type", "equals", frozenset({"IM"}))))),
    ({"any": [HS, CHEAP]}, None),
    ({"all": [CHEAP, {"any": [CHEAP, CN]}]}, None),
]


@pytest.mark.parametrize(("when", "need"), NEEDS)
def test_what_each_condition_needs(when: dict[str, Any], need: object) -> None:
    assert need_of(_profile(when).when) == need


CANDIDATES = [
    # item rows -> codes of the profiles that may hit
    ([{"hs6": "610910", "origin_country": "CN"}], ["SHIRTS", "CHEAP", "WINDOW"]),
    ([{"hs6": "840110", "origin_country": "CN"}], ["CHEAP", "WINDOW"]),
    ([{"hs6": "851010", "origin_country": "BD"}], ["SHIRTS", "CHEAP", "WINDOW"]),
    ([{"hs6": "610910", "origin_country": "TR"}], ["CHEAP", "WINDOW"]),
    ([{"hs6": "610910"}, {"origin_country": "CN"}], ["CHEAP", "WINDOW"]),  # not on one row
    ([{"hs6": None, "origin_country": "CN"}], ["CHEAP", "WINDOW"]),
    ([{"hs6": "61", "origin_country": "CN"}], ["CHEAP", "WINDOW"]),          # shorter than 6109
    ([{"hs6": "6109", "origin_country": "CN"}], ["SHIRTS", "CHEAP", "WINDOW"]),
    ([{"hs6": "85", "origin_country": "BD"}], ["SHIRTS", "CHEAP", "WINDOW"]),
    ([{"hs6": "610910", "origin_country": "CN", "declaration_date": date(2025, 1, 1)}],
     ["SHIRTS", "CHEAP"]),
    ([{"hs6": "610910", "origin_country": "CN", "declaration_date": None}], ["SHIRTS", "CHEAP"]),
]
SET = [_profile({"all": [HS, CN]}, code="SHIRTS"), _profile(CHEAP, code="CHEAP"),
       _profile(CHEAP, code="WINDOW", valid_from="2026-01-01")]


@pytest.mark.parametrize(("rows", "codes"), CANDIDATES)
def test_candidates_leave_out_the_profiles_that_cannot_hit(rows: list[dict[str, Any]],
                                                          codes: list[str]) -> None:
    frame = item_frame([{"declaration_date": date(2026, 3, 1), **row} for row in rows])
    assert [SET[i].code for i in Prefilter(SET).candidates(frame)] == codes


# --- generated profiles and frames: the two ways agree ---------------------------------------

def _values(options: list[str], most: int = 3) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(options), min_size=1, max_size=most, unique=True)


TESTS = st.one_of(
    st.builds(lambda f, v: {"field": f, "prefix": v},
              st.sampled_from(["hs6", "hs4", "commodity_code"]),
              _values(["6", "61", "6109", "61091", "610910", "8510", "ä6", "ä61"])),
    st.builds(lambda op, v: {"field": "origin_country", op: v}, st.sampled_from(["in", "not_in"]),
              _values(["CN", "BD", "IR"])),
    st.builds(lambda op, v: {"field": "declaration_type", op: v},
              st.sampled_from(["equals", "not_equals"]), st.sampled_from(["IM", "EX", "ENS"])),
    st.builds(lambda op, v: {"field": "route_countries", op: v},
              st.sampled_from(["any_of", "all_of"]), _values(["CN", "IR", "SY"], 2)),
    st.builds(lambda v: {"field": "unit_value", "range": {"min": v}}, st.sampled_from([1, 3])),
    st.builds(lambda v: {"field": "origin_country", "present": v}, st.booleans()),
    st.just({"field": "description", "regex": "(?i)cotton"}),
)
CONDITIONS = st.recursive(TESTS, lambda inner: st.one_of(
    st.builds(lambda c: {"all": c}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda c: {"any": c}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda c: {"not": c}, inner)), max_leaves=6)
WINDOWS = st.sampled_from([{}, {"valid_from": "2026-02-15"}, {"valid_to": "2026-02-15"}])
PROFILES = st.lists(st.tuples(CONDITIONS, WINDOWS), min_size=1, max_size=6)
ROWS = st.fixed_dictionaries({
    "_decl": st.integers(0, 2), "item": st.none() | st.integers(1, 3),
    "declaration_date": st.sampled_from(DAYS),
    "declaration_type": st.sampled_from(["IM", "EX", "ENS", None]),
    "hs6": st.sampled_from(CODES), "hs4": st.sampled_from(CODES),
    "commodity_code": st.sampled_from(CODES), "origin_country": st.sampled_from(COUNTRIES),
    "route_countries": st.none() | st.lists(st.sampled_from(["CN", "IR", "SY", None]),
                                            max_size=3),
    "unit_value": st.none() | st.sampled_from([0.5, 2.0, 5.0]),
    "description": st.sampled_from(["Cotton shirts", "shavers", None]),
})


def _sets(conditions: list[tuple[dict[str, Any], dict[str, Any]]]) -> tuple[ProfileSet, ...]:
    made = [_profile(when, code=f"P{n}", **window)
            for n, (when, window) in enumerate(conditions)]
    return ProfileSet(made), ProfileSet(made, small_frame_rows=0)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conditions=PROFILES, rows=st.lists(ROWS, min_size=1, max_size=8))
def test_small_frames_give_the_hits_of_evaluating_every_profile(
        conditions: list[tuple[dict[str, Any], dict[str, Any]]],
        rows: list[dict[str, Any]]) -> None:
    small, every = _sets(conditions)
    frame = item_frame(rows).with_columns(pl.Series("_decl", [r["_decl"] for r in rows]))
    assert small.hits(frame) == every.hits(frame)


# --- realistic profiles on realistic declarations ---------------------------------------------

@pytest.fixture(scope="module")
def synthetic() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_synthetic_items",
                                                  ROOT / "benchmarks" / "synthetic_items.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_synthetic_items", module)
    spec.loader.exec_module(module)
    return module


def test_benchmark_profiles_hit_single_declarations_as_the_batch(synthetic: ModuleType) -> None:
    matcher = ProfileSet(synthetic.profiles(500, seed=3))
    frame = synthetic.item_frame(6000, seed=3)
    batch = matcher.hits(frame)
    single = [(int(part["_decl"][0]), hit)
              for part in frame.partition_by("_decl", maintain_order=True)
              for _decl, hit in matcher.hits(part)]
    assert len(batch) > 50  # the comparison is about something
    assert single == batch
