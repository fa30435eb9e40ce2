"""Checks shared by every kind of declaration and by its goods items: parties, countries,
documents, packages, containers, figures given as zero, currencies, item numbering and
descriptions. Each returns the issues it finds, pointing at the element to correct."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from clearway.declarations.codelists import NOT_MONEY, container_problem
from clearway.declarations.elements import element_of_pointer
from clearway.declarations.model import ConsignmentItem, Document, GoodsItem, Package, Party
from clearway.errors import Issue
from clearway.refdata.model import RefDataSnapshot

PARTY_ID = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")
# A declaration may be lodged up to this long after its stated date (corrections, C21).
MAX_AGE = timedelta(days=3 * 365)
# Issues reported for one list of containers: 10,000 bad numbers need not be 10,000 issues.
MAX_ISSUES_PER_LIST = 100


def issue(code: str, pointer: str, message: str) -> Issue:
    return Issue(code=code, element=element_of_pointer(pointer), pointer=pointer,
                 message=message)


def party_issues(party: Party | None, ptr: str, ref: RefDataSnapshot, on: date,
                 required: bool = False, registered: bool = False) -> list[Issue]:
    """A party's number and country; `required`: the number must be given, `registered`
    (implied by required): a number given must be in the traders register on that date."""
    if party is None:
        return []
    out = []
    if party.id is not None:
        if not PARTY_ID.match(party.id):
            out.append(issue("CW-CODE-PARTY-ID", f"{ptr}/id",
                             f"{party.id!r} is not an EORI-style number (2 letters, then up to "
                             "15 letters or digits)"))
        elif (required or registered) and ref.trader(party.id, on) is None:
            out.append(issue("CW-CODE-TRADER", f"{ptr}/id",
                             f"{party.id} is not in the traders register on {on}"))
    elif required:
        out.append(issue("CW-RULE-REQUIRED", f"{ptr}/id", "The declarant's EORI is required"))
    if party.address and party.address.country and not ref.country_valid(
        party.address.country, on
    ):
        out.append(issue("CW-CODE-COUNTRY", f"{ptr}/address/country",
                         f"Unknown country {party.address.country!r}"))
    return out


def named(party: Party | None) -> bool:
    return party is not None and bool(party.id or party.name)


def country_issues(code: str | None, ptr: str, ref: RefDataSnapshot, on: date) -> list[Issue]:
    if code is None or ref.country_valid(code, on):
        return []
    return [issue("CW-CODE-COUNTRY", ptr, f"Unknown country code {code!r} on {on}")]


def document_issues(docs: list[Document], ptr: str, ref: RefDataSnapshot, on: date) -> list[Issue]:
    return [
        issue("CW-CODE-DOCUMENT", f"{ptr}/{i}/code", f"Unknown document code {d.code!r}")
        for i, d in enumerate(docs)
        if not ref.document_code_valid(d.code, on)
    ]


def package_issues(packages: list[Package], ptr: str, ref: RefDataSnapshot,
                   on: date) -> list[Issue]:
    return [issue("CW-CODE-PACKAGE", f"{ptr}/{j}/kind", f"Unknown package kind {p.kind!r}")
            for j, p in enumerate(packages) if p.kind and not ref.package_kind_valid(p.kind, on)]


def currency_problem(code: str, ref: RefDataSnapshot, on: date) -> str | None:
    """Why `code` cannot be an invoice or price currency (DE 4/10, 4/14) on `on`, or None."""
    if not ref.currency_valid(code, on):
        return f"Unknown currency {code!r} (ISO 4217) on {on}"
    if code.strip() in NOT_MONEY:
        return f"{code} is an ISO 4217 code but no currency an invoice is written in"
    return None


def container_issues(numbers: dict[str, str]) -> list[Issue]:
    """DE 7/10 identifications of one list, by pointer: each well formed (see
    `codelists.container_problem`) and none given twice (the model caps their number)."""
    out, seen = [], set()
    for ptr, number in numbers.items():
        problem = container_problem(number)
        if problem is None and number in seen:
            problem = f"Container {number} is listed twice"
        if problem is not None:
            out.append(issue("CW-CODE-CONTAINER", ptr, problem))
        seen.add(number)
    return out[:MAX_ISSUES_PER_LIST]


def listed(values: list[str], ptr: str) -> dict[str, str]:
    return {f"{ptr}/{i}": value for i, value in enumerate(values)}


def zero_issues(obj: object, names: tuple[str, ...], ptr: str) -> list[Issue]:
    """A mass, value, amount, quantity or rate given as zero: never true of goods that are
    declared (an element that does not apply is left out, not given as 0)."""
    return [issue("CW-RULE-ZERO", f"{ptr}/{name}", f"{name.replace('_', ' ').capitalize()} "
                  "is 0; give the real figure or leave the element out")
            for name in names if getattr(obj, name) == 0]


def item_numbers(items: Sequence[GoodsItem | ConsignmentItem]) -> list[Issue]:
    """DE 1/6: items numbered 1, 2, 3... in order; a number given twice is named as such
    (the second item with it), since it also cannot identify one item."""
    out, seen = [], set()
    for i, item in enumerate(items):
        if item.sequence in seen:
            out.append(issue("CW-RULE-ITEM-DUPLICATE", f"/items/{i}/sequence",
                             f"Goods item number {item.sequence} is given to more than one "
                             "item"))
        elif item.sequence != i + 1:
            out.append(issue("CW-RULE-ITEM-SEQUENCE", f"/items/{i}/sequence",
                             f"Item {i + 1} is numbered {item.sequence}"))
        seen.add(item.sequence)
    return out


def described(description: str, ptr: str) -> list[Issue]:
    """DE 6/8: goods are described in words (a blank description describes nothing; XML
    amendments leave it out, so this is checked on the merged declaration, not when read)."""
    if description.strip():
        return []
    return [issue("CW-RULE-REQUIRED", ptr, "The goods need a description (DE 6/8)")]
