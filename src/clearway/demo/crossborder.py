"""Declarations that cross the border between the demo's two administrations: an export
leaving through the office of exit at a crossing covered by their agreement, and the import
the neighbour's trader lodges when the goods arrive, naming the export's MRN as previous
document. `planted` is what the entry side's matching must find: mass, packages or value
changed on every item (so no tolerance can hide it), the first item's HS6, or the consignee;
"none" is a clean pair that must raise nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clearway.declarations.codelists import container_check_digit
from clearway.declarations.model import (
    Address,
    Declaration,
    GoodsItem,
    Offices,
    Party,
    PreviousDocument,
    Procedure,
    Transport,
)
from clearway.demo.generator import DeclarationGenerator

DISCREPANCIES = ("none", "gross-mass", "packages", "value", "hs6", "consignee")
# A private person receiving goods: sent across the border only as a keyed pseudonym.
PERSONS = (("Jovana Petrović", "RS"), ("Марко Николовски", "MK"), ("Ana Stojanović", "RS"),
           ("Goran Trajkovski", "MK"))


@dataclass(frozen=True)
class Crossing:
    exit_office: str
    entry_office: str
    partner: str


def _plate(rng: random.Random, country: str) -> str:
    return f"{country}{rng.randint(100, 999)}{rng.choice('ABCDEFGHJK')}{rng.choice('LMNPRST')}"


def _container(rng: random.Random) -> str:
    serial = f"MSKU{rng.randint(100000, 999999)}"
    return serial + container_check_digit(serial)


def export(gen: DeclarationGenerator, rng: random.Random, crossing: Crossing, lrn: str, *,
           exporter: str, consignee: Party, country: str) -> Declaration:
    """An export declaration of `country` leaving for the partner through the crossing."""
    currency = "EUR"
    items = [gen.item(i + 1, currency) for i in range(rng.choice((1, 1, 2, 3)))]
    items = [i.model_copy(update={"procedure": Procedure(requested="10", previous="00"),
                                  "origin_country": country}) for i in items]
    container = _container(rng)
    return Declaration(
        declaration_type="EX", additional_type="A", lrn=lrn, declaration_date=gen.today,
        declarant=Party(id=exporter), exporter=Party(id=exporter), consignee=consignee,
        offices=Offices(lodgement=crossing.exit_office, exit=crossing.exit_office),
        transport=Transport(mode_at_border="3", border_nationality=country,
                            border_identity=_plate(rng, country), container=True,
                            container_ids=[container],
                            seals=[f"{country}S{rng.randint(100000, 999999)}"]),
        invoice_currency=currency,
        invoice_amount=sum((i.item_price or Decimal(0) for i in items), Decimal(0)),
        nature_of_transaction="11", dispatch_country=country,
        destination_country=crossing.partner,
        total_packages=sum(p.count or 0 for i in items for p in i.packages),
        item_count=len(items), items=items)


def arrival(exported: Declaration, mrn: str, lrn: str, *, importer: str, office: str,
            day: date, planted: str) -> Declaration:
    """The import the partner's trader lodges for an export, with one planted discrepancy."""
    items: list[GoodsItem] = []
    for item in exported.items:
        update: dict[str, object] = {
            "procedure": Procedure(requested="40", previous="00"),
            "previous_documents": [PreviousDocument(category="Z", type="MRN", reference=mrn,
                                                    line=item.sequence)]}
        if planted == "gross-mass":
            update["gross_mass"] = ((item.gross_mass or Decimal(10)) * Decimal("1.4")).quantize(
                Decimal("0.1"))
            update["net_mass"] = item.net_mass
        if planted == "packages":
            update["packages"] = [p.model_copy(update={"count": (p.count or 0) + 7})
                                  for p in item.packages]
        if planted == "value":
            update["item_price"] = ((item.item_price or Decimal(100)) * Decimal("1.5")).quantize(
                Decimal("0.01"))
        if planted == "hs6" and item.sequence == 1:
            update["commodity_code"] = "930200" if item.commodity_code != "930200" else "851010"
        items.append(item.model_copy(update=update))
    consignee = exported.consignee
    if planted == "consignee":
        consignee = Party(name="Drugi Primalac DOOEL", address=Address(
            city="Kumanovo", country=exported.destination_country))
    transport = exported.transport.model_copy(update={"arrival_identity":
                                                      exported.transport.border_identity})
    return Declaration(
        declaration_type="IM", additional_type="A", lrn=lrn, declaration_date=day,
        declarant=Party(id=importer), importer=Party(id=importer), consignee=consignee,
        exporter=exported.exporter,
        offices=Offices(lodgement=office, presentation=office), transport=transport,
        invoice_currency=exported.invoice_currency,
        invoice_amount=sum((i.item_price or Decimal(0) for i in items), Decimal(0)),
        nature_of_transaction="11", dispatch_country=exported.dispatch_country,
        previous_documents=[PreviousDocument(category="Z", type="MRN", reference=mrn)],
        total_packages=sum(p.count or 0 for i in items for p in i.packages),
        item_count=len(items), items=items)


def person(rng: random.Random, country: str) -> Party:
    name, _home = rng.choice(PERSONS)
    return Party(name=name, address=Address(city="Skopje" if country == "MK" else "Beograd",
                                            country=country))
