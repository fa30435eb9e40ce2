"""CUSDEC segments of goods and money: CST (starts a goods item), MEA (masses), QTY
(supplementary units), MOA (amounts and values), CUX (currency and rate), PAC and PCI
(packages) and TAX (duties).

Each mapping fills `CusdecFields` and answers False when Clearway has no field for the
segment (it is then kept as unmapped); a value it cannot read raises `BadValue`.
"""

from __future__ import annotations

from pydifact.segments import Segment

from clearway.declarations.formats.edifact_codes import ITEM_MASS, ITEM_MOA
from clearway.declarations.formats.edifact_fields import CusdecFields, Dict, compact, de
from clearway.edifact.values import BadValue, comp, integer, number, required, text


def start_item(msg: CusdecFields, seg: Segment) -> None:
    item: Dict = {}
    msg.items.append(item)
    base = f"/items/{len(msg.items) - 1}"
    msg.mark(base)
    msg.put(item, "sequence", integer(comp(seg, 0), "DE 1/6"), f"{base}/sequence")
    msg.put(item, "commodity_code", required(comp(seg, 1), "The commodity code",
                                              "DE 6/14"), f"{base}/commodity_code")
    procedure = comp(seg, 2)
    if procedure:
        if len(procedure) != 4:
            raise BadValue("the procedure must be 4 characters: requested + previous", "DE 1/10")
        additional = [comp(seg, i) for i in range(3, len(seg.elements)) if comp(seg, i)]
        msg.put(item, "procedure", {"requested": procedure[:2], "previous": procedure[2:],
                                     "additional": additional}, f"{base}/procedure")


def mea(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    kind = comp(seg, 1)
    field = ITEM_MASS.get(kind) if item is not None else (
        "total_gross_mass" if kind == "AAD" else None)
    if comp(seg, 0) != "WT" or field is None:
        return False
    target, base = msg.target(item)
    element = de(f"{base}/{field}", "6314")
    if comp(seg, 2) != "KGM":
        raise BadValue("masses must be given in kilograms (C174/6411 KGM)", element)
    msg.put(target, field, number(comp(seg, 2, 1), element), f"{base}/{field}")
    return True


def qty(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    if item is None or comp(seg, 0) != "1":
        return False
    msg.put(item, "supplementary_units", number(comp(seg, 0, 1), "DE 6/2"),
            f"/items/{len(msg.items) - 1}/supplementary_units")
    return True


def moa(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    qualifier, amount = comp(seg, 0), comp(seg, 0, 1)
    if item is None and qualifier == "39":
        msg.put(msg.head, "invoice_amount", number(amount, "DE 4/11"), "/invoice_amount")
    elif item is not None and qualifier in ITEM_MOA:
        base = f"/items/{len(msg.items) - 1}"
        pointer = f"{base}/{ITEM_MOA[qualifier]}"
        value = number(amount, de(pointer, "5004")) if amount or qualifier != "38" else None
        msg.put(item, ITEM_MOA[qualifier], value, pointer)
        if qualifier == "38":
            msg.put(item, "item_price_currency", comp(seg, 0, 2),
                    f"{base}/item_price_currency")
    elif item is not None and qualifier == "161":
        duty, index = msg.latest("TAX", item.get("duties", []), "MOA+161")
        msg.put(duty, "amount", number(amount, "DE 4/6"),
                f"/items/{len(msg.items) - 1}/duties/{index}/amount")
    else:
        return False
    return True


def cux(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    if item is not None:
        return False
    msg.put(msg.head, "invoice_currency", comp(seg, 0, 1), "/invoice_currency")
    rate = comp(seg, 2)
    msg.put(msg.head, "exchange_rate", number(rate, "DE 4/15") if rate else None,
            "/exchange_rate")
    return True


def pac(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    if item is None:
        return False
    count = comp(seg, 0)
    msg.add(item, "packages", compact(count=integer(count, "DE 6/10") if count else None,
                                       kind=comp(seg, 2)),
            f"/items/{len(msg.items) - 1}/packages", "PAC")
    return True


def pci(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    if item is None:
        return False
    package, index = msg.latest("PAC", item.get("packages", []), "PCI")
    msg.put(package, "marks", text(seg, 1),
            f"/items/{len(msg.items) - 1}/packages/{index}/marks")
    return True


def tax(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    if item is None:
        return False
    base, rate = comp(seg, 3), comp(seg, 4, 3)
    msg.add(item, "duties", compact(
        tax_type=comp(seg, 1), tax_base=number(base, "DE 4/4") if base else None,
        preference=comp(seg, 4), rate=number(rate, "DE 4/5") if rate else None),
        f"/items/{len(msg.items) - 1}/duties", "TAX")
    return True
