"""Validation: every problem is a coded issue naming the profile, the field and where."""

from __future__ import annotations

from typing import Any

import pytest

from clearway.errors import DocumentInvalid
from clearway.profiles.model import AllOf, FieldTest, Not, ProfileStatus
from clearway.profiles.parse import parse_profile
from clearway.risk.engine.decision import Area, Channel
from unit.profiles.builders import profile_data

HS = {"field": "hs6", "prefix": ["6109"]}

# (changes to a valid definition, expected code, expected pointer)
BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"when": {"field": "hs7", "prefix": ["61"]}}, "CW-PROFILE-FIELD", "/when/field"),
    ({"when": {"field": "hs6", "starts": ["61"]}}, "CW-PROFILE-OPERATOR", "/when"),
    ({"when": {"field": "hs6", "prefix": ["61"], "in": ["610910"]}}, "CW-PROFILE-OPERATOR",
     "/when"),
    ({"when": {"field": "hs6"}}, "CW-PROFILE-OPERATOR", "/when"),
    ({"when": {"field": "unit_value", "prefix": ["1"]}}, "CW-PROFILE-OPERATOR", "/when/prefix"),
    ({"when": {"field": "route_countries", "equals": "IR"}}, "CW-PROFILE-OPERATOR",
     "/when/equals"),
    ({"when": {"field": "aeoc", "range": {"min": 1}}}, "CW-PROFILE-OPERATOR", "/when/range"),
    ({"when": {"field": "hs6", "prefix": [6109]}}, "CW-PROFILE-VALUE", "/when/prefix"),
    ({"when": {"field": "hs6", "prefix": []}}, "CW-PROFILE-VALUE", "/when/prefix"),
    ({"when": {"field": "origin_country", "in": "CN"}}, "CW-PROFILE-VALUE", "/when/in"),
    ({"when": {"field": "aeoc", "equals": "yes"}}, "CW-PROFILE-VALUE", "/when/equals"),
    ({"when": {"field": "item_count", "equals": 1.5}}, "CW-PROFILE-VALUE", "/when/equals"),
    ({"when": {"field": "item_count", "equals": True}}, "CW-PROFILE-VALUE", "/when/equals"),
    ({"when": {"field": "declaration_date", "greater_than": "soon"}}, "CW-PROFILE-VALUE",
     "/when/greater_than"),
    ({"when": {"field": "description", "regex": "(?<=a)b"}}, "CW-PROFILE-VALUE", "/when/regex"),
    ({"when": {"field": "description", "regex": "("}}, "CW-PROFILE-VALUE", "/when/regex"),
    ({"when": {"field": "net_mass", "range": {"min": 5, "max": 1}}}, "CW-PROFILE-VALUE",
     "/when/range"),
    ({"when": {"field": "net_mass", "range": {"above": 5}}}, "CW-PROFILE-VALUE", "/when/range"),
    ({"when": {"field": "net_mass", "less_than_field": "hs6"}}, "CW-PROFILE-VALUE",
     "/when/less_than_field"),
    ({"when": {"field": "net_mass", "less_than_field": "nett_mass"}}, "CW-PROFILE-VALUE",
     "/when/less_than_field"),
    ({"when": {"field": "net_mass", "less_than_field": "gross_mass", "factor": -1}},
     "CW-PROFILE-VALUE", "/when/factor"),
    ({"when": {"field": "origin_country", "in": ["CN"], "factor": 2}}, "CW-PROFILE-VALUE",
     "/when/factor"),
    ({"when": {"all": []}}, "CW-PROFILE-VALUE", "/when/all"),
    ({"when": {"all": [HS], "any": [HS]}}, "CW-PROFILE-OPERATOR", "/when"),
    ({"when": {"all": [HS, {"field": "origin", "in": ["CN"]}]}}, "CW-PROFILE-FIELD",
     "/when/all/1/field"),
    ({"when": {"not": {"any": [HS, "hs6"]}}}, "CW-PROFILE-VALUE", "/when/not/any/1"),
    ({"when": ["hs6"]}, "CW-PROFILE-VALUE", "/when"),
    ({"code": "val-1"}, "CW-PROFILE-ATTRIBUTE", "/code"),
    ({"code": None}, "CW-PROFILE-ATTRIBUTE", "/code"),
    ({"name": ""}, "CW-PROFILE-ATTRIBUTE", "/name"),
    ({"area": "tax"}, "CW-PROFILE-ATTRIBUTE", "/area"),
    ({"weight": 2}, "CW-PROFILE-ATTRIBUTE", "/weight"),
    ({"weight": "high"}, "CW-PROFILE-ATTRIBUTE", "/weight"),
    ({"min_channel": "orange"}, "CW-PROFILE-ATTRIBUTE", "/min_channel"),
    ({"valid_from": "2026-13-01"}, "CW-PROFILE-ATTRIBUTE", "/valid_from"),
    ({"valid_from": "2026-06-01", "valid_to": "2026-01-01"}, "CW-PROFILE-ATTRIBUTE",
     "/valid_to"),
    ({"owner": None}, "CW-PROFILE-ATTRIBUTE", "/owner"),
    ({"qualification": "x" * 61}, "CW-PROFILE-ATTRIBUTE", "/qualification"),
    ({"colour": "red"}, "CW-PROFILE-ATTRIBUTE", "/colour"),
    ({"agency": "ph"}, "CW-PROFILE-ATTRIBUTE", "/agency"),
    ({"agency": "P"}, "CW-PROFILE-ATTRIBUTE", "/agency"),
    ({"agency": ["PH"]}, "CW-PROFILE-ATTRIBUTE", "/agency"),
    # an agency's profile never reads customs' own intelligence
    ({"agency": "PH", "when": {"field": "trader_irregular_rate", "greater_than": 0.2}},
     "CW-PROFILE-FIELD", "/when"),
    ({"agency": "PH", "when": {"all": [HS, {"field": "unit_value", "less_than_field":
                                            "reference_unit_value", "factor": 0.5}]}},
     "CW-PROFILE-FIELD", "/when"),
]


