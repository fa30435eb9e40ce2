"""Goods go to exactly the agencies whose matrix rule applies, none extra."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.agencies.matrix import Version
from clearway.agencies.model import Formality, MatrixRule
from clearway.agencies.routing import _applies, route, route_indexed
from clearway.declarations.model import Declaration
from helpers import import_doc

DAY = date(2026, 11, 20)
F = frozenset
MATRIX = [
    MatrixRule("PH-LIVE-PLANTS", "0602", "PH", Formality.CERTIFICATE, F({"IM"}),
               documents=F({"N851"})),
    MatrixRule("PH-FRUIT", "08", "PH", Formality.CERTIFICATE, F({"IM"}), documents=F({"N851"}),
               move_before_decision=True),
    MatrixRule("VET-MEAT", "02", "VET", Formality.CERTIFICATE, F({"IM"}),
               documents=F({"C640", "N853"})),
    MatrixRule("PHA-MEDICINES", "3004", "PHA", Formality.PERMIT, F({"IM"}),
               origins=F({"CN", "IN"})),
    MatrixRule("DUL-NUCLEAR", "8401", "DUL", Formality.LICENCE, F({"EX"}),
               documents=F({"X002"})),
    MatrixRule("DUL-OLD", "8401", "DUL", Formality.LICENCE, F({"EX"}),
               valid_to=date(2025, 12, 31)),
    MatrixRule("MS-TOYS-ENDUSE", "9503", "MS", Formality.INSPECTION, F({"IM"}),
               intended_use="C07"),
    MatrixRule("DUL-RU", "8471", "DUL", Formality.LICENCE, F({"EX"}), destinations=F({"RU"})),
]


def _doc(kind: str, items: list[dict[str, Any]], **header: Any) -> Declaration:
    base = import_doc(declaration_type=kind, **header)
    item = base["items"][0]
    base["items"] = [{**item, "sequence": i + 1, **changes} for i, changes in enumerate(items)]
    return Declaration.model_validate(base)


CASES = [
    ("live plants", "IM", [{"commodity_code": "0602100000"}], {}, [(1, "PH", ())]),
    ("fruit with its certificate", "IM",
     [{"commodity_code": "0805100000", "documents": [{"code": "N851", "reference": "PC1"}]}],
     {}, [(1, "PH", ("N851",))]),
    ("meat and fruit, two items", "IM",
     [{"commodity_code": "0201100000"}, {"commodity_code": "0804300000"}], {},
     [(1, "VET", ()), (2, "PH", ())]),
    ("medicines from India", "IM", [{"commodity_code": "3004900000", "origin_country": "IN"}],
     {}, [(1, "PHA", ())]),
    ("medicines from Germany: no agency", "IM",
     [{"commodity_code": "3004900000", "origin_country": "DE"}], {}, []),
    ("machines: no agency", "IM", [{"commodity_code": "8471300000"}], {}, []),
    ("reactor export with licence", "EX",
     [{"commodity_code": "8401100000", "documents": [{"code": "X002", "reference": "L-1"}]}],
     {}, [(1, "DUL", ("X002",))]),
    ("reactor import: the export rule does not apply", "IM",
     [{"commodity_code": "8401100000"}], {}, []),
    ("computers exported to RU", "EX", [{"commodity_code": "8471300000"}],
     {"destination_country": "RU"}, [(1, "DUL", ())]),
    ("computers exported to NO", "EX", [{"commodity_code": "8471300000"}],
     {"destination_country": "NO"}, []),
    ("toys for the end use asked", "IM", [{"commodity_code": "9503000000", "procedure": {
        "requested": "40", "previous": "00", "additional": ["C07"]}}], {}, [(1, "MS", ())]),
    ("toys without that end use", "IM", [{"commodity_code": "9503000000"}], {}, []),
]


@pytest.mark.parametrize(("name", "kind", "items", "header", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_goods_go_to_exactly_the_agencies_expected(
        name: str, kind: str, items: list[dict[str, Any]], header: dict[str, Any],
        expected: list[tuple[int, str, tuple[str, ...]]]) -> None:
    got = route(_doc(kind, items, **header), MATRIX, DAY)
    assert [(r.item, r.agency, r.documents) for r in got] == expected
    assert all(r.missing == (not r.documents) for r in got)


def test_an_expired_rule_routes_nothing_and_one_agency_is_routed_once() -> None:
    doc = _doc("EX", [{"commodity_code": "8401100000"}])
    assert [r.rule for r in route(doc, MATRIX, DAY)] == ["DUL-NUCLEAR"]
    assert [r.rule for r in route(doc, MATRIX, date(2025, 6, 1))] == ["DUL-NUCLEAR"]
    assert route(doc, MATRIX[:4], DAY) == []


def _scanned(doc: Declaration, rules: list[MatrixRule], day: date) -> list[tuple[int, str, str]]:
    """The routing as a scan of every valid rule in (agency, id) order: what the index must
    give."""
    valid = sorted((r for r in rules if r.valid_on(day)), key=lambda r: (r.agency, r.id))
    out = []
    for item in doc.items:
        seen: set[str] = set()
        for rule in valid:
            if rule.agency not in seen and _applies(rule, doc, item):
                seen.add(rule.agency)
                out.append((item.sequence, rule.agency, rule.id))
    return out


_PREFIX = st.text("01", min_size=2, max_size=6)
_RULE = st.builds(lambda n, prefix, agency, kind, expired: MatrixRule(
    f"R{n}", prefix, agency, Formality.LICENCE, F({kind}),
    valid_to=date(2025, 12, 31) if expired else None),
    st.integers(0, 99), _PREFIX, st.sampled_from(["PH", "VET", "MS"]),
    st.sampled_from(["IM", "EX"]), st.booleans())


@settings(max_examples=150, deadline=None)
@given(st.lists(_RULE, max_size=12, unique_by=lambda r: r.id),
       st.lists(st.text("01", min_size=6, max_size=10), min_size=1, max_size=4))
def test_the_index_by_hs_prefix_routes_as_a_scan_of_every_rule(
        rules: list[MatrixRule], codes: list[str]) -> None:
    doc = _doc("IM", [{"commodity_code": c} for c in codes])
    version = Version(1, date(2000, 1, 1), tuple(rules))
    for day in (DAY, date(2025, 6, 1), DAY):   # the version's index kept per day
        expected = _scanned(doc, rules, day)
        assert [(r.item, r.agency, r.rule) for r in route(doc, rules, day)] == expected
        got = route_indexed(doc, version.index(day))
        assert [(r.item, r.agency, r.rule) for r in got] == expected
