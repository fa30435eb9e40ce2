"""Both sides of an alarm, figure by figure, from the evidence the matching keeps."""

from __future__ import annotations

from typing import Any

import pytest

from clearway.prearrival.sides import Row, announced_facts, side_by_side

CASES: list[tuple[dict[str, Any], list[Row], list[tuple[str, str]]]] = [
    ({"announced": 1000.5, "arrived": 1310, "tolerance": "5 %"},
     [Row("figure", "1000.5", "1310")], [("tolerance", "5 %")]),
    ({"announced": {"eori": "MK1"}, "arrived": {"natural_person": True}},
     [Row("eori", "MK1", "—"), Row("natural person", "—", "yes")], []),
    ({"seals": {"announced": ["S1", "S2"], "arrived": ["S1"]}, "arrived_as": "crossing"},
     [Row("seals", "S1, S2", "S1")], [("arrived as", "crossing")]),
    ({"exit_at": "2026-11-20T08:00", "arrived_at": "2026-11-20T08:05", "minutes": 5},
     [Row("time", "2026-11-20T08:00", "2026-11-20T08:05")], [("minutes", "5")]),
    ({"announced": ["620342"], "arrived": ["620343"], "not_arrived": ["620342"]},
     [Row("figure", "620342", "620343")], [("not arrived", "620342")]),
    ({}, [], []),
]


@pytest.mark.parametrize(("evidence", "rows", "other"), CASES)
def test_side_by_side(evidence: dict[str, Any], rows: list[Row],
                      other: list[tuple[str, str]]) -> None:
    found = side_by_side(evidence)
    assert list(found.rows) == rows
    assert list(found.other) == other


def test_the_announcement_as_facts_never_a_name() -> None:
    facts = dict(announced_facts({
        "mrn": "26MK1", "exit_at": "2026-11-20T08:00:00+00:00", "office_of_exit": "MK002001",
        "office_of_entry": "RS004002", "transport": {"vehicle": "SK123AB", "seals": ["S1"]},
        "consignee": {"pseudonym": "p:abc", "country": "RS"},
        "totals": {"packages": 10, "gross_mass": "1000.5", "value": "2000", "currency": "EUR"},
        "goods_items": [{"sequence": 1, "hs6": "620342", "description": "trousers"}]}))
    assert facts["MRN"] == "26MK1" and facts["vehicle"] == "SK123AB"
    assert facts["seals"] == "S1" and facts["value"] == "2000 EUR"
    assert facts["consignee"] == "pseudonym: p:abc; country: RS"
    assert "620342" in facts["item 1"] and facts["containers"] == "—"
