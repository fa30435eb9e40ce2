"""Goods-item rules of a full declaration (kept apart to keep each file readable)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clearway.declarations.model import Declaration, GoodsItem
from clearway.declarations.validation_checks import (
    container_issues,
    country_issues,
    currency_problem,
    described,
    document_issues,
    issue,
    item_numbers,
    listed,
    package_issues,
    party_issues,
    zero_issues,
)
from clearway.errors import Issue
from clearway.refdata.model import RefDataSnapshot

# Additional declaration types (DE 1/2) of simplified declarations, which may omit elements
# that the supplementary declaration gives later.
SIMPLIFIED_TYPES = frozenset({"B", "C", "E", "F", "R", "S"})
# Masses are rounded per item (to whole kilograms above 1 kg): the items' sum may exceed the
# declared total by this much per item (and once for the total) before it is an error.
MASS_ROUNDING = Decimal("0.5")
# Item figures that are never 0 when given (item price may be: goods free of charge).
NON_ZERO = ("net_mass", "gross_mass", "supplementary_units", "customs_value")
# Invoice total and the sum of item prices may differ by rounding and charges up to this.
INVOICE_TOLERANCE = Decimal("0.01")
# Requested procedures for which the item price is the basis of the customs value.
PRICED_PROCEDURES = frozenset({"40"})


def check_items(doc: Declaration, ref: RefDataSnapshot, on: date) -> list[Issue]:
    out: list[Issue] = []
    if not doc.items:
        # An amendment may change the header only; an original must carry goods.
        if doc.amends_mrn is None:
            out.append(issue("CW-RULE-NO-ITEMS", "/items",
                             "A declaration must carry at least one goods item"))
        return out
    if doc.item_count is not None and doc.item_count != len(doc.items):
        out.append(issue("CW-RULE-ITEM-COUNT", "/item_count",
                         f"Declared {doc.item_count} items but {len(doc.items)} are present"))
    out += item_numbers(doc.items)
    for i, item in enumerate(doc.items):
        out += _item(doc, item, f"/items/{i}", ref, on)
    out += _total_mass(doc)
    counts = [p.count for it in doc.items for p in it.packages if p.count is not None]
    if doc.total_packages is not None and counts and sum(counts) != doc.total_packages:
        out.append(issue("CW-RULE-PACKAGES", "/total_packages",
                         f"Total packages {doc.total_packages} but items sum to {sum(counts)}"))
    prices = [it.item_price for it in doc.items]
    same_currency = all(
        it.item_price_currency in (None, doc.invoice_currency) for it in doc.items
    )
    if doc.invoice_amount is not None and same_currency and all(p is not None for p in prices):
        total = sum((p for p in prices if p is not None), Decimal(0))
        if abs(total - doc.invoice_amount) > max(INVOICE_TOLERANCE * doc.invoice_amount,
                                                 Decimal("1")):
            out.append(issue("CW-RULE-INVOICE-TOTAL", "/invoice_amount",
                             f"Invoice total {doc.invoice_amount} but item prices sum to "
                             f"{total}"))
    return out


def _item(doc: Declaration, item: GoodsItem, ptr: str, ref: RefDataSnapshot,
          on: date) -> list[Issue]:
    out: list[Issue] = []
    simplified = (doc.additional_type or "A") in SIMPLIFIED_TYPES
    if not item.commodity_code:
        if not simplified:
            out.append(issue("CW-RULE-REQUIRED", f"{ptr}/commodity_code",
                             "A standard declaration needs the commodity code (DE 6/14)"))
    elif not ref.commodity_valid(item.commodity_code, on):
        out.append(issue("CW-CODE-COMMODITY", f"{ptr}/commodity_code",
                         f"{item.commodity_code!r} is not in the nomenclature on {on}"))
    out += country_issues(item.origin_country, f"{ptr}/origin_country", ref, on)
    out += country_issues(item.preferential_origin_country, f"{ptr}/preferential_origin_country",
                          ref, on)
    if doc.declaration_type == "IM" and not simplified and not (
            item.origin_country or item.preferential_origin_country):
        out.append(issue("CW-RULE-REQUIRED", f"{ptr}/origin_country",
                         "An import item needs its country of origin (DE 5/15)"))
    if item.net_mass is not None and item.gross_mass is not None and (
        item.net_mass > item.gross_mass
    ):
        out.append(issue("CW-RULE-MASS", f"{ptr}/net_mass",
                         f"Net mass {item.net_mass} exceeds gross mass {item.gross_mass}"))
    if item.procedure is None:
        if doc.declaration_type in ("IM", "EX"):
            out.append(issue("CW-RULE-REQUIRED", f"{ptr}/procedure",
                             "Each item needs its procedure code (DE 1/10)"))
    else:
        pair = item.procedure.requested + item.procedure.previous
        if not ref.procedure_valid(pair, "requested_previous", on):
            out.append(issue("CW-CODE-PROCEDURE", f"{ptr}/procedure/requested",
                             f"Unknown procedure {pair!r}"))
        for j, extra in enumerate(item.procedure.additional):
            if not ref.procedure_valid(extra, "additional", on):
                out.append(issue("CW-CODE-PROCEDURE", f"{ptr}/procedure/additional/{j}",
                                 f"Unknown additional procedure {extra!r}"))
        if item.procedure.requested in PRICED_PROCEDURES and item.customs_value is None:
            if item.item_price is None:
                out.append(issue("CW-RULE-REQUIRED", f"{ptr}/item_price",
                                 "Release for free circulation needs the item price "
                                 "(DE 4/14)"))
            elif item.item_price == 0:
                out.append(issue("CW-RULE-ZERO", f"{ptr}/item_price",
                                 "Item price is 0 and no customs value is given: release "
                                 "for free circulation needs one of them (DE 4/14)"))
    if item.item_price_currency and (
            problem := currency_problem(item.item_price_currency, ref, on)):
        out.append(issue("CW-CODE-CURRENCY", f"{ptr}/item_price_currency", problem))
    out += described(item.description, f"{ptr}/description")
    out += package_issues(item.packages, f"{ptr}/packages", ref, on)
    out += document_issues(item.documents, f"{ptr}/documents", ref, on)
    out += zero_issues(item, NON_ZERO, ptr)
    out += container_issues(listed(item.container_ids, f"{ptr}/container_ids"))
    out += party_issues(item.exporter, f"{ptr}/exporter", ref, on,
                        registered=doc.declaration_type == "EX")
    out += party_issues(item.consignee, f"{ptr}/consignee", ref, on)
    return out


def _total_mass(doc: Declaration) -> list[Issue]:
    """DE 6/5 at header level covers every item: it cannot be less than their sum."""
    masses = [it.gross_mass for it in doc.items if it.gross_mass is not None]
    if doc.total_gross_mass is None or not masses:
        return []
    total = sum(masses, Decimal(0))
    if total - doc.total_gross_mass <= MASS_ROUNDING * (len(masses) + 1):
        return []
    return [issue("CW-RULE-TOTAL-MASS", "/total_gross_mass",
                  f"Total gross mass {doc.total_gross_mass} kg is less than the items' gross "
                  f"masses, which sum to {total} kg")]
