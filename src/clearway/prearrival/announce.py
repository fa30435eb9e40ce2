"""What the exit administration announces to its neighbour when an export or transit
declaration is released for exit through a border office: the anticipated arrival, built from
the canonical declaration alone (no storage, no clock).

Companies travel by EORI. A party with no identification number is taken for a natural
person: it travels as a keyed pseudonym of its normalised name and country, and only when the
agreement has a valid pseudonym key that day; without one it is left out altogether, neither
key nor name. A name never crosses the border.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from clearway.declarations.model import Declaration, GoodsItem, Party
from clearway.prearrival.payload import (
    AnticipatedArrival,
    ArrivalItem,
    ArrivalTransport,
    PartyRef,
    Totals,
)
from clearway.privacy.pseudonyms import Keyring, normalised, pseudonymise

ANNOUNCED_TYPES = ("EX", "CO")
# The payload carries figures of up to 18 digits, 6 of them decimals; a declaration may hold
# larger ones (15 integer digits), which then travel as absent rather than refuse the release.
_LIMIT = Decimal("1e12")
_DIGITS = re.compile(r"[^0-9]")


def anticipated_arrival(doc: Declaration, *, mrn: str, exit_at: datetime,
                        office_of_entry: str, ring: Keyring,
                        agreement_id: str) -> AnticipatedArrival:
    """The announcement of `doc` (EX or CO, with its office of exit) leaving at `exit_at`;
    pseudonyms are made under the agreement's key valid on the day of exit."""
    if doc.declaration_type not in ANNOUNCED_TYPES or not doc.offices.exit:
        raise ValueError("only an export or transit with an office of exit is announced")
    items = [found for item in doc.items if (found := _item(item, doc.invoice_currency))]
    return AnticipatedArrival(
        mrn=mrn, declaration_type=doc.declaration_type, exit_at=exit_at,
        office_of_exit=doc.offices.exit, office_of_entry=office_of_entry,
        transport=_transport(doc),
        exporter=party_ref(doc.exporter, ring, agreement_id, exit_at),
        consignee=party_ref(doc.consignee, ring, agreement_id, exit_at),
        goods_items=tuple(items), totals=_totals(doc))


def party_ref(party: Party | None, ring: Keyring, agreement_id: str,
              at: datetime) -> PartyRef | None:
    """A company by its EORI; a person by a keyed pseudonym; None when neither may travel."""
    if party is None:
        return None
    country = party.address.country if party.address else None
    country = country.upper() if country and len(country) == 2 else None
    if party.id:
        return PartyRef(eori=party.id[:35], country=country)
    if not party.name or not party.name.strip():
        return None
    found = pseudonymise(ring, agreement_id, normalised(party.name, country), at.date())
    return None if found is None else PartyRef(pseudonym=found, country=country)


def _transport(doc: Declaration) -> ArrivalTransport:
    t = doc.transport
    containers = _unique([*t.container_ids, *(c for it in doc.items for c in it.container_ids)])
    vehicle = t.border_identity or t.departure_identity
    return ArrivalTransport(vehicle=vehicle[:35] if vehicle else None,
                            nationality=_code(t.border_nationality),
                            mode=_code(t.mode_at_border), containers=containers,
                            seals=_unique(t.seals))


def _item(item: GoodsItem, invoice_currency: str | None) -> ArrivalItem | None:
    """The item as announced; None when its commodity code holds no HS6 (a 2- or 4-digit
    heading): the totals still count it."""
    hs6 = _DIGITS.sub("", item.commodity_code)[:6]
    if len(hs6) != 6:
        return None
    return ArrivalItem(sequence=item.sequence, hs6=hs6, description=item.description[:512],
                       packages=_packages(item), gross_mass=_fit(item.gross_mass),
                       value=_fit(_value(item)),
                       currency=_currency(item.item_price_currency or invoice_currency))


def _totals(doc: Declaration) -> Totals:
    counted = [p for it in doc.items if (p := _packages(it)) is not None]
    masses = [it.gross_mass for it in doc.items if it.gross_mass is not None]
    values = [v for it in doc.items if (v := _value(it)) is not None]
    currencies = {c for it in doc.items if (c := it.item_price_currency or doc.invoice_currency)}
    packages = doc.total_packages if doc.total_packages is not None else (
        sum(counted) if counted else None)
    mass = doc.total_gross_mass if doc.total_gross_mass is not None else (
        sum(masses, Decimal(0)) if masses else None)
    # one currency or none: a sum across currencies would mean nothing
    value = sum(values, Decimal(0)) if values and len(currencies) <= 1 else None
    return Totals(packages=packages, gross_mass=_fit(mass), value=_fit(value),
                  currency=_currency(next(iter(currencies))) if len(currencies) == 1 else None)


def _packages(item: GoodsItem) -> int | None:
    counts = [p.count for p in item.packages if p.count is not None]
    return sum(counts) if counts else None


def _value(item: GoodsItem) -> Decimal | None:
    return item.customs_value or item.statistical_value or item.item_price


def _fit(amount: Decimal | None) -> Decimal | None:
    return amount if amount is not None and amount < _LIMIT else None


def _code(value: str | None) -> str | None:
    return value if value and len(value) <= 2 else None


def _currency(value: str | None) -> str | None:
    return value if value and len(value) == 3 else None


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
