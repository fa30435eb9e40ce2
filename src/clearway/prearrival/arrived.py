"""What arrived, read into `matching.Arrived`: an import or transit declaration, an ENS, or a
booth record. Values in euros as the risk engine's item frame counts them (statistical or
customs value as declared, else the item price at this side's reference rate)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from clearway.declarations.model import (
    Declaration,
    EntrySummaryDeclaration,
    GoodsItem,
    Package,
    Party,
)
from clearway.prearrival.matching import Arrived, ArrivedItem
from clearway.storage.orm_prearrival import CrossingRow

Rate = Callable[[str, date], Decimal | None]
_NOT_DIGIT = re.compile(r"[^0-9]")


def of_declaration(doc: Declaration, ref: str, at: datetime, rate: Rate) -> Arrived:
    transport = doc.transport
    containers = [*transport.container_ids, *(c for i in doc.items for c in i.container_ids)]
    consignee = doc.consignee or doc.importer
    return _with_consignee(Arrived(
        kind="declaration", ref=ref, at=at,
        office=doc.offices.presentation or doc.offices.lodgement,
        items=tuple(ArrivedItem(_hs6(i.commodity_code), _packages(i.packages), i.gross_mass,
                                _value_eur(i, doc.invoice_currency, at.date(), rate))
                    for i in doc.items),
        packages=doc.total_packages, gross_mass=doc.total_gross_mass,
        containers=tuple(containers), seals=tuple(transport.seals)), consignee)


def of_ens(doc: EntrySummaryDeclaration, ref: str, at: datetime) -> Arrived:
    return _with_consignee(Arrived(
        kind="ens", ref=ref, at=at, office=doc.offices.first_entry,
        items=tuple(ArrivedItem(_hs6(i.hs6), _packages(i.packages), i.gross_mass)
                    for i in doc.items),
        containers=tuple(c.number for c in doc.containers),
        seals=tuple(s for c in doc.containers for s in c.seals)), doc.consignee)


def of_crossing(row: CrossingRow) -> Arrived:
    return Arrived(kind="crossing", ref=f"crossing:{row.id}", at=row.recorded_at,
                   office=row.office, containers=tuple(row.containers),
                   seals=tuple(row.seals))


def vehicles(doc: Declaration) -> list[str]:
    """The means of transport a declaration names at the border and on arrival."""
    t = doc.transport
    return [v for v in (t.arrival_identity, t.border_identity) if v]


def _hs6(code: str | None) -> str | None:
    digits = _NOT_DIGIT.sub("", code or "")
    return digits[:6] if len(digits) >= 6 else None


def _packages(packages: list[Package]) -> int | None:
    counts = [p.count for p in packages if p.count is not None]
    return sum(counts) if counts else None


def _value_eur(item: GoodsItem, invoice_currency: str | None, on: date,
               rate: Rate) -> Decimal | None:
    for value in (item.statistical_value, item.customs_value):
        if value is not None:
            return value
    if item.item_price is None:
        return None
    found = rate(item.item_price_currency or invoice_currency or "EUR", on)
    return None if found is None else item.item_price * found


def _with_consignee(arrived: Arrived, party: Party | None) -> Arrived:
    """A company by its id; a person (no id) by name and country, for the pseudonym match
    only (never stored)."""
    if party is None:
        return arrived
    return replace(arrived, consignee_id=party.id,
                   consignee_name=None if party.id else party.name,
                   consignee_country=party.address.country if party.address else None)
