"""The demo's packaged risk knowledge is valid, and the generated declarations meet it: brands
the IPR applications look for, exporters on the restricted-party list, prices in EUR terms,
and a hidden rule that makes some declarations riskier than others."""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from importlib.resources import files

import pytest

from clearway.demo.generator import NAMED_COMPANIES, DeclarationGenerator
from clearway.demo.goods import goods_table
from clearway.demo.knowledge import budgets, data_text, ipr_yaml
from clearway.demo.outcomes import RISKY_GOODS, RISKY_IMPORTERS, irregular_chance
from clearway.ipr.matcher import IprRegister
from clearway.ipr.service import parse_yaml
from clearway.profiles.yaml_io import load_profiles
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.decision import Channel
from clearway.risk.engine.frame import flatten
from clearway.screening.lists import parse_generic
from clearway.screening.matcher import Screener

REF = RefDataSnapshot.from_texts(read_directory(package_dir()))
DAY = date(2026, 11, 20)
TRADER = "RS100234567"
# The geometric middle of each heading's regular EUR per kg.
USUAL = {g.hs6: (g.kg_value[0] * g.kg_value[1]) ** 0.5 for g in goods_table().goods}


def generator(seed: int = 1) -> DeclarationGenerator:
    return DeclarationGenerator(REF, random.Random(seed), DAY)


def test_profiles_are_valid_with_instructions_and_qualifications() -> None:
    found = load_profiles(data_text("profiles.yaml"), default_owner="demo")
    assert len(found) >= 5 and len({p.code for p in found}) == len(found)
    hard = [p for p in found if p.min_channel not in (None, Channel.GREEN) and not p.agency]
    assert hard and all(p.instructions and p.qualification for p in hard)
    # The agencies' own profiles: for packaged agencies, each saying what its officer does
    ours = [p for p in found if p.agency]
    packaged = (files("clearway.agencies") / "data" / "agencies.csv").read_text()
    known = {line.split(",")[0] for line in packaged.splitlines()[1:]}
    assert ours and all(p.agency in known and p.instructions for p in ours)


def test_ipr_applications_cover_the_seeded_past_for_at_most_a_year() -> None:
    apps = parse_yaml(ipr_yaml(DAY))
    assert len(apps) >= 3
    assert all(a.valid_on(DAY) and a.valid_on(DAY - timedelta(days=60)) for a in apps)


@pytest.mark.parametrize(("hs6", "description", "reference"), [
    ("610910", "T-shirts of cotton, knitted, Velotrax print", "AFA-DEMO-0001"),
    ("640399", "Velotrax running shoes, leather uppers", "AFA-DEMO-0001"),
    ("420221", "Leather handbags, Lumenne monogram", "AFA-DEMO-0002"),
    ("851713", "Smartphones Zentrix Z9, 128 GB", "AFA-DEMO-0003"),
    ("300490", "Cardiovex 10 mg tablets, in blister packs", "AFA-DEMO-0004"),
    ("851713", "Smartphones", None),
    ("300490", "Velotrax running shoes", None),  # a brand under another code
])
def test_brands_of_the_generator_meet_the_applications(hs6: str, description: str,
                                                       reference: str | None) -> None:
    doc = generator().declaration("L1", declarant=TRADER, items=1)
    doc.items[0].commodity_code, doc.items[0].description = hs6, description
    hits = IprRegister(parse_yaml(ipr_yaml(DAY))).hits(flatten([doc], [DAY], REF))
    assert [h.ref for _, h in hits] == ([reference] if reference else [])


LISTED = {"Shenzhen Huaxin Precision Technology Co., Ltd.": "DEMO-3",
          "Anatolya Tekstil Dış Ticaret A.Ş.": "DEMO-4",  # noqa: RUF001
          "Severny Put Export LLC": "DEMO-1", "Gulf Star General Trading FZE": "DEMO-2"}


@pytest.mark.parametrize(("country", "name"),
                         [(c, n) for c, names in NAMED_COMPANIES.items() for n in names])
def test_some_named_exporters_are_on_the_restricted_party_list(country: str, name: str) -> None:
    entries = parse_generic(data_text("restricted_parties.csv").splitlines(), source="demo",
                            default_list_id="DEMO-NAT")
    hits = Screener(list(entries)).screen(name, country=country)
    assert [h.entry.entry_id for h in hits[:1]] == ([LISTED[name]] if name in LISTED else [])


def test_budgets_are_for_offices_of_the_register_and_controlling_channels() -> None:
    found = budgets()
    assert found and all(REF.office(office, DAY) is not None and channel != Channel.GREEN
                         and per_day > 0 for office, channel, per_day in found)


def test_generated_prices_are_usual_values_in_eur_whatever_the_currency() -> None:
    ratios: dict[str, list[float]] = defaultdict(list)
    gen = generator(7)
    for n in range(400):
        doc = gen.declaration(f"L{n}", declarant=TRADER)
        rate = REF.rate(doc.invoice_currency or "EUR", DAY) or Decimal(1)
        for item in doc.items:
            if item.commodity_code in USUAL and item.net_mass and item.item_price:
                eur = float(item.item_price * rate / item.net_mass)
                ratios[doc.invoice_currency or "EUR"].append(eur / USUAL[item.commodity_code])
    assert {"EUR", "USD", "CNY"} <= set(ratios)
    for currency, found in ratios.items():
        if len(found) >= 20:  # the rare currencies: too few items for a median
            assert 0.6 < statistics.median(found) < 1.6, currency


def test_the_generator_is_deterministic_for_its_random_generator() -> None:
    first, again = generator(3), generator(3)
    assert all(first.declaration(f"L{n}") == again.declaration(f"L{n}") for n in range(20))
    assert first.entry_summary("E1") == again.entry_summary("E1")


@pytest.mark.parametrize(("change", "riskier"), [
    ({}, False),
    ({"importer": next(iter(RISKY_IMPORTERS))}, True),
    ({"goods": next(iter(RISKY_GOODS))}, True),
    ({"price": Decimal("0.10")}, True),  # far below the usual value
])
def test_the_hidden_rule_makes_some_declarations_riskier(change: dict[str, object],
                                                         riskier: bool) -> None:
    doc = generator().declaration("L1", declarant=TRADER, items=1)
    item = doc.items[0]
    item.commodity_code, item.origin_country = "392690", "PL"  # plastics: no risk of its own
    item.item_price, item.item_price_currency = item.net_mass * Decimal(5), "EUR"
    doc.importer = doc.declarant
    base = irregular_chance(doc, REF)
    if "importer" in change:
        doc.importer.id = doc.declarant.id = str(change["importer"])
    if "goods" in change:
        item.commodity_code, item.origin_country = change["goods"]
        item.item_price = item.net_mass * Decimal(str(USUAL[item.commodity_code]))
    if "price" in change:
        item.item_price = item.net_mass * Decimal(str(change["price"]))
    assert (irregular_chance(doc, REF) > base) is riskier

