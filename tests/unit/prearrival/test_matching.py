"""Matching as data: an announcement and what arrived, and the alarm kinds they raise (with
both sides' figures), clean pairs raising none, and the edges exactly at the tolerance."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from clearway.exchange.model import Crossing
from clearway.prearrival.matching import (
    Arrived,
    ArrivedItem,
    Comparison,
    Tolerance,
    Tolerances,
    match,
    normalised_vehicle,
)
from clearway.prearrival.model import AlarmKind as K
from clearway.prearrival.payload import AnticipatedArrival
from clearway.privacy.pseudonyms import Keyring, PseudonymKey, normalised, pseudonymise

EXIT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ON_TIME = EXIT + timedelta(minutes=60)
CROSSING = Crossing("Presevo - Tabanovce", {"RS": "RS004002", "MK": "MK002001"}, 5, 240, 24)
KEY = PseudonymKey("RS-MK-2026", "k1", base64.b64decode(base64.b64encode(b"k" * 32)),
                   date(2026, 1, 1), None)
RING = Keyring({"RS-MK-2026": (KEY,)})
PERSON = pseudonymise(RING, "RS-MK-2026", normalised("Ana Petrović", "RS"), EXIT.date())
RATES = {"EUR": Decimal(1), "MKD": Decimal("0.0162")}


def rate(currency: str, on: date) -> Decimal | None:
    return RATES.get(currency)


def announced(**changes: Any) -> AnticipatedArrival:
    base: dict[str, Any] = {
        "mrn": "26RS0000000000012A4", "exit_at": EXIT.isoformat(),
        "office_of_exit": "RS004002", "office_of_entry": "MK002001",
        "transport": {"vehicle": "BG-123-AB", "containers": ["MSCU1234566"],
                      "seals": ["S1", "S2"]},
        "consignee": {"eori": "MK4030990123456", "country": "MK"},
        "goods_items": [
            {"sequence": 1, "hs6": "610910", "description": "T-shirts", "packages": 10,
             "gross_mass": "1200", "value": "10000", "currency": "EUR"},
            {"sequence": 2, "hs6": "851010", "description": "Shavers", "packages": 20,
             "gross_mass": "300", "value": "5000", "currency": "EUR"}],
    }
    base.update(changes)
    return AnticipatedArrival.from_payload(base)


ITEMS = (ArrivedItem("610910", 10, Decimal(1200), Decimal(10000)),
         ArrivedItem("851010", 20, Decimal(300), Decimal(5000)))


def arrived(**changes: Any) -> Arrived:
    base: dict[str, Any] = dict(kind="declaration", ref="26MK00000000000R1", at=ON_TIME,
                                office="MK002001", items=ITEMS,
                                consignee_id="MK4030990123456",
                                containers=("MSCU1234566",), seals=())
    base.update(changes)
    return Arrived(**base)


def item(n: int, **changes: Any) -> tuple[ArrivedItem, ...]:
    """ITEMS with item `n` changed."""
    return tuple(ArrivedItem(**{**i.__dict__, **changes}) if k == n else i
                 for k, i in enumerate(ITEMS))


HOW = Comparison(partner="RS", agreement_id="RS-MK-2026", tolerances=Tolerances(),
                 crossing=CROSSING, rate=rate, ring=RING)

# (case, announcement, arrival, alarm kinds, evidence expected in the first alarm)
CASES: list[tuple[str, AnticipatedArrival, Arrived, list[K], dict[str, Any]]] = [
    ("clean pair", announced(), arrived(), [], {}),
    ("clean booth record", announced(), arrived(kind="crossing", items=(), seals=("S2", "S1"),
                                                consignee_id=None), [], {}),
    ("mass beyond 5 %", announced(), arrived(items=item(0, gross_mass=Decimal(1500))),
     [K.GROSS_MASS], {"announced": 1200, "arrived": 1500, "tolerance_pct": 5,
                      "hs_chapter": "61", "hs6": "610910"}),
    ("mass exactly 5 % more", announced(), arrived(items=item(0, gross_mass=Decimal(1260))),
     [], {}),
    ("mass just past 5 %", announced(), arrived(items=item(0, gross_mass=Decimal("1260.01"))),
     [K.GROSS_MASS], {"announced": 1200, "arrived": 1260.01}),
    ("one package more", announced(), arrived(items=item(1, packages=21)),
     [K.PACKAGES], {"announced": 20, "arrived": 21, "tolerance": 0, "hs6": "851010"}),
    ("value beyond 10 %", announced(), arrived(items=item(1, value_eur=Decimal(5600))),
     [K.VALUE], {"announced": 5000, "arrived": 5600, "tolerance_pct": 10,
                 "currency": "EUR"}),
    ("value exactly 10 % less", announced(), arrived(items=item(1, value_eur=Decimal(4500))),
     [], {}),
    ("value in MKD at this side's rate", announced(goods_items=[
        {"sequence": 1, "hs6": "610910", "description": "T", "packages": 10,
         "gross_mass": "1200", "value": "1000000", "currency": "MKD"}]),
     arrived(items=(ArrivedItem("610910", 10, Decimal(1200), Decimal(20000)),)),
     [K.VALUE], {"announced": 16200, "arrived": 20000}),
    ("value without a rate: not compared", announced(goods_items=[
        {"sequence": 1, "hs6": "610910", "description": "T", "packages": 10,
         "gross_mass": "1200", "value": "1", "currency": "XAF"}]),
     arrived(items=(ArrivedItem("610910", 10, Decimal(1200), Decimal(20000)),)), [], {}),
    ("HS6 not announced", announced(), arrived(items=item(1, hs6="851020")),
     [K.HS6], {"not_arrived": ["851010"], "not_announced": ["851020"]}),
    ("HS6 differ and the totals too", announced(),
     arrived(items=item(1, hs6="851020", gross_mass=Decimal(900))),
     [K.HS6, K.GROSS_MASS], {"announced": ["610910", "851010"]}),
    ("totals only on arrival", announced(),
     arrived(items=(), packages=30, gross_mass=Decimal(1500), value_eur=Decimal(15000)),
     [], {}),
    ("totals only on arrival, mass beyond", announced(),
     arrived(items=(), packages=30, gross_mass=Decimal(1700)),
     [K.GROSS_MASS], {"announced": 1500, "arrived": 1700, "hs_chapter": "*"}),
    ("another consignee", announced(), arrived(consignee_id="MK4030990999999"),
     [K.CONSIGNEE], {"announced": {"eori": "MK4030990123456"},
                     "arrived": {"eori": "MK4030990999999"}}),
    ("same person by pseudonym", announced(consignee={"pseudonym": PERSON}),
     arrived(consignee_id=None, consignee_name="ANA PETROVIC", consignee_country="RS"),
     [], {}),
    ("another person by pseudonym", announced(consignee={"pseudonym": PERSON}),
     arrived(consignee_id=None, consignee_name="Ana Petrovska", consignee_country="RS"),
     [K.CONSIGNEE], {"announced": {"pseudonym": PERSON}, "arrived": {"natural_person": True}}),
    ("a company where a person was announced", announced(consignee={"pseudonym": PERSON}),
     arrived(), [K.CONSIGNEE], {"arrived": {"eori": "MK4030990123456"}}),
    ("transit too short", announced(), arrived(at=EXIT + timedelta(minutes=4)),
     [K.TRANSIT_TOO_SHORT], {"minutes": 4.0, "min_minutes": 5}),
    ("transit exactly the shortest", announced(), arrived(at=EXIT + timedelta(minutes=5)),
     [], {}),
    ("transit exactly the longest", announced(), arrived(at=EXIT + timedelta(minutes=240)),
     [], {}),
    ("transit too long", announced(), arrived(at=EXIT + timedelta(minutes=241)),
     [K.TRANSIT_TOO_LONG], {"minutes": 241.0, "max_minutes": 240}),
    ("a seal replaced at the booth", announced(),
     arrived(kind="crossing", items=(), consignee_id=None, seals=("S1", "S9")),
     [K.SEALS], {"seals": {"announced": ["S1", "S2"], "arrived": ["S1", "S9"]}}),
    ("another container", announced(), arrived(containers=("TGHU7654321",)),
     [K.SEALS], {"containers": {"announced": ["MSCU1234566"], "arrived": ["TGHU7654321"]}}),
    ("fields the agreement stripped raise nothing",
     announced(goods_items=None, consignee=None, transport=None), arrived(), [], {}),
]


@pytest.mark.parametrize(("case", "said", "seen", "kinds", "evidence"), CASES,
                         ids=[c[0] for c in CASES])
def test_matching(case: str, said: AnticipatedArrival, seen: Arrived, kinds: list[K],
                  evidence: dict[str, Any]) -> None:
    found = match(said, seen, HOW)

    assert [a.kind for a in found] == kinds
    for alarm in found:
        assert alarm.partner == "RS" and alarm.mrn == said.mrn and alarm.reason
        assert alarm.evidence["arrived_ref"] == seen.ref
    if evidence:
        assert evidence.items() <= found[0].evidence.items()


def test_a_missing_rate_is_noted_in_the_evidence() -> None:
    said = announced(goods_items=[
        {"sequence": 1, "hs6": "610910", "description": "T", "packages": 10,
         "gross_mass": "1200", "value": "1", "currency": "XAF"}])
    found = match(said, arrived(items=(ArrivedItem("610910", 99, None, Decimal(5)),)), HOW)

    assert [a.kind for a in found] == [K.PACKAGES]
    assert found[0].evidence["notes"] == ["value not compared: no EUR rate for XAF on "
                                          "2026-11-20"]


@pytest.mark.parametrize(("tolerances", "mass", "kinds"), [
    (Tolerances({"61": Tolerance("61", Decimal(30))}), 1500, []),
    (Tolerances({"*": Tolerance("*", Decimal(30))}), 1500, []),
    (Tolerances({"85": Tolerance("85", Decimal(30))}), 1500, [K.GROSS_MASS]),
    (Tolerances({"61": Tolerance("61", Decimal(0))}), 1201, [K.GROSS_MASS]),
])
def test_the_tolerance_is_the_hs_chapters_own(tolerances: Tolerances, mass: int,
                                              kinds: list[K]) -> None:
    how = Comparison(partner="RS", agreement_id="RS-MK-2026", tolerances=tolerances,
                     crossing=CROSSING, rate=rate, ring=RING)
    found = match(announced(), arrived(items=item(0, gross_mass=Decimal(mass))), how)
    assert [a.kind for a in found] == kinds


def test_transit_is_judged_only_at_the_first_arrival() -> None:
    late = arrived(at=EXIT + timedelta(days=3))
    how = Comparison(partner="RS", agreement_id="RS-MK-2026", tolerances=Tolerances(),
                     crossing=CROSSING, rate=rate, ring=RING, first_arrival=False)
    assert match(announced(), late, how) == []
    assert [a.kind for a in match(announced(), late, HOW)] == [K.TRANSIT_TOO_LONG]


def test_without_a_key_a_pseudonym_is_not_compared_and_says_so() -> None:
    how = Comparison(partner="RS", agreement_id="RS-MK-2026", tolerances=Tolerances(),
                     crossing=CROSSING, rate=rate, ring=Keyring({}))
    found = match(announced(consignee={"pseudonym": PERSON}),
                  arrived(consignee_id=None, consignee_name="X", items=item(1, packages=99)),
                  how)
    assert [a.kind for a in found] == [K.PACKAGES]
    assert found[0].evidence["notes"] == ["consignee not compared: no pseudonym key valid "
                                          "on the day"]


@pytest.mark.parametrize(("plate", "expected"), [
    ("bg-123-ab", "BG123AB"), (" BG 123 AB ", "BG123AB"), ("", None), (" - ", None),
    (None, None)])
def test_vehicles_are_compared_normalised(plate: str | None, expected: str | None) -> None:
    assert normalised_vehicle(plate) == expected
