"""The matrix file: every problem coded with its line; the packaged matrix routes common goods
to exactly the agencies expected; the version valid on a day; an agency's own selection."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from clearway.agencies.matrix import COLUMNS, Matrix, Version, read_matrix
from clearway.agencies.model import Agency, AgencyKind, Formality, Routed
from clearway.agencies.routing import route
from clearway.agencies.selection import select_task
from clearway.agencies.service import packaged, read_agencies_csv
from clearway.declarations.model import Declaration
from clearway.errors import DocumentInvalid
from helpers import import_doc

HEADER = ",".join(COLUMNS) + "\n"
GOOD = "PH-FRUIT,08,PH,certificate,IM,,,,,N851,no,2026-01-01,\n"
DAY = date(2026, 11, 20)

BAD = [
    ("no rules", HEADER, "line 1"),
    ("a missing column", HEADER.replace(",valid_to", "") + GOOD, "line 1"),
    ("an HS prefix of one digit", HEADER + GOOD.replace(",08,", ",8,"), "line 2"),
    ("an unknown formality", HEADER + GOOD.replace("certificate", "stamp"), "line 2"),
    ("a lowercase agency", HEADER + GOOD.replace(",PH,", ",ph,"), "line 2"),
    ("an unknown declaration type", HEADER + GOOD.replace(",IM,", ",XX,"), "line 2"),
    ("a document code of 3 characters", HEADER + GOOD.replace("N851", "N85"), "line 2"),
    ("moves first: maybe", HEADER + GOOD.replace(",no,", ",maybe,"), "line 2"),
    ("a date that is no date", HEADER + GOOD.replace("2026-01-01", "2026-13-01"), "line 2"),
    ("validity reversed", HEADER + GOOD.replace("2026-01-01,", "2026-01-01,2025-01-01"),
     "line 2"),
    ("a rule id twice", HEADER + GOOD + GOOD, "line 3"),
    ("a short row", HEADER + "PH-X,08,PH\n", "line 2"),
]


@pytest.mark.parametrize(("name", "text", "where"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_matrix_file_is_refused_with_the_line(name: str, text: str, where: str) -> None:
    with pytest.raises(DocumentInvalid) as refused:
        read_matrix(text)
    assert [(i.code, i.pointer) for i in refused.value.errors][:1] == [("CW-MATRIX-FILE", where)]


def test_a_good_rule_reads_back_whole() -> None:
    (rule,) = read_matrix(HEADER + GOOD)
    assert (rule.id, rule.hs_prefix, rule.formality, rule.documents, rule.valid_from) == (
        "PH-FRUIT", "08", Formality.CERTIFICATE, frozenset({"N851"}), date(2026, 1, 1))


def _doc(kind: str, goods: list[dict[str, Any]], **header: Any) -> Declaration:
    base = import_doc(declaration_type=kind, **header)
    item = base["items"][0]
    base["items"] = [{**item, "sequence": i + 1, **g} for i, g in enumerate(goods)]
    return Declaration.model_validate(base)


EX = {"procedure": {"requested": "10", "previous": "00"}}
PACKAGED = [
    ("shavers and T-shirts (the tests' usual import): no agency", "IM",
     [{"commodity_code": "851010"}, {"commodity_code": "610910"}], []),
    ("bananas", "IM", [{"commodity_code": "080390"}], ["PH"]),
    ("wheat", "IM", [{"commodity_code": "100199"}], ["PH"]),
    ("frozen fish and cheese", "IM", [{"commodity_code": "030389"},
                                      {"commodity_code": "040690"}], ["VET", "VET"]),
    ("canned tuna: not a meat preparation", "IM", [{"commodity_code": "160414"}], []),
    ("medicines", "IM", [{"commodity_code": "300490"}], ["PHA"]),
    ("toys", "IM", [{"commodity_code": "950300"}], ["MS"]),
    ("computers imported: no licence needed", "IM", [{"commodity_code": "847130"}], []),
    ("computers exported", "EX", [{"commodity_code": "847130", **EX}], ["DUL"]),
    ("a reactor exported", "EX", [{"commodity_code": "840110", **EX}], ["DUL"]),
    ("fruit exported: no agency", "EX", [{"commodity_code": "080510", **EX}], []),
    ("coffee, wine, cars: no agency", "IM", [{"commodity_code": "090111"},
                                            {"commodity_code": "220421"},
                                            {"commodity_code": "870323"}], []),
]


@pytest.mark.parametrize(("name", "kind", "goods", "agencies"), PACKAGED,
                         ids=[c[0] for c in PACKAGED])
def test_the_packaged_matrix_routes_common_goods_to_exactly_their_agencies(
        name: str, kind: str, goods: list[dict[str, Any]], agencies: list[str]) -> None:
    rules = read_matrix(packaged("matrix.csv"))
    assert [r.agency for r in route(_doc(kind, goods), rules, DAY)] == agencies
    known = {a.code for a in read_agencies_csv(packaged("agencies.csv"))}
    assert {r.agency for r in rules} <= known


def test_the_version_valid_on_a_day_is_the_latest_that_has_started() -> None:
    first, second = Version(1, date(2000, 1, 1), ()), Version(2, date(2026, 12, 1), ())
    matrix = Matrix((second, first))
    assert [matrix.on(d) for d in (date(1999, 1, 1), DAY, date(2026, 12, 1))] == [
        None, first, second]


PH = Agency("PH", "Plant health", AgencyKind.PLANT_HEALTH, inspection_rate=0.1)
WITH = Routed(1, "PH", "PH-FRUIT", Formality.CERTIFICATE, ("N851",), False)
WITHOUT = Routed(2, "PH", "PH-FRUIT", Formality.CERTIFICATE, (), False)
SELECTION = [
    ("every document declared, draw above the rate", [WITH], 0.5, False),
    ("every document declared, draw below the rate", [WITH], 0.05, True),
    ("one item without its document", [WITH, WITHOUT], 0.99, True),
]


@pytest.mark.parametrize(("name", "routed", "draw", "selected"), SELECTION,
                         ids=[c[0] for c in SELECTION])
def test_an_agency_selects_by_missing_documents_and_its_random_share(
        name: str, routed: list[Routed], draw: float, selected: bool) -> None:
    got, why = select_task(routed, PH, draw)
    assert got is selected and why
