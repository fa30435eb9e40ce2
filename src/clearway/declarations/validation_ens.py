"""Business validation of an entry summary declaration (ENS, ICS2): the parties of the
carriage, its route, places and containers, and each consignment item."""

from __future__ import annotations

from datetime import date

from clearway.declarations.model import EntrySummaryDeclaration
from clearway.declarations.validation_checks import (
    MAX_AGE,
    container_issues,
    country_issues,
    described,
    issue,
    item_numbers,
    listed,
    named,
    package_issues,
    party_issues,
    zero_issues,
)
from clearway.errors import Issue
from clearway.refdata.model import RefDataSnapshot


def entry_summary_issues(doc: EntrySummaryDeclaration, ref: RefDataSnapshot, on: date,
                         today: date) -> list[Issue]:
    out: list[Issue] = []
    for role in ("carrier", "consignor", "consignee"):
        party = getattr(doc, role)
        if not named(party):
            out.append(issue("CW-RULE-REQUIRED", f"/{role}", f"An ENS needs the {role}"))
        out += party_issues(party, f"/{role}", ref, on, registered=role == "carrier")
    out += party_issues(doc.representative, "/representative", ref, on, registered=True)
    out += party_issues(doc.notify_party, "/notify_party", ref, on)
    for i, country in enumerate(doc.route_countries):
        out += country_issues(country, f"/route_countries/{i}", ref, on)
    for name in ("place_of_loading", "place_of_unloading"):
        if not getattr(doc, name):
            out.append(issue("CW-RULE-REQUIRED", f"/{name}", f"An ENS needs the {name}"))
    if doc.transport_mode is not None and not ref.transport_mode_valid(doc.transport_mode, on):
        out.append(issue("CW-CODE-TRANSPORT", "/transport_mode",
                         f"Unknown mode of transport {doc.transport_mode!r}"))
    if doc.expected_arrival is not None and doc.expected_arrival.date() < today - MAX_AGE:
        out.append(issue("CW-RULE-DATE", "/expected_arrival", "Expected arrival is implausible"))
    out += container_issues({f"/containers/{i}/number": c.number
                             for i, c in enumerate(doc.containers)})
    if not doc.items:
        out.append(issue("CW-RULE-NO-ITEMS", "/items", "An ENS must carry at least one item"))
    out += item_numbers(doc.items)
    for i, item in enumerate(doc.items):
        out += zero_issues(item, ("gross_mass",), f"/items/{i}")
        out += described(item.description, f"/items/{i}/description")
        out += container_issues(listed(item.container_ids, f"/items/{i}/container_ids"))
        if item.hs6 is None:
            out.append(issue("CW-RULE-REQUIRED", f"/items/{i}/hs6",
                             "Each ENS item needs its HS code (6 digits)"))
        elif not ref.commodity_valid(item.hs6[:6], on):
            out.append(issue("CW-CODE-COMMODITY", f"/items/{i}/hs6",
                             f"{item.hs6!r} is not an HS code on {on}"))
        out += package_issues(item.packages, f"/items/{i}/packages", ref, on)
    return out
