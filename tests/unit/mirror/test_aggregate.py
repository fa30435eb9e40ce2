"""One month's trade by HS6 from canonical declarations: values in EUR exactly as the item
frame computes them (statistical value, customs value, else price at the day's rate), net
and gross mass summed, items and declarations counted; the payload carries nothing else."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from clearway.declarations.model import Declaration
from clearway.mirror.aggregate import aggregate, combine, items, payload_rows
from clearway.refdata.model import RefDataSnapshot
from helpers import TRADER, import_doc

REF = RefDataSnapshot.from_texts({
    "exchange_rates": "currency,rate_to_eur,valid_from,valid_to\n"
                      "USD,0.5,2026-11-01,2026-11-15\nUSD,0.8,2026-11-16,2026-11-30\n"})
DAY, LATER = date(2026, 11, 10), date(2026, 11, 20)


def item(seq: int, code: str, net: str | None, gross: str | None, **value: str) -> dict[str, Any]:
    return {"sequence": seq, "commodity_code": code, "description": "goods",
            "origin_country": "RS", "procedure": {"requested": "10", "previous": "00"},
            "net_mass": net, "gross_mass": gross, **value}


def export(*goods: dict[str, Any], currency: str = "USD") -> Declaration:
    doc = import_doc(declaration_type="EX", exporter={"id": TRADER}, importer=None,
                     destination_country="MK", invoice_currency=currency,
                     item_count=len(goods), items=list(goods))
    return Declaration.model_validate(doc)


# (declarations with their release days, expected rows: hs6 -> (value, net, gross, items,
# declarations))
CASES: list[tuple[str, list[tuple[Declaration, date]], dict[str, tuple[Any, ...]]]] = [
    ("the statistical value wins over the price", [
        (export(item(1, "85101000", "10", "12", statistical_value="300",
                     item_price="1000")), DAY)],
     {"851010": (300.0, 10.0, 12.0, 1, 1)}),
    ("then the customs value", [
        (export(item(1, "851010", "10", "12", customs_value="250", item_price="1000")), DAY)],
     {"851010": (250.0, 10.0, 12.0, 1, 1)}),
    ("a price at the rate of the release day", [
        (export(item(1, "851010", "10", "12", item_price="1000")), DAY),
        (export(item(1, "851010", "30", "33", item_price="1000")), LATER)],
     {"851010": (500.0 + 800.0, 40.0, 45.0, 2, 2)}),
    ("items of one declaration sum, declarations count once", [
        (export(item(1, "610910", "5", "6", statistical_value="100"),
                item(2, "610910", "7", "8", statistical_value="50"),
                item(3, "940360", "100", "120", statistical_value="900")), DAY)],
     {"610910": (150.0, 12.0, 14.0, 2, 1), "940360": (900.0, 100.0, 120.0, 1, 1)}),
    ("a price in a currency without a rate adds no value, the item still counts", [
        (export(item(1, "851010", "10", "12", item_price="70"), currency="JPY"), DAY),
        (export(item(1, "851010", None, None, statistical_value="40")), DAY)],
     {"851010": (40.0, 10.0, 12.0, 2, 2)}),
]


@pytest.mark.parametrize(("name", "filings", "expected"), CASES, ids=[c[0] for c in CASES])
def test_aggregates_by_hs6(name: str, filings: list[tuple[Declaration, date]],
                           expected: dict[str, tuple[Any, ...]]) -> None:
    rows = items([d for d, _ in filings], [on for _, on in filings],
                 [str(n) for n in range(len(filings))], REF)
    found = aggregate(rows)
    got = {r["hs6"]: (r["value_eur"], r["mass_kg"], r["gross_mass_kg"], r["count"],
                      r["declarations"]) for r in found.iter_rows(named=True)}
    assert got.keys() == expected.keys()
    for hs6, figures in expected.items():
        assert got[hs6] == pytest.approx(figures), hs6


def test_batches_combine_to_the_same_aggregates_as_one_read() -> None:
    filings = [(c[1][0][0], c[1][0][1]) for c in CASES]
    whole = aggregate(items([d for d, _ in filings], [o for _, o in filings],
                            [str(n) for n in range(len(filings))], REF))
    parts = [items([d], [o], [str(n)], REF) for n, (d, o) in enumerate(filings)]
    assert aggregate(combine(parts)).equals(whole)
    assert aggregate(combine([])).height == 0


def test_the_payload_holds_only_hs6_value_mass_and_count() -> None:
    doc = export(item(1, "851010", "10.0004", "12", statistical_value="300.456"))
    assert doc.exporter is not None and doc.exporter.id == TRADER
    rows = payload_rows(aggregate(items([doc], [DAY], ["1"], REF)))
    assert rows == [{"hs6": "851010", "value_eur": 300.46, "mass_kg": 10.0, "count": 1}]
    text = repr(rows)
    assert TRADER not in text and "goods" not in text


def test_no_declarations_no_rows() -> None:
    assert aggregate(items([], [], [], REF)).equals(pl.DataFrame(schema=aggregate(
        items([], [], [], REF)).schema))
    assert payload_rows(aggregate(items([], [], [], REF))) == []
