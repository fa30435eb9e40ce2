"""Business validation of a canonical declaration against reference data.

Pure: takes the document, a reference-data snapshot and the date of today; returns every
issue at once, each pointing (as a canonical JSON pointer) at the element to correct.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal

from clearway.declarations.codelists import (
    ADDITIONAL_TYPES,
    INCOTERMS,
    NATURE_OF_TRANSACTION,
    NOT_MONEY,
    container_problem,
)
from clearway.declarations.elements import element_of_pointer
from clearway.declarations.model import (
    CancellationRequest,
    ConsignmentItem,
    Declaration,
    DeclarationDoc,
    Document,
    EntrySummaryDeclaration,
    GoodsItem,
    Package,
    Party,
)
from clearway.errors import Issue
from clearway.refdata.model import RefDataSnapshot

PARTY_ID = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")
MRN = re.compile(r"^\d{2}[A-Z]{2}[A-Z0-9]{14}$")
AEO_TYPES = frozenset({"AEOC", "AEOS", "AEOF"})
# A declaration may be lodged up to this long after its stated date (corrections, C21).
MAX_AGE = timedelta(days=3 * 365)
# Invoice total and the sum of item prices may differ by rounding and charges up to this.
INVOICE_TOLERANCE = Decimal("0.01")
# Issues reported for one list of containers: 10,000 bad numbers need not be 10,000 issues.
MAX_ISSUES_PER_LIST = 100
# DE 4/15, euros per unit of the invoice currency: a rate more than this factor away from
# the reference rate of the date is a typo or the inverse rate; without a reference rate it
# must lie within RATE_BOUNDS (1 EUR buys at most 100,000 units of the weakest currency
# traded with the EU, and no currency is worth more than 100,000 EUR).
RATE_FACTOR = Decimal(10)
RATE_BOUNDS = (Decimal("0.00001"), Decimal("100000"))


def _issue(code: str, pointer: str, message: str) -> Issue:
    return Issue(code=code, element=element_of_pointer(pointer), pointer=pointer,
                 message=message)


def validate(doc: DeclarationDoc, ref: RefDataSnapshot, today: date) -> list[Issue]:
    stated = getattr(doc, "declaration_date", None)
    on = stated or today
    issues = list(_dates(doc, today))
    if isinstance(doc, Declaration):
        issues += _declaration(doc, ref, on)
    elif isinstance(doc, EntrySummaryDeclaration):
        issues += _entry_summary(doc, ref, on, today)
    elif isinstance(doc, CancellationRequest) and not MRN.match(doc.mrn):
        issues.append(_issue("CW-CODE-PARTY-ID", "/mrn", f"{doc.mrn!r} is not an MRN"))
    issues += _party(doc.declarant, "/declarant", ref, on, required=True)
    return issues


def _dates(doc: DeclarationDoc, today: date) -> Iterator[Issue]:
    stated: date | None = getattr(doc, "declaration_date", None)
    if stated is None:
        return
    if stated > today + timedelta(days=1):
        yield _issue("CW-RULE-DATE", "/declaration_date",
                     f"Declaration date {stated} is in the future")
    elif stated < today - MAX_AGE:
        yield _issue("CW-RULE-DATE", "/declaration_date",
                     f"Declaration date {stated} is more than three years ago")


def _party(party: Party | None, ptr: str, ref: RefDataSnapshot, on: date,
           required: bool = False, registered: bool = False) -> list[Issue]:
    """A party's number and country; `required`: the number must be given, `registered`
    (implied by required): a number given must be in the traders register on that date."""
    if party is None:
        return []
    out = []
    if party.id is not None:
        if not PARTY_ID.match(party.id):
            out.append(_issue("CW-CODE-PARTY-ID", f"{ptr}/id",
                              f"{party.id!r} is not an EORI-style number (2 letters, then up to "
                              "15 letters or digits)"))
        elif (required or registered) and ref.trader(party.id, on) is None:
            out.append(_issue("CW-CODE-TRADER", f"{ptr}/id",
                              f"{party.id} is not in the traders register on {on}"))
    elif required:
        out.append(_issue("CW-RULE-REQUIRED", f"{ptr}/id", "The declarant's EORI is required"))
    if party.address and party.address.country and not ref.country_valid(
        party.address.country, on
    ):
        out.append(_issue("CW-CODE-COUNTRY", f"{ptr}/address/country",
                          f"Unknown country {party.address.country!r}"))
    return out


def _named(party: Party | None) -> bool:
    return party is not None and bool(party.id or party.name)


def _country(code: str | None, ptr: str, ref: RefDataSnapshot, on: date) -> list[Issue]:
    if code is None or ref.country_valid(code, on):
        return []
    return [_issue("CW-CODE-COUNTRY", ptr, f"Unknown country code {code!r} on {on}")]


def _documents(docs: list[Document], ptr: str, ref: RefDataSnapshot, on: date) -> list[Issue]:
    return [
        _issue("CW-CODE-DOCUMENT", f"{ptr}/{i}/code", f"Unknown document code {d.code!r}")
        for i, d in enumerate(docs)
        if not ref.document_code_valid(d.code, on)
    ]


def _declaration(doc: Declaration, ref: RefDataSnapshot, on: date) -> list[Issue]:
    from clearway.declarations.validation_items import check_items

    out: list[Issue] = []
    # The parties that act before this administration need an EORI it knows, as the
    # declarant does: the representative, the importer of an import, the exporter of an
    # export (the other side of the trade is abroad and may have none).
    acting = {"representative", {"IM": "importer", "EX": "exporter"}.get(doc.declaration_type)}
    for role in ("representative", "importer", "exporter", "consignor", "consignee", "seller",
                 "buyer"):
        out += _party(getattr(doc, role), f"/{role}", ref, on, registered=role in acting)
    if doc.declaration_type == "IM" and not _named(doc.importer):
        out.append(_issue("CW-RULE-REQUIRED", "/importer", "An import needs the importer"))
    if doc.declaration_type == "EX" and not _named(doc.exporter):
        out.append(_issue("CW-RULE-REQUIRED", "/exporter", "An export needs the exporter"))
    if doc.declaration_type == "EX" and (doc.additional_type or "A") in ("A", "D") and not (
            doc.destination_country or doc.offices.exit):
        out.append(_issue("CW-RULE-REQUIRED", "/destination_country",
                          "A standard export needs the country of destination (DE 5/8) or "
                          "the customs office of exit (DE 5/12)"))
    out += _country(doc.dispatch_country, "/dispatch_country", ref, on)
    out += _country(doc.destination_country, "/destination_country", ref, on)
    out += _country(doc.transport.border_nationality, "/transport/border_nationality", ref, on)
    if doc.goods_location:
        out += _country(doc.goods_location.country, "/goods_location/country", ref, on)
    for name in ("mode_at_border", "inland_mode"):
        mode = getattr(doc.transport, name)
        if mode is not None and not ref.transport_mode_valid(mode, on):
            out.append(_issue("CW-CODE-TRANSPORT", f"/transport/{name}",
                              f"Unknown mode of transport {mode!r}"))
    for name, office in doc.offices.model_dump().items():
        if office is not None and ref.office(office, on) is None:
            out.append(_issue("CW-CODE-OFFICE", f"/offices/{name}",
                              f"Unknown customs office {office!r}"))
    if doc.invoice_currency is not None:
        if problem := currency_problem(doc.invoice_currency, ref, on):
            out.append(_issue("CW-CODE-CURRENCY", "/invoice_currency", problem))
        elif doc.exchange_rate is None and ref.rate(doc.invoice_currency, on) is None:
            out.append(_issue("CW-RULE-RATE", "/invoice_currency",
                              f"No exchange rate for {doc.invoice_currency} on {on}"))
    out += _rate(doc, ref, on)
    out += _documents(doc.documents, "/documents", ref, on)
    out += _codes(doc)
    out += _containers(listed(doc.transport.container_ids, "/transport/container_ids"))
    out += _zeros(doc, ("invoice_amount", "exchange_rate", "total_gross_mass"), "")
    out += _authorisations(doc, ref, on)
    out += check_items(doc, ref, on)
    return out


def currency_problem(code: str, ref: RefDataSnapshot, on: date) -> str | None:
    """Why `code` cannot be an invoice or price currency (DE 4/10, 4/14) on `on`, or None."""
    if not ref.currency_valid(code, on):
        return f"Unknown currency {code!r} (ISO 4217) on {on}"
    if code.strip() in NOT_MONEY:
        return f"{code} is an ISO 4217 code but no currency an invoice is written in"
    return None


def _rate(doc: Declaration, ref: RefDataSnapshot, on: date) -> list[Issue]:
    """DE 4/15 within a factor of the reference rate of the date, or within RATE_BOUNDS
    (a rate of 0 is CW-RULE-ZERO's)."""
    rate = doc.exchange_rate
    if not rate:
        return []
    known = ref.rate(doc.invoice_currency, on) if doc.invoice_currency else None
    low, high = (known / RATE_FACTOR, known * RATE_FACTOR) if known else RATE_BOUNDS
    if low <= rate <= high:
        return []
    against = (f"the reference rate for {doc.invoice_currency} on {on} is {known}" if known
               else f"a rate lies between {low} and {high}")
    return [_issue("CW-RULE-RATE", "/exchange_rate", f"Exchange rate {rate} (euros per unit of "
                   f"the invoice currency) is implausible: {against}")]


def _codes(doc: Declaration) -> list[Issue]:
    """Header codes from the fixed code lists of `codelists` (no reference data needed)."""
    out = []
    if doc.additional_type is not None and doc.additional_type not in ADDITIONAL_TYPES:
        out.append(_issue("CW-CODE-DECLARATION-TYPE", "/additional_type",
                          f"Unknown additional declaration type {doc.additional_type!r} "
                          f"(one of {''.join(sorted(ADDITIONAL_TYPES))})"))
    nature = doc.nature_of_transaction
    if nature is not None and nature not in NATURE_OF_TRANSACTION:
        out.append(_issue("CW-CODE-TRANSACTION", "/nature_of_transaction",
                          f"Unknown nature of transaction {nature!r}"))
    incoterm = doc.delivery_terms.incoterm if doc.delivery_terms else None
    if incoterm is not None and incoterm not in INCOTERMS:
        out.append(_issue("CW-CODE-INCOTERM", "/delivery_terms/incoterm",
                          f"Unknown delivery terms {incoterm!r} (Incoterms 2020, DAT or XXX)"))
    return out


def _containers(numbers: dict[str, str]) -> list[Issue]:
    """DE 7/10 identifications of one list, by pointer: each well formed (see
    `codelists.container_problem`) and none given twice (the model caps their number)."""
    out, seen = [], set()
    for ptr, number in numbers.items():
        problem = container_problem(number)
        if problem is None and number in seen:
            problem = f"Container {number} is listed twice"
        if problem is not None:
            out.append(_issue("CW-CODE-CONTAINER", ptr, problem))
        seen.add(number)
    return out[:MAX_ISSUES_PER_LIST]


def listed(values: list[str], ptr: str) -> dict[str, str]:
    return {f"{ptr}/{i}": value for i, value in enumerate(values)}


def _zeros(obj: object, names: tuple[str, ...], ptr: str) -> list[Issue]:
    """A mass, value, amount, quantity or rate given as zero: never true of goods that are
    declared (an element that does not apply is left out, not given as 0)."""
    return [_issue("CW-RULE-ZERO", f"{ptr}/{name}", f"{name.replace('_', ' ').capitalize()} "
                   "is 0; give the real figure or leave the element out")
            for name in names if getattr(obj, name) == 0]


def _authorisations(doc: Declaration, ref: RefDataSnapshot, on: date) -> list[Issue]:
    out = []
    for i, auth in enumerate(doc.authorisations):
        ptr = f"/authorisations/{i}"
        if not ref.authorisation_type_valid(auth.type, on):
            out.append(_issue("CW-CODE-DOCUMENT", f"{ptr}/type",
                              f"Unknown authorisation type {auth.type!r}"))
        if auth.type in AEO_TYPES:
            holder = auth.holder_id or doc.declarant.id or ""
            if auth.type not in ref.aeo(holder, on):
                out.append(_issue("CW-RULE-AEO", f"{ptr}/type",
                                  f"{holder} holds no valid {auth.type} authorisation on {on}"))
    return out


def _entry_summary(doc: EntrySummaryDeclaration, ref: RefDataSnapshot, on: date,
                   today: date) -> list[Issue]:
    out: list[Issue] = []
    for role in ("carrier", "consignor", "consignee"):
        party = getattr(doc, role)
        if not _named(party):
            out.append(_issue("CW-RULE-REQUIRED", f"/{role}", f"An ENS needs the {role}"))
        out += _party(party, f"/{role}", ref, on, registered=role == "carrier")
    out += _party(doc.representative, "/representative", ref, on, registered=True)
    out += _party(doc.notify_party, "/notify_party", ref, on)
    for i, country in enumerate(doc.route_countries):
        out += _country(country, f"/route_countries/{i}", ref, on)
    for name in ("place_of_loading", "place_of_unloading"):
        if not getattr(doc, name):
            out.append(_issue("CW-RULE-REQUIRED", f"/{name}", f"An ENS needs the {name}"))
    if doc.transport_mode is not None and not ref.transport_mode_valid(doc.transport_mode, on):
        out.append(_issue("CW-CODE-TRANSPORT", "/transport_mode",
                          f"Unknown mode of transport {doc.transport_mode!r}"))
    if doc.expected_arrival is not None and doc.expected_arrival.date() < today - MAX_AGE:
        out.append(_issue("CW-RULE-DATE", "/expected_arrival", "Expected arrival is implausible"))
    out += _containers({f"/containers/{i}/number": c.number
                        for i, c in enumerate(doc.containers)})
    if not doc.items:
        out.append(_issue("CW-RULE-NO-ITEMS", "/items", "An ENS must carry at least one item"))
    out += item_numbers(doc.items)
    for i, item in enumerate(doc.items):
        out += _zeros(item, ("gross_mass",), f"/items/{i}")
        out += described(item.description, f"/items/{i}/description")
        out += _containers(listed(item.container_ids, f"/items/{i}/container_ids"))
        if item.hs6 is None:
            out.append(_issue("CW-RULE-REQUIRED", f"/items/{i}/hs6",
                              "Each ENS item needs its HS code (6 digits)"))
        elif not ref.commodity_valid(item.hs6[:6], on):
            out.append(_issue("CW-CODE-COMMODITY", f"/items/{i}/hs6",
                              f"{item.hs6!r} is not an HS code on {on}"))
        out += _packages(item.packages, f"/items/{i}/packages", ref, on)
    return out


def item_numbers(items: Sequence[GoodsItem | ConsignmentItem]) -> list[Issue]:
    """DE 1/6: items numbered 1, 2, 3... in order; a number given twice is named as such
    (the second item with it), since it also cannot identify one item."""
    out, seen = [], set()
    for i, item in enumerate(items):
        if item.sequence in seen:
            out.append(_issue("CW-RULE-ITEM-DUPLICATE", f"/items/{i}/sequence",
                              f"Goods item number {item.sequence} is given to more than one "
                              "item"))
        elif item.sequence != i + 1:
            out.append(_issue("CW-RULE-ITEM-SEQUENCE", f"/items/{i}/sequence",
                              f"Item {i + 1} is numbered {item.sequence}"))
        seen.add(item.sequence)
    return out


def described(description: str, ptr: str) -> list[Issue]:
    """DE 6/8: goods are described in words (a blank description describes nothing; XML
    amendments leave it out, so this is checked on the merged declaration, not when read)."""
    if description.strip():
        return []
    return [_issue("CW-RULE-REQUIRED", ptr, "The goods need a description (DE 6/8)")]


def _packages(packages: list[Package], ptr: str, ref: RefDataSnapshot,
              on: date) -> list[Issue]:
    return [_issue("CW-CODE-PACKAGE", f"{ptr}/{j}/kind", f"Unknown package kind {p.kind!r}")
            for j, p in enumerate(packages) if p.kind and not ref.package_kind_valid(p.kind, on)]
