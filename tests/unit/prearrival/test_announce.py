"""The anticipated arrival built from a released export (prearrival.announce): each field's
source, companies by EORI, natural persons only as keyed pseudonyms (never by name), and no
person at all without a key."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from clearway.declarations.model import Declaration
from clearway.prearrival.announce import anticipated_arrival, party_ref
from clearway.prearrival.payload import AnticipatedArrival
from clearway.privacy import pseudonyms

AGREEMENT = "RS-MK-2026"
EXIT_AT = datetime(2026, 12, 6, 10, 30, tzinfo=UTC)
RING = pseudonyms.parse([{"agreement": AGREEMENT, "id": "k2026",
                          "secret": base64.b64encode(b"s" * 32).decode(),
                          "valid_from": date(2026, 1, 1)}])
OTHER_RING = pseudonyms.parse([{"agreement": "OTHER", "id": "k1",
                                "secret": base64.b64encode(b"t" * 32).decode(),
                                "valid_from": date(2026, 1, 1)}])
PERSON = {"name": "Dragana Petrović-Novak", "address": {"country": "RS", "city": "Niš"}}
COMPANY = {"id": "RS123456789", "name": "Izvoz d.o.o.", "address": {"country": "RS"}}


def export(**changes: Any) -> Declaration:
    doc: dict[str, Any] = {
        "declaration_type": "EX", "lrn": "LRN-1", "declarant": {"id": "RS123456789"},
        "exporter": COMPANY, "consignee": {"id": "MK4030000000001", "address": {"country": "MK"}},
        "offices": {"exit": "RS004002"}, "invoice_currency": "EUR",
        "transport": {"mode_at_border": "3", "border_nationality": "RS",
                      "border_identity": "BG123AB", "departure_identity": "NS456CD",
                      "container_ids": ["MSCU1234566", "TGHU7654321"],
                      "seals": ["S-1", "S-2", "S-1"]},
        "items": [
            {"sequence": 1, "commodity_code": "8471300000", "description": "Laptops",
             "gross_mass": "120.5", "customs_value": "9000", "item_price": "8000",
             "packages": [{"kind": "CT", "count": 10}, {"kind": "PX", "count": 2}],
             "container_ids": ["TGHU7654321", "CAIU2345678"]},
            {"sequence": 2, "commodity_code": "0806.10", "description": "Grapes",
             "gross_mass": "500", "statistical_value": "700", "item_price_currency": "EUR",
             "packages": [{"kind": "CT", "count": 50}]},
        ]}
    doc.update(changes)
    return Declaration.model_validate(doc)


def announce(doc: Declaration, ring: pseudonyms.Keyring = RING) -> AnticipatedArrival:
    return anticipated_arrival(doc, mrn="26RS0000000000001", exit_at=EXIT_AT,
                               office_of_entry="MK002001", ring=ring, agreement_id=AGREEMENT)


def test_the_announcement_carries_each_field_from_its_source() -> None:
    found = announce(export())
    assert (found.mrn, found.declaration_type, found.exit_at) == (
        "26RS0000000000001", "EX", EXIT_AT)
    assert (found.office_of_exit, found.office_of_entry) == ("RS004002", "MK002001")
    assert found.transport is not None
    assert (found.transport.vehicle, found.transport.nationality, found.transport.mode) == (
        "BG123AB", "RS", "3")
    assert found.transport.containers == ("MSCU1234566", "TGHU7654321", "CAIU2345678")
    assert found.transport.seals == ("S-1", "S-2")
    assert found.exporter is not None and found.exporter.eori == "RS123456789"
    assert found.consignee is not None and found.consignee.country == "MK"
    assert found.goods_items is not None
    first, second = found.goods_items
    assert (first.hs6, first.packages, first.gross_mass, first.value, first.currency) == (
        "847130", 12, Decimal("120.5"), Decimal("9000"), "EUR")
    assert (second.hs6, second.packages, second.value) == ("080610", 50, Decimal("700"))
    assert found.totals is not None
    assert (found.totals.packages, found.totals.gross_mass, found.totals.value,
            found.totals.currency) == (62, Decimal("620.5"), Decimal("9700"), "EUR")


@pytest.mark.parametrize(("transport", "vehicle"), [
    ({"border_identity": "BG123AB", "departure_identity": "NS456CD"}, "BG123AB"),
    ({"departure_identity": "NS456CD"}, "NS456CD"),
    ({}, None),
])
def test_the_vehicle_is_the_identity_at_the_border_else_on_departure(
        transport: dict[str, str], vehicle: str | None) -> None:
    found = announce(export(transport=transport))
    assert found.transport is not None and found.transport.vehicle == vehicle


@pytest.mark.parametrize(("item", "value", "currency"), [
    ({"customs_value": "5", "statistical_value": "6", "item_price": "7"}, "5", "EUR"),
    ({"statistical_value": "6", "item_price": "7"}, "6", "EUR"),
    ({"item_price": "7", "item_price_currency": "USD"}, "7", "USD"),
    ({}, None, "EUR"),
])
def test_the_value_is_customs_value_else_statistical_else_price(
        item: dict[str, str], value: str | None, currency: str) -> None:
    doc = export(items=[{"sequence": 1, "commodity_code": "847130", "description": "x",
                         **item}])
    found = announce(doc)
    assert found.goods_items is not None
    (announced,) = found.goods_items
    assert announced.value == (Decimal(value) if value else None)
    assert announced.currency == currency


@pytest.mark.parametrize(("code", "hs6"), [
    ("847130", "847130"), ("8471 30 00", "847130"), ("8471300000", "847130"), ("8471", None),
])
def test_hs6_is_the_first_six_digits_and_a_heading_alone_is_left_out(
        code: str, hs6: str | None) -> None:
    found = announce(export(items=[{"sequence": 1, "commodity_code": code,
                                    "description": "x", "gross_mass": "3"}]))
    assert found.goods_items is not None
    assert [i.hs6 for i in found.goods_items] == ([hs6] if hs6 else [])
    assert found.totals is not None and found.totals.gross_mass == Decimal("3")


@pytest.mark.parametrize(("party", "ring", "expected"), [
    (COMPANY, RING, {"eori": "RS123456789", "country": "RS"}),
    ({"id": "RS1", "name": "Dragana Petrović"}, RING, {"eori": "RS1"}),
    (PERSON, RING, {"pseudonym": pseudonyms.pseudonymise(
        RING, AGREEMENT, pseudonyms.normalised(PERSON["name"], "RS"), EXIT_AT.date()),
        "country": "RS"}),
    (PERSON, OTHER_RING, None),           # no key under this agreement: no party at all
    (PERSON, pseudonyms.EMPTY, None),
    ({"address": {"country": "RS"}}, RING, None),
    (None, RING, None),
])
def test_parties_travel_by_eori_or_keyed_pseudonym(
        party: dict[str, Any] | None, ring: pseudonyms.Keyring,
        expected: dict[str, str] | None) -> None:
    doc = export(consignee=party)
    ref = party_ref(doc.consignee, ring, AGREEMENT, EXIT_AT)
    assert (None if ref is None else ref.model_dump(exclude_none=True)) == expected
    payload = announce(doc, ring).as_payload()
    assert payload.get("consignee") == expected


@pytest.mark.parametrize("ring", [RING, OTHER_RING, pseudonyms.EMPTY])
@pytest.mark.parametrize("role", ["exporter", "consignee"])
def test_a_natural_person_never_appears_by_name(ring: pseudonyms.Keyring, role: str) -> None:
    items = [{"sequence": 1, "commodity_code": "847130", "description": "Laptops",
              role: PERSON}]
    text = json.dumps(announce(export(**{role: PERSON, "items": items}), ring).as_payload())
    for word in ("Dragana", "Petrovi", "Novak", "dragana", "petrovic", "novak", "Niš"):
        assert word not in text
    assert AnticipatedArrival.from_payload(json.loads(text)).mrn == "26RS0000000000001"


@pytest.mark.parametrize("changes", [
    {"declaration_type": "IM"},
    {"offices": {"lodgement": "RS004002"}},
])
def test_only_an_export_or_transit_leaving_through_an_office_of_exit_is_announced(
        changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        announce(export(**changes))


def test_figures_too_large_for_the_payload_travel_as_absent() -> None:
    huge = "999999999999999"
    found = announce(export(items=[{"sequence": 1, "commodity_code": "847130",
                                    "description": "x", "gross_mass": huge,
                                    "customs_value": "10"}]))
    assert found.goods_items is not None and found.goods_items[0].gross_mass is None
    assert found.totals is not None and found.totals.gross_mass is None
    assert found.totals.value == Decimal("10")
