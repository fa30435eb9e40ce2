"""The parties, documents, statements and goods items of a WCO DEC-DMS declaration, mapped
onto the canonical shape with a `Walker` (each spec below is a `Walker.fill` table)."""

from __future__ import annotations

from collections.abc import Callable

from clearway.declarations.formats.wco_xml_walker import Dict, Node, Walker, put
from clearway.declarations.model import MAX_ITEMS
from clearway.errors import DocumentInvalid, Issue

ADDRESS = "street=Line city=CityName postcode=PostcodeID country=CountryCode"
DOCUMENT = ("reference=ID status=LPCOExemptionCode name=Name issue_date=EffectiveDateTime:date "
            "quantity=WriteOff/QuantityQuantity:dec")
PREVIOUS = "category=CategoryCode type=TypeCode reference=ID line=LineNumeric:int"
STATEMENT = "code=StatementCode|StatementTypeCode text=StatementDescription"
ITEM = ("sequence=SequenceNumeric:int statistical_value=StatisticalValueAmount:dec "
        "customs_value=CustomsValueAmount:dec valuation_method=CustomsValuation/MethodCode "
        "valuation_indicators=ValuationAdjustment/AdditionCode")
COMMODITY = ("net_mass=GoodsMeasure/NetNetWeightMeasure:dec "
             "gross_mass=GoodsMeasure/GrossMassMeasure:dec "
             "supplementary_units=GoodsMeasure/TariffQuantity:dec "
             "item_price=InvoiceLine/ItemChargeAmount:dec "
             "item_price_currency=InvoiceLine/ItemChargeAmount@currencyID")
PACKAGE = "kind=TypeCode count=QuantityQuantity:int marks=MarksNumbersID"
DUTY = ("tax_type=TypeCode preference=DutyRegimeCode rate=TaxRateNumeric:dec "
        "tax_base=AdValoremTaxBaseAmount|SpecificTaxBaseQuantity:dec "
        "amount=Payment/TaxAssessedAmount|Payment/PaymentAmount:dec "
        "payment_method=Payment/MethodCode")


# -- parties, documents, statements ---------------------------------------------------------
def party(w: Walker, node: Node | None, pointer: str) -> Dict | None:
    """A party (ID, Name, Address); None when the element is absent or carries none."""
    out = w.fill(node, pointer, "id=ID name=Name")
    address = w.kid(node, "Address")
    put(out, "address", w.fill(address, f"{pointer}/address", ADDRESS))
    if "address" in out:
        w.point(f"{pointer}/address", address)
    if out:
        w.point(pointer, node)
    return out or None


def listed(w: Walker, parent: Node | None, tag: str, base: str, spec: str,
           required: tuple[str, ...] = (), skip: Callable[[Node], bool] | None = None
           ) -> list[Dict]:
    """Every `tag` child read with `spec` (but those `skip` names); entries lacking a
    required key are issues."""
    out: list[Dict] = []
    for node in w.kids(parent, tag):
        if skip is not None and skip(node):
            continue
        pointer = f"{base}/{len(out)}"
        found = w.fill(node, pointer, spec)
        missing = [key for key in required if key not in found]
        if missing:
            w.issue("CW-SYN-SCHEMA", f"{pointer}/{missing[0]}", f"{tag} lacks its "
                    f"{', '.join(missing)}", node=node)
        elif found:
            w.point(pointer, node)
            out.append(found)
    return out


def documents(w: Walker, parent: Node | None, base: str) -> list[Dict]:
    """DE 2/3 AdditionalDocument: code = CategoryCode + TypeCode (e.g. N935, C506)."""
    out: list[Dict] = []
    for node in w.kids(parent, "AdditionalDocument"):
        pointer = f"{base}/{len(out)}"
        code = "".join(filter(None, (w.text(node, "CategoryCode", f"{pointer}/code"),
                                     w.text(node, "TypeCode", f"{pointer}/code"))))
        if not code:
            w.issue("CW-SYN-SCHEMA", f"{pointer}/code", "The document has neither "
                    "CategoryCode nor TypeCode", node=node)
            continue
        w.point(pointer, node)
        out.append({"code": code, **w.fill(node, pointer, DOCUMENT)})
    return out


def previous_documents(w: Walker, parent: Node | None, base: str) -> list[Dict]:
    """DE 2/1 PreviousDocument: category (X/Y/Z), type, reference, goods item line."""
    return listed(w, parent, "PreviousDocument", base, PREVIOUS, ("type", "reference"))


def statements(w: Walker, parent: Node | None, base: str,
               skip: Callable[[Node], bool] | None = None) -> list[Dict]:
    """DE 2/2 AdditionalInformation: StatementCode (or StatementTypeCode) and description."""
    return listed(w, parent, "AdditionalInformation", base, STATEMENT, skip=skip)


def equipment_ids(w: Walker, parent: Node | None, base: str) -> list[str]:
    """DE 7/10 TransportEquipment/ID, in document order."""
    out: list[str] = []
    for node in w.kids(parent, "TransportEquipment"):
        found = w.text(node, "ID", f"{base}/{len(out)}")
        if found:
            w.text(node, "SequenceNumeric")
            out.append(found)
    return out


def seal_ids(w: Walker, parent: Node | None, base: str) -> list[str]:
    """DE 7/18 TransportEquipment/Seal/ID of every container, in document order."""
    out: list[str] = []
    for node in w.kids(parent, "TransportEquipment"):
        for seal in w.kids(node, "Seal"):
            found = w.text(seal, "ID", f"{base}/{len(out)}")
            if found:
                w.text(seal, "SequenceNumeric")
                out.append(found)
    return out


