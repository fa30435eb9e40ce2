"""Business validation of a canonical declaration against reference data.

Pure: takes the document, a reference-data snapshot and the date of today; returns every
issue at once, each pointing (as a canonical JSON pointer) at the element to correct. The
header of a customs declaration is checked here, its goods items in `validation_items`, an
entry (ENS) or exit (EXS) summary declaration in `validation_ens`; checks they share are in
`validation_checks`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from clearway.declarations.codelists import ADDITIONAL_TYPES, INCOTERMS, NATURE_OF_TRANSACTION
from clearway.declarations.model import (
    CancellationRequest,
    Declaration,
    DeclarationDoc,
    SummaryDeclaration,
)
from clearway.declarations.validation_checks import (
    MAX_AGE,
    container_issues,
    country_issues,
    currency_problem,
    document_issues,
    issue,
    listed,
    named,
    party_issues,
    zero_issues,
)
from clearway.declarations.validation_ens import summary_issues
from clearway.declarations.validation_items import check_items
from clearway.errors import Issue
from clearway.refdata.model import RefDataSnapshot

MRN = re.compile(r"^\d{2}[A-Z]{2}[A-Z0-9]{14}$")
AEO_TYPES = frozenset({"AEOC", "AEOS", "AEOF"})
# DE 4/15, euros per unit of the invoice currency: a rate more than this factor away from
# the reference rate of the date is a typo or the inverse rate; without a reference rate it
# must lie within RATE_BOUNDS (1 EUR buys at most 100,000 units of the weakest currency
# traded with the EU, and no currency is worth more than 100,000 EUR).
RATE_FACTOR = Decimal(10)
RATE_BOUNDS = (Decimal("0.00001"), Decimal("100000"))


def validate(doc: DeclarationDoc, ref: RefDataSnapshot, today: date) -> list[Issue]:
    stated = getattr(doc, "declaration_date", None)
    on = stated or today
    issues = list(_dates(doc, today))
    if isinstance(doc, Declaration):
        issues += _declaration(doc, ref, on)
    elif isinstance(doc, SummaryDeclaration):
        issues += summary_issues(doc, ref, on, today)
    elif isinstance(doc, CancellationRequest) and not MRN.match(doc.mrn):
        issues.append(issue("CW-CODE-PARTY-ID", "/mrn", f"{doc.mrn!r} is not an MRN"))
    issues += party_issues(doc.declarant, "/declarant", ref, on, required=True)
    return issues


def _dates(doc: DeclarationDoc, today: date) -> Iterator[Issue]:
    stated: date | None = getattr(doc, "declaration_date", None)
    if stated is None:
        return
    if stated > today + timedelta(days=1):
        yield issue("CW-RULE-DATE", "/declaration_date",
                    f"Declaration date {stated} is in the future")
    elif stated < today - MAX_AGE:
        yield issue("CW-RULE-DATE", "/declaration_date",
                    f"Declaration date {stated} is more than three years ago")


def _declaration(doc: Declaration, ref: RefDataSnapshot, on: date) -> list[Issue]:
    out: list[Issue] = []
    # The parties that act before this administration need an EORI it knows, as the
    # declarant does: the representative, the importer of an import, the exporter of an
    # export (the other side of the trade is abroad and may have none).
    acting = {"representative", {"IM": "importer", "EX": "exporter"}.get(doc.declaration_type)}
    for role in ("representative", "importer", "exporter", "consignor", "consignee", "seller",
                 "buyer"):
        out += party_issues(getattr(doc, role), f"/{role}", ref, on, registered=role in acting)
    if doc.declaration_type == "IM" and not named(doc.importer):
        out.append(issue("CW-RULE-REQUIRED", "/importer", "An import needs the importer"))
    if doc.declaration_type == "EX" and not named(doc.exporter):
        out.append(issue("CW-RULE-REQUIRED", "/exporter", "An export needs the exporter"))
    if doc.declaration_type == "EX" and (doc.additional_type or "A") in ("A", "D") and not (
            doc.destination_country or doc.offices.exit):
        out.append(issue("CW-RULE-REQUIRED", "/destination_country",
                         "A standard export needs the country of destination (DE 5/8) or "
                         "the customs office of exit (DE 5/12)"))
    out += country_issues(doc.dispatch_country, "/dispatch_country", ref, on)
    out += country_issues(doc.destination_country, "/destination_country", ref, on)
    out += country_issues(doc.transport.border_nationality, "/transport/border_nationality",
                          ref, on)
    if doc.goods_location:
        out += country_issues(doc.goods_location.country, "/goods_location/country", ref, on)
    for name in ("mode_at_border", "inland_mode"):
        mode = getattr(doc.transport, name)
        if mode is not None and not ref.transport_mode_valid(mode, on):
            out.append(issue("CW-CODE-TRANSPORT", f"/transport/{name}",
                             f"Unknown mode of transport {mode!r}"))
    for name, office in doc.offices.model_dump().items():
        if office is not None and ref.office(office, on) is None:
            out.append(issue("CW-CODE-OFFICE", f"/offices/{name}",
                             f"Unknown customs office {office!r}"))
    if doc.invoice_currency is not None:
        if problem := currency_problem(doc.invoice_currency, ref, on):
            out.append(issue("CW-CODE-CURRENCY", "/invoice_currency", problem))
        elif doc.exchange_rate is None and ref.rate(doc.invoice_currency, on) is None:
            out.append(issue("CW-RULE-RATE", "/invoice_currency",
                             f"No exchange rate for {doc.invoice_currency} on {on}"))
    out += _rate(doc, ref, on)
    out += document_issues(doc.documents, "/documents", ref, on)
    out += _codes(doc)
    out += container_issues(listed(doc.transport.container_ids, "/transport/container_ids"))
    out += zero_issues(doc, ("invoice_amount", "exchange_rate", "total_gross_mass"), "")
    out += _authorisations(doc, ref, on)
    out += check_items(doc, ref, on)
    return out


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
    return [issue("CW-RULE-RATE", "/exchange_rate", f"Exchange rate {rate} (euros per unit of "
                  f"the invoice currency) is implausible: {against}")]


def _codes(doc: Declaration) -> list[Issue]:
    """Header codes from the fixed code lists of `codelists` (no reference data needed)."""
    out = []
    if doc.additional_type is not None and doc.additional_type not in ADDITIONAL_TYPES:
        out.append(issue("CW-CODE-DECLARATION-TYPE", "/additional_type",
                         f"Unknown additional declaration type {doc.additional_type!r} "
                         f"(one of {''.join(sorted(ADDITIONAL_TYPES))})"))
    nature = doc.nature_of_transaction
    if nature is not None and nature not in NATURE_OF_TRANSACTION:
        out.append(issue("CW-CODE-TRANSACTION", "/nature_of_transaction",
                         f"Unknown nature of transaction {nature!r}"))
    incoterm = doc.delivery_terms.incoterm if doc.delivery_terms else None
    if incoterm is not None and incoterm not in INCOTERMS:
        out.append(issue("CW-CODE-INCOTERM", "/delivery_terms/incoterm",
                         f"Unknown delivery terms {incoterm!r} (Incoterms 2020, DAT or XXX)"))
    return out


def _authorisations(doc: Declaration, ref: RefDataSnapshot, on: date) -> list[Issue]:
    out = []
    for i, auth in enumerate(doc.authorisations):
        ptr = f"/authorisations/{i}"
        if not ref.authorisation_type_valid(auth.type, on):
            out.append(issue("CW-CODE-DOCUMENT", f"{ptr}/type",
                             f"Unknown authorisation type {auth.type!r}"))
        if auth.type in AEO_TYPES:
            holder = auth.holder_id or doc.declarant.id or ""
            if auth.type not in ref.aeo(holder, on):
                out.append(issue("CW-RULE-AEO", f"{ptr}/type",
                                 f"{holder} holds no valid {auth.type} authorisation on {on}"))
    return out
