"""Business validation of a summary declaration: an entry summary (ENS, ICS2) or an exit
summary (EXS): the parties of the carriage, its route, places and containers, each
consignment item, and for an EXS its office of exit."""

from __future__ import annotations

from datetime import date, datetime

from clearway.declarations.model import ExitSummaryDeclaration, SummaryDeclaration
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


def summary_issues(doc: SummaryDeclaration, ref: RefDataSnapshot, on: date,
                   today: date) -> list[Issue]:
    kind = doc.declaration_type
    out: list[Issue] = []
    for role in ("carrier", "consignor", "consignee"):
        party = getattr(doc, role)
        if not named(party):
            out.append(issue("CW-RULE-REQUIRED", f"/{role}", f"An {kind} needs the {role}"))
        out += party_issues(party, f"/{role}", ref, on, registered=role == "carrier")
    out += party_issues(doc.representative, "/representative", ref, on, registered=True)
    out += party_issues(doc.notify_party, "/notify_party", ref, on)
    for i, country in enumerate(doc.route_countries):
        out += country_issues(country, f"/route_countries/{i}", ref, on)
    for name in ("place_of_loading", "place_of_unloading"):
        if not getattr(doc, name):
            out.append(issue("CW-RULE-REQUIRED", f"/{name}", f"An {kind} needs the {name}"))
    if doc.transport_mode is not None and not ref.transport_mode_valid(doc.transport_mode, on):
        out.append(issue("CW-CODE-TRANSPORT", "/transport_mode",
                         f"Unknown mode of transport {doc.transport_mode!r}"))
    if isinstance(doc, ExitSummaryDeclaration):
        out += exit_issues(doc, ref, on)
        out += _moment(doc.expected_departure, "/expected_departure", "departure", today)
    else:
        out += _moment(getattr(doc, "expected_arrival", None), "/expected_arrival", "arrival",
                       today)
    out += container_issues({f"/containers/{i}/number": c.number
                             for i, c in enumerate(doc.containers)})
    return out + _items(doc, ref, on)


def _moment(at: datetime | None, pointer: str, what: str, today: date) -> list[Issue]:
    if at is not None and at.date() < today - MAX_AGE:
        return [issue("CW-RULE-DATE", pointer, f"Expected {what} is implausible")]
    return []


def exit_issues(doc: ExitSummaryDeclaration, ref: RefDataSnapshot, on: date) -> list[Issue]:
    """An EXS is answered by the office where the goods leave: it names that office, a
    known office of exit, and never an office of first entry (that is an ENS's)."""
    out: list[Issue] = []
    code = doc.offices.exit
    office = ref.office(code, on) if code else None
    if not code:
        out.append(issue("CW-EXS-OFFICE-EXIT", "/offices/exit",
                         "An EXS needs the customs office of exit (DE 5/12)"))
    elif office is None or not office.has_role("exit"):
        out.append(issue("CW-EXS-OFFICE-EXIT", "/offices/exit",
                         f"{code!r} is not a customs office of exit on {on}"))
    if doc.offices.first_entry:
        out.append(issue("CW-EXS-FIRST-ENTRY", "/offices/first_entry",
                         "An EXS names the office of exit, not an office of first entry; "
                         "goods arriving are declared in an ENS"))
    return out


def _items(doc: SummaryDeclaration, ref: RefDataSnapshot, on: date) -> list[Issue]:
    kind = doc.declaration_type
    out: list[Issue] = []
    if not doc.items:
        out.append(issue("CW-RULE-NO-ITEMS", "/items", f"An {kind} must carry at least one item"))
    out += item_numbers(doc.items)
    for i, item in enumerate(doc.items):
        out += zero_issues(item, ("gross_mass",), f"/items/{i}")
        out += described(item.description, f"/items/{i}/description")
        out += container_issues(listed(item.container_ids, f"/items/{i}/container_ids"))
        if item.hs6 is None:
            out.append(issue("CW-RULE-REQUIRED", f"/items/{i}/hs6",
                             f"Each {kind} item needs its HS code (6 digits)"))
        elif not ref.commodity_valid(item.hs6[:6], on):
            out.append(issue("CW-CODE-COMMODITY", f"/items/{i}/hs6",
                             f"{item.hs6!r} is not an HS code on {on}"))
        out += package_issues(item.packages, f"/items/{i}/packages", ref, on)
    return out
