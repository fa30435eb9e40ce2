"""The check of a declaration's licence references against the register (CSW-CERTEX Art. 6),
pure: what the declaration asks (`uses_of`), and what the register answers (`check_uses`),
each failure a coded issue pointed at the item's document.

Checked in this order, the first failure answering for the document: the licence exists (its
number under the declared code); it is valid (not suspended or revoked); it is valid on the
day; its holder is the party the declaration names (`holder_of`); a single-use licence has
not been used by another declaration; a line covers the item's commodity code (longest HS
prefix); the licence covers the country; the declaration gives the amount the line counts in;
enough is left on the line, counting what earlier items of the same declaration drew.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clearway.declarations.model import Declaration, Document, GoodsItem
from clearway.errors import Issue, shown
from clearway.licences.model import KG, Licence, LicenceLine, LicenceStatus

ELEMENT = "DE 2/3"


@dataclass(frozen=True)
class Use:
    """One managed document reference on a goods item: what it asks of the register."""

    item: int           # DE 1/6 goods item number
    position: int       # the item's place in `items` (for the pointer)
    index: int          # the document's place in the item's `documents`
    code: str
    reference: str
    holder: str | None
    commodity_code: str
    country: str | None
    quantity: Decimal | None        # the document's own quantity (in the line's unit)
    net_mass: Decimal | None
    supplementary_units: Decimal | None
    value: Decimal | None           # the item price, in `currency`
    currency: str | None
    header: bool = False            # declared at header level, drawn by an item it covers

    @property
    def pointer(self) -> str:
        return (f"/documents/{self.index}" if self.header
                else f"/items/{self.position}/documents/{self.index}")

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.reference)


@dataclass(frozen=True)
class Draw:
    """What an accepted use writes off a licence line, and what the line has left then
    (remaining quantity and value, after this and the declaration's earlier draws on it)."""

    use: Use
    licence_id: int
    line_id: int
    quantity: Decimal | None
    value: Decimal | None
    left: tuple[Decimal | None, Decimal | None]


def holder_of(doc: Declaration, item: GoodsItem) -> str | None:
    """Whom the licence must be granted to: the importer on an import, the exporter (the
    item's, else the header's) on an export; the declarant where the declaration names no
    such party, and on other declarations."""
    party = (doc.importer if doc.declaration_type == "IM"
             else (item.exporter or doc.exporter) if doc.declaration_type == "EX" else None)
    return (party.id if party is not None and party.id else None) or doc.declarant.id


def country_of(doc: Declaration, item: GoodsItem) -> str | None:
    """The country a licence covers: the destination of an export, the origin of anything
    else (the item's, else the country of dispatch)."""
    if doc.declaration_type == "EX":
        return doc.destination_country
    return item.origin_country or doc.dispatch_country


def _use(doc: Declaration, position: int, index: int, document: Document,
         quantity: Decimal | None, *, header: bool = False) -> Use:
    item = doc.items[position]
    return Use(item.sequence, position, index, document.code.upper(),
               (document.reference or "").strip(), holder_of(doc, item), item.commodity_code,
               country_of(doc, item), quantity, item.net_mass, item.supplementary_units,
               item.item_price, doc.invoice_currency, header)


def uses_of(doc: Declaration, managed: frozenset[str]) -> list[Use]:
    """Every document reference on an item whose code the register manages, in order."""
    return [_use(doc, p, n, d, d.quantity)
            for p, item in enumerate(doc.items) for n, d in enumerate(item.documents)
            if d.code.upper() in managed]


def header_keys(doc: Declaration, managed: frozenset[str]) -> list[tuple[str, str]]:
    """(code, number) of the header-level documents the register manages."""
    return [(d.code.upper(), (d.reference or "").strip()) for d in doc.documents
            if d.code.upper() in managed]


def header_uses(doc: Declaration, managed: frozenset[str],
                licences: Mapping[tuple[str, str], Licence]) -> list[Use]:
    """Header-level managed documents as uses of the items they serve: every item a line of
    the licence covers, unless the item declares the same document itself; when the licence
    is unknown or covers no item, the first item that does not declare it, so the check says
    why (a header-level reference is never left unchecked)."""
    own = {(u.position, u.key) for u in uses_of(doc, managed)}
    found: list[Use] = []
    for n, d in enumerate(doc.documents):
        key = (d.code.upper(), (d.reference or "").strip())
        if key[0] not in managed:
            continue
        lic = licences.get(key)
        left = [p for p in range(len(doc.items)) if (p, key) not in own]
        covered = [p for p in range(len(doc.items))
                   if lic is not None and lic.line_for(doc.items[p].commodity_code)]
        served = [p for p in covered if p in left] if covered else left[:1]
        quantity = d.quantity if len(served) == 1 else None  # one item: its own quantity
        found += [_use(doc, p, n, d, quantity, header=True) for p in served]
    return found


def _issue(use: Use, code: str, why: str) -> Issue:
    where = (f"header document {use.code} {shown(use.reference)} (goods item {use.item})"
             if use.header else f"goods item {use.item}, document {use.code} "
             f"{shown(use.reference)}")
    return Issue(code, f"{where}: {why}", ELEMENT, use.pointer)


def _refusal(use: Use, lic: Licence | None, day: date) -> Issue | None:
    """The first rule the licence breaks for this use, before its amounts."""
    if lic is None:
        return _issue(use, "CW-LIC-UNKNOWN", f"no {use.code} licence with this number is in "
                      "the register; declare the number the agency issued")
    if lic.status != LicenceStatus.VALID:
        return _issue(use, "CW-LIC-SUSPENDED", f"the licence is {lic.status} by agency "
                      f"{lic.agency}")
    if not lic.valid_on(day):
        return _issue(use, "CW-LIC-EXPIRED", f"the licence is valid from {lic.valid_from} to "
                      f"{lic.valid_to}, not on {day}")
    if use.holder != lic.holder:
        return _issue(use, "CW-LIC-HOLDER", f"the licence is held by {lic.holder}, not by "
                      f"{use.holder or 'the party declared'} (importer on an import, exporter "
                      "on an export)")
    if lic.single_use and lic.used:
        return _issue(use, "CW-LIC-USED", "the licence is for a single use and another "
                      "declaration has used it")
    if lic.line_for(use.commodity_code) is None:
        return _issue(use, "CW-LIC-GOODS", f"no line of the licence covers commodity code "
                      f"{use.commodity_code}")
    if lic.countries and use.country not in lic.countries:
        return _issue(use, "CW-LIC-COUNTRY", f"the licence covers {', '.join(lic.countries)}, "
                      f"not {use.country or 'an undeclared country'}")
    return None


def amounts(use: Use, line: LicenceLine) -> tuple[Decimal | None, Decimal | None] | Issue:
    """What the use draws from the line: (quantity, value), or why it cannot be told."""
    quantity = value = None
    if line.quantity is not None:
        in_kg = (line.unit or "").lower() == KG
        quantity = use.quantity if use.quantity is not None else (
            use.net_mass if in_kg else use.supplementary_units)
        if quantity is None:
            return _issue(use, "CW-LIC-AMOUNT", f"the licence counts in {line.unit}: declare "
                          "the document's quantity, or the item's "
                          f"{'net mass' if in_kg else 'supplementary units'}")
    if line.value is not None:
        if use.value is None or use.currency != line.currency:
            return _issue(use, "CW-LIC-AMOUNT", f"the licence counts in {line.currency}: "
                          f"declare the item price with invoice currency {line.currency}")
        value = use.value
    return quantity, value


def check_uses(uses: list[Use], licences: Mapping[tuple[str, str], Licence],
               day: date) -> tuple[list[Draw], list[Issue]]:
    """The draws of the declaration's uses, or the issues that reject it (then no draw)."""
    left: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    draws: list[Draw] = []
    issues: list[Issue] = []
    for use in uses:
        lic = licences.get(use.key)
        refused = _refusal(use, lic, day)
        if refused is not None:
            issues.append(refused)
            continue
        assert lic is not None and lic.id is not None
        line = lic.line_for(use.commodity_code)
        assert line is not None and line.id is not None
        drawn = amounts(use, line)
        if isinstance(drawn, Issue):
            issues.append(drawn)
            continue
        quantity, value = drawn
        q_left, v_left = left.get(line.id, (line.remaining_quantity, line.remaining_value))
        short = [f"{amount} {unit} asked, {have} left" for amount, have, unit in
                 ((quantity, q_left, line.unit), (value, v_left, line.currency))
                 if amount is not None and (have is None or amount > have)]
        if short:
            issues.append(_issue(use, "CW-LIC-EXHAUSTED", f"line {line.line} of the licence "
                                 f"has not enough left: {'; '.join(short)}"))
            continue
        left[line.id] = (q_left if quantity is None or q_left is None else q_left - quantity,
                         v_left if value is None or v_left is None else v_left - value)
        draws.append(Draw(use, lic.id, line.id, quantity, value, left[line.id]))
    return ([] if issues else draws), issues