# -- goods items ------------------------------------------------------------------------------
def goods_items(w: Walker, shipment: Node | None) -> list[Dict]:
    nodes = w.kids(shipment, "GovernmentAgencyGoodsItem")
    if len(nodes) > MAX_ITEMS:  # refused before 20,000 items are mapped and validated
        raise DocumentInvalid([Issue("CW-RULE-ITEM-LIMIT", f"The declaration holds "
                                     f"{len(nodes)} goods items; at most {MAX_ITEMS} are "
                                     "allowed", "DE 1/6", w.path(nodes[MAX_ITEMS]))])
    return [_item(w, node, f"/items/{i}") for i, node in enumerate(nodes)]


def _item(w: Walker, node: Node, ptr: str) -> Dict:
    w.point(ptr, node)
    commodity = w.kid(node, "Commodity")
    item = w.fill(node, ptr, ITEM)
    if "sequence" not in item and w.kid(node, "SequenceNumeric") is None:
        w.issue("CW-SYN-SCHEMA", f"{ptr}/sequence", "The goods item has no SequenceNumeric",
                node=node)
    item["commodity_code"] = _commodity_code(w, commodity, ptr)
    item["description"] = w.text(commodity, "Description", f"{ptr}/description") or ""
    item.update(w.fill(commodity, ptr, COMMODITY))
    _origins(w, node, ptr, item)
    put(item, "procedure", _procedure(w, node, ptr))
    put(item, "packages", listed(w, node, "Packaging", f"{ptr}/packages", PACKAGE))
    for pkg in w.kids(node, "Packaging"):
        w.text(pkg, "SequenceNumeric")
    put(item, "documents", documents(w, node, f"{ptr}/documents"))
    put(item, "previous_documents", previous_documents(w, node, f"{ptr}/previous_documents"))
    put(item, "additional_information", statements(w, node, f"{ptr}/additional_information"))
    put(item, "duties", listed(w, commodity, "DutyTaxFee", f"{ptr}/duties", DUTY))
    put(item, "consignee", party(w, w.kid(node, "Consignee"), f"{ptr}/consignee"))
    put(item, "container_ids", equipment_ids(w, commodity, f"{ptr}/container_ids"))
    return item


def _commodity_code(w: Walker, commodity: Node | None, ptr: str) -> str:
    """CN8 (TSP) followed by the TARIC subdivision (TRC); other codes stay apart."""
    by_type: dict[str, Node] = {}
    for cls in w.kids(commodity, "Classification"):
        kind = w.text(cls, "IdentificationTypeCode", mark=False)
        if kind in ("TSP", "TRC") and w.text(cls, "ID", mark=False):
            by_type.setdefault(kind, cls)
    if "TSP" not in by_type:
        return ""
    parts = [by_type[k] for k in ("TSP", "TRC") if k in by_type]
    for cls in parts:
        w.text(cls, "IdentificationTypeCode")
    return "".join(w.text(cls, "ID", f"{ptr}/commodity_code" if cls is parts[0] else None)
                   or "" for cls in parts)


def additional_codes(w: Walker, commodity: Node | None) -> list[Dict]:
    """DE 6/16-6/17 TARIC and national additional codes (TRA, GN...): no canonical field."""
    out: list[Dict] = []
    for cls in w.kids(commodity, "Classification"):
        kind = w.text(cls, "IdentificationTypeCode", mark=False)
        if kind not in ("TSP", "TRC") and w.text(cls, "ID", mark=False):
            w.text(cls, "IdentificationTypeCode")
            out.append({"type": kind, "code": w.text(cls, "ID"), "pointer": w.path(cls)})
    return out


def _origins(w: Walker, node: Node, ptr: str, item: Dict) -> None:
    """Origin TypeCode 1 (or none): DE 5/15 non-preferential; 2: DE 5/16 preferential."""
    for origin in w.kids(node, "Origin"):
        kind = w.text(origin, "TypeCode", mark=False) or "1"
        key = {"1": "origin_country", "2": "preferential_origin_country"}.get(kind)
        if key is not None and key not in item:
            put(item, key, w.text(origin, "CountryCode", f"{ptr}/{key}"))
            w.text(origin, "TypeCode")


def _procedure(w: Walker, node: Node, ptr: str) -> Dict | None:
    """DE 1/10 (CurrentCode+PreviousCode, four characters) and DE 1/11 (three characters)."""
    found: Dict = {"additional": []}
    for gp in w.kids(node, "GovernmentProcedure"):
        current = w.text(gp, "CurrentCode", mark=False) or ""
        before = w.text(gp, "PreviousCode", mark=False)
        pair = current + (before or "")
        if "requested" not in found and len(pair) == 4 and len(current) in (2, 4):
            found.update(requested=pair[:2], previous=pair[2:])
            w.text(gp, "CurrentCode", f"{ptr}/procedure/requested")
            w.text(gp, "PreviousCode" if before else "CurrentCode", f"{ptr}/procedure/previous")
            w.point(f"{ptr}/procedure", gp)
        elif len(current) == 3 and before is None:
            w.text(gp, "CurrentCode", f"{ptr}/procedure/additional/{len(found['additional'])}")
            found["additional"].append(current)
    return found if "requested" in found else None
