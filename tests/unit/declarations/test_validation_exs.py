"""Exit summary declarations (EXS): read from JSON like an ENS, validated with the summary
rules and their own (the office of exit), each failure coded."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clearway.declarations.formats.detect import read_document
from clearway.declarations.model import ExitSummaryDeclaration
from format_documents import JSON, TRADER, outcome


def exs_doc() -> dict[str, Any]:
    return {"declaration_type": "EXS", "lrn": "EXS-1", "declarant": {"id": TRADER},
            "carrier": {"id": TRADER}, "consignor": {"id": TRADER},
            "consignee": {"name": "Thessaloniki Imports S.A.", "address": {"country": "GR"}},
            "place_of_loading": "RSBEG", "place_of_unloading": "GRSKG",
            "offices": {"exit": "RS001002"}, "containers": [{"number": "MSCU1234566"}],
            "expected_departure": "2026-11-21T06:00:00",
            "items": [{"sequence": 1, "description": "Frozen raspberries", "hs6": "081120",
                       "gross_mass": "12000", "container_ids": ["MSCU1234566"]}]}


def test_an_exs_is_read_as_its_own_type_and_is_valid() -> None:
    parsed = read_document(json.dumps(exs_doc()).encode(), "application/json")
    assert isinstance(parsed.doc, ExitSummaryDeclaration)
    assert outcome(JSON, json.dumps(exs_doc())) == set()


def _without(path: str) -> Any:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.strip("/").split("/")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node.pop(last)
    return change


def _with(path: str, value: Any) -> Any:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.strip("/").split("/")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value
    return change


CASES = [  # name, change, code, pointer
    ("no office of exit", _without("/offices/exit"), "CW-EXS-OFFICE-EXIT", "/offices/exit"),
    ("unknown office of exit", _with("/offices/exit", "RS999999"), "CW-EXS-OFFICE-EXIT",
     "/offices/exit"),
    ("an office that is no office of exit", _with("/offices/exit", "RS001001"),
     "CW-EXS-OFFICE-EXIT", "/offices/exit"),
    ("an office of first entry", _with("/offices/first_entry", "RS001002"),
     "CW-EXS-FIRST-ENTRY", "/offices/first_entry"),
    ("no carrier", _without("/carrier"), "CW-RULE-REQUIRED", "/carrier"),
    ("no place of loading", _without("/place_of_loading"), "CW-RULE-REQUIRED",
     "/place_of_loading"),
    ("no items", _with("/items", []), "CW-RULE-NO-ITEMS", "/items"),
    ("an item without HS code", _without("/items/0/hs6"), "CW-RULE-REQUIRED", "/items/0/hs6"),
    ("a departure long past", _with("/expected_departure", "2020-01-01T06:00:00"),
     "CW-RULE-DATE", "/expected_departure"),
    ("an ENS's arrival field", _with("/expected_arrival", "2026-11-21T06:00:00"),
     "CW-SYN-SCHEMA", "/expected_arrival"),
]


@pytest.mark.parametrize(("change", "code", "pointer"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_an_exs_rule_is_refused(change: Any, code: str, pointer: str) -> None:
    doc = exs_doc()
    change(doc)
    assert (code, pointer) in outcome(JSON, json.dumps(doc))