@pytest.mark.parametrize(("changes", "code", "pointer"), BAD, ids=[str(b[0]) for b in BAD])
def test_bad_definitions_get_a_coded_issue(changes: dict[str, Any], code: str,
                                           pointer: str) -> None:
    data = profile_data(HS)
    data.update(changes)
    with pytest.raises(DocumentInvalid) as caught:
        parse_profile(data)
    found = [(i.code, i.pointer) for i in caught.value.errors]
    assert (code, pointer) in found, found
    assert all(i.message.startswith(f"Profile {data.get('code') or '?'}:")
               for i in caught.value.errors), caught.value.errors


def test_every_problem_is_reported_at_once() -> None:
    data = profile_data({"all": [{"field": "hs7", "prefix": ["61"]},
                                 {"field": "aeoc", "equals": "no"}]}, weight=3, area="tax")
    with pytest.raises(DocumentInvalid) as caught:
        parse_profile(data)
    assert sorted(i.code for i in caught.value.errors) == [
        "CW-PROFILE-ATTRIBUTE", "CW-PROFILE-ATTRIBUTE", "CW-PROFILE-FIELD", "CW-PROFILE-VALUE"]


def test_unknown_field_suggests_close_names() -> None:
    with pytest.raises(DocumentInvalid) as caught:
        parse_profile(profile_data({"field": "orign_country", "in": ["CN"]}))
    assert "origin_country" in caught.value.errors[0].message


def test_a_valid_definition_reads_into_the_model() -> None:
    data = profile_data({"all": [HS, {"not": {"field": "aeoc", "equals": True}}]},
                        min_channel="red", area="security", valid_from="2026-01-01")
    profile = parse_profile(data)
    assert profile.area == Area.SECURITY and profile.min_channel == Channel.RED
    assert profile.hard and profile.status == ProfileStatus.DRAFT and profile.version == 1
    assert profile.when == AllOf((FieldTest("hs6", "prefix", ("6109",)),
                                  Not(FieldTest("aeoc", "equals", True))))
    assert parse_profile(profile.definition()) == profile


@pytest.mark.parametrize(("channel", "hard"), [(None, False), ("green", False), ("blue", True),
                                               ("yellow", True), ("red", True)])
def test_hard_means_a_channel_above_green(channel: str | None, hard: bool) -> None:
    assert parse_profile(profile_data(HS, min_channel=channel)).hard is hard


def test_owner_defaults_to_the_writer() -> None:
    data = profile_data(HS)
    del data["owner"]
    assert parse_profile(data, default_owner="ana").owner == "ana"


def test_an_agency_profile_keeps_its_agency_through_its_written_form() -> None:
    profile = parse_profile(profile_data(HS, agency="PH"))
    assert profile.agency == "PH" and profile.definition()["agency"] == "PH"
    assert parse_profile(profile.definition()) == profile
    assert parse_profile(profile_data(HS)).agency is None
    assert "agency" not in parse_profile(profile_data(HS)).definition()
