"""The demo's reference table of goods is sane, and the generator keeps to it: masses,
quantities and values within each heading's ranges, invoices in currencies usual for the
goods' origin, undervaluation only far below the heading's range."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from clearway.declarations.model import Declaration
from clearway.demo.generator import UNDERVALUED_AT, DeclarationGenerator
from clearway.demo.goods import UNITS, Goods, goods_table
from clearway.demo.outcomes import UNDERVALUED_BELOW
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot

REF = RefDataSnapshot.from_texts(read_directory(package_dir()))
DAY = date(2026, 11, 20)
TABLE = goods_table()
GOODS = TABLE.by_hs6()
# What the demo's risk profiles (data/profiles.yaml) look for must keep coming.
PROFILED = ("610910", "401110", "841370", "300490", "240220", "851713")


@pytest.mark.parametrize("goods", TABLE.goods, ids=lambda g: g.hs6)
def test_every_heading_is_sane(goods: Goods) -> None:
    assert REF.commodity_valid(goods.hs6, DAY)
    assert goods.unit in UNITS and goods.description
    for low, high in (goods.unit_mass, goods.unit_value, goods.quantity):
        assert 0 < low <= high
    if goods.unit == "kg":
        assert goods.unit_mass == (1.0, 1.0)
    assert goods.unit_value[1] / goods.unit_value[0] < 50  # a range, not a guess
    assert goods.per_package >= 0 and goods.origins
    assert all(isinstance(c, str) and REF.country_valid(c, DAY) for c in goods.origins)
    assert REF.package_kind_valid(goods.package, DAY)


def test_the_headings_are_known_and_the_profiled_goods_are_there() -> None:
    codes = {r["code"] for r in REF.rows("hs_codes")}
    assert set(GOODS) <= codes and len(GOODS) == len(TABLE.goods)
    assert set(PROFILED) <= set(GOODS)
    assert "AE" in GOODS["240220"].origins and "CN" in GOODS["610910"].origins


def test_every_currency_has_a_rate_and_every_origin_a_rule() -> None:
    for origin, weights in TABLE.currencies.items():
        assert weights and all(w > 0 for w in weights.values()), origin
        assert all(REF.rate(c, DAY) is not None for c in weights), origin
    origins = {c for g in TABLE.goods for c in g.origins}
    assert origins <= set(TABLE.currencies)
    # Ukrainian wheat is not invoiced in Swiss francs, Chinese goods not in Turkish lira.
    assert "CHF" not in TABLE.currencies_of("UA") and "TRY" not in TABLE.currencies_of("CN")


def _declarations(n: int, seed: int = 5) -> list[Declaration]:
    gen = DeclarationGenerator(REF, random.Random(seed), DAY)
    return [gen.declaration(f"L{i}", declarant="RS100234567") for i in range(n)]


def test_generated_items_lie_within_their_headings_ranges() -> None:
    under, regular = 0, 0
    for doc in _declarations(400):
        rate = REF.rate(doc.invoice_currency or "EUR", DAY) or Decimal(1)
        for item in doc.items:
            goods = GOODS[item.commodity_code or ""]
            assert item.origin_country in goods.origins
            units = float(item.supplementary_units or item.net_mass or 0)
            low, high = goods.quantity
            assert low * goods.unit_mass[0] * 0.9 <= float(item.net_mass or 0) \
                <= high * goods.unit_mass[1] * 1.1 + 0.1
            if goods.unit != "kg":
                assert low <= units <= high
            assert item.gross_mass is not None and item.gross_mass >= item.net_mass
            per_kg = float(item.item_price or 0) * float(rate) / float(item.net_mass or 1)
            kg_low, kg_high = goods.kg_value
            if per_kg < kg_low * UNDERVALUED_BELOW:
                under += 1  # declared far below the heading's range, on purpose
                assert per_kg >= kg_low * UNDERVALUED_AT[0] * 0.9
            else:
                regular += 1
                assert kg_low * 0.95 <= per_kg <= kg_high * 1.05, (item.commodity_code, per_kg)
    assert 0.02 < under / (under + regular) < 0.12


def test_invoices_are_in_currencies_usual_for_the_origin() -> None:
    seen: Counter[str] = Counter()
    for doc in _declarations(300, seed=9):
        origin = doc.items[0].origin_country
        assert doc.invoice_currency in TABLE.currencies_of(origin), (origin, doc.invoice_currency)
        assert {i.item_price_currency for i in doc.items} == {doc.invoice_currency}
        seen[doc.invoice_currency or ""] += 1
    assert seen["EUR"] and seen["USD"] and len(seen) >= 4
    assert seen["USD"] + seen["EUR"] > 0.75 * sum(seen.values())
