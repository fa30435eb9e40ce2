"""Condition semantics, one row per operator case, with nulls: a test on a missing value is
false whatever the operator (only `present` sees nulls), and `not` is the plain negation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from clearway.profiles.conditions import evaluate
from clearway.profiles.parse import parse_profile
from unit.profiles.builders import item_frame, profile_data

ROWS = [
    {"hs6": "610910", "origin_country": "CN", "unit_value": 1.0, "reference_unit_value": 5.0,
     "description": "Cotton T-shirts", "route_countries": ["CN", "IR"], "aeoc": False,
     "trader_declarations": 2, "declaration_date": date(2026, 3, 1), "tax_rate": 12.0,
     "document_codes": ["N935", "Y929"], "dispatch_country": "CN"},
    {"hs6": "851010", "origin_country": "BD", "unit_value": 10.0, "reference_unit_value": 5.0,
     "description": "Electric shavers", "route_countries": ["BD"], "aeoc": True,
     "trader_declarations": 50, "declaration_date": date(2026, 6, 1), "tax_rate": 0.0,
     "document_codes": [], "dispatch_country": "TR"},
    {},  # every field missing
    {"hs6": "610990", "origin_country": "NO", "unit_value": 3.0, "description": "cotton socks",
     "route_countries": [], "aeoc": False, "trader_declarations": 0,
     "declaration_date": date(2026, 1, 1), "dispatch_country": "NO"},
]

CASES: list[tuple[dict[str, Any], list[bool]]] = [
    ({"field": "origin_country", "equals": "CN"}, [True, False, False, False]),
    ({"field": "origin_country", "not_equals": "CN"}, [False, True, False, True]),
    ({"field": "aeoc", "equals": False}, [True, False, False, True]),
    ({"field": "origin_country", "in": ["CN", "NO"]}, [True, False, False, True]),
    ({"field": "origin_country", "not_in": ["CN"]}, [False, True, False, True]),
    ({"field": "trader_declarations", "in": [0, 2]}, [True, False, False, True]),
    ({"field": "hs6", "prefix": ["6109"]}, [True, False, False, True]),
    ({"field": "hs6", "prefix": "61091"}, [True, False, False, False]),
    ({"field": "hs6", "prefix": ["85", "610990"]}, [False, True, False, True]),
    ({"field": "description", "regex": "(?i)^cotton"}, [True, False, False, True]),
    ({"field": "description", "regex": "cotton"}, [False, False, False, True]),
    ({"field": "trader_declarations", "range": {"min": 2, "max": 50}}, [True, True, False, False]),
    ({"field": "trader_declarations", "range": {"max": 5}}, [True, False, False, True]),
    ({"field": "unit_value", "range": {"min": 3}}, [False, True, False, True]),
    ({"field": "declaration_date", "range": {"min": "2026-02-01", "max": "2026-12-31"}},
     [True, True, False, False]),
    ({"field": "tax_rate", "greater_than": 0}, [True, False, False, False]),
    ({"field": "tax_rate", "less_than": 5}, [False, True, False, False]),
    ({"field": "route_countries", "any_of": ["IR", "SY"]}, [True, False, False, False]),
    ({"field": "document_codes", "all_of": ["N935", "Y929"]}, [True, False, False, False]),
    ({"field": "document_codes", "all_of": ["N935", "C400"]}, [False, False, False, False]),
    ({"field": "origin_country", "present": True}, [True, True, False, True]),
    ({"field": "origin_country", "present": False}, [False, False, True, False]),
    ({"field": "route_countries", "present": False}, [False, False, True, True]),
    ({"field": "unit_value", "less_than_field": "reference_unit_value", "factor": 0.5},
     [True, False, False, False]),
    ({"field": "unit_value", "greater_than_field": "reference_unit_value"},
     [False, True, False, False]),
    ({"field": "origin_country", "equals_field": "dispatch_country"},
     [True, False, False, True]),
    ({"field": "origin_country", "not_equals_field": "dispatch_country"},
     [False, True, False, False]),
    # Combinations: a null is false inside all/any, and `not` negates that false.
    ({"all": [{"field": "hs6", "prefix": ["6109"]}, {"field": "origin_country", "in": ["CN"]}]},
     [True, False, False, False]),
    ({"any": [{"field": "aeoc", "equals": True}, {"field": "tax_rate", "greater_than": 10}]},
     [True, True, False, False]),
    ({"not": {"field": "origin_country", "in": ["CN"]}}, [False, True, True, True]),
    ({"not": {"field": "aeoc", "equals": True}}, [True, False, True, True]),
    ({"all": [{"not": {"field": "origin_country", "in": ["CN"]}},
              {"field": "origin_country", "present": True}]}, [False, True, False, True]),
    ({"not": {"not": {"field": "origin_country", "equals": "BD"}}}, [False, True, False, False]),
]


@pytest.mark.parametrize(("when", "expected"), CASES, ids=[str(c[0]) for c in CASES])
def test_condition_on_each_row(when: dict[str, Any], expected: list[bool]) -> None:
    profile = parse_profile(profile_data(when))
    assert evaluate(item_frame(ROWS), profile.when).to_list() == expected


def test_a_condition_is_never_null() -> None:
    for when, _expected in CASES:
        result = evaluate(item_frame(ROWS), parse_profile(profile_data(when)).when)
        assert result.null_count() == 0, when
