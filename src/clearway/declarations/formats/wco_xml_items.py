"""Walking a WCO DEC-DMS declaration: element access that records where every value came
from, and the mapping of parties, documents and goods items onto the canonical shape.

`Walker` reads child elements by local name (the DMS schemas mix the DEC-DMS namespace with
the Declaration_DS one, e.g. `p1:DateTimeString`), records a pointer for every value it
maps, marks what it consumed (the rest is kept as unmapped data) and collects coded issues
instead of raising. `Walker.fill` reads a small table such as
"net_mass=NetNetWeightMeasure:dec tax_base=AdValoremTaxBaseAmount|SpecificTaxBaseQuantity:dec"
(key=path, alternatives separated by |, type text/int/dec/date, attributes as Path@name).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from clearway.declarations.elements import element_of_pointer
from clearway.declarations.formats import MAX_NUMBER_DIGITS
from clearway.declarations.model import MAX_ITEMS
from clearway.errors import DocumentInvalid, Issue

Node = Any  # an lxml element (lxml ships without type information)
Dict = dict[str, Any]

# Elements that the DEC-DMS schema lets repeat: their paths always carry a [n] index.
REPEATABLE = frozenset({
    "AdditionalDocument", "AdditionalInformation", "AEOMutualRecognitionParty", "Amendment",
    "AuthorisationHolder", "Classification", "ConsignmentItem", "CurrencyExchange",
    "DangerousGoods", "DomesticDutyTaxParty", "DutyTaxFee", "GovernmentAgencyGoodsItem",
    "GovernmentProcedure", "Itinerary", "ObligationGuarantee", "Origin", "Packaging", "Pointer",
    "PreviousDocument", "Seal", "TransportEquipment",
})
# XML Schema lexical forms (xs:decimal, xs:integer: a leading "+" is allowed, no exponent)
# in ASCII digits: Python's \d and Decimal() would also take fullwidth or Arabic-Indic digits.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_DATE = re.compile(r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})")

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


def local(node: Node) -> str:
    tag = node.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def own_text(node: Node) -> str:
    """The element's own text, comments and processing instructions left out."""
    return (node.text or "") + "".join(c.tail or "" for c in node if not isinstance(c.tag, str))


def children(node: Node | None, name: str) -> list[Node]:
    """Child elements with this local name (any namespace)."""
    return [] if node is None else [c for c in node if local(c) == name]


def put(target: Dict, key: str, value: Any) -> None:
    if value is not None and value != [] and value != {}:
        target[key] = value


class Walker:
    """Reads values from the XML tree, remembering pointers, consumed nodes and issues."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.issued: set[str] = set()  # canonical pointers that already have an issue
        self.pointers: dict[str, str] = {}
        self.used: set[Node] = set()
        self.used_attrs: set[tuple[Node, str]] = set()
        self._paths: dict[Node, str] = {}
        self._children: dict[Node, dict[str, list[Node]]] = {}

    def path(self, node: Node) -> str:
        """XPath-like location with local names and 1-based indexes on repeatable elements
        (computed once per parent, so that wide documents stay linear)."""
        if node not in self._paths:
            parent = node.getparent()
            if parent is None:
                self._paths[node] = "/" + local(node)
                return self._paths[node]
            base, groups = self.path(parent), self._groups(parent)
            for name, same in groups.items():
                for i, child in enumerate(same, 1):
                    index = f"[{i}]" if name in REPEATABLE or len(same) > 1 else ""
                    self._paths[child] = f"{base}/{name}{index}"
        return self._paths[node]

    def point(self, pointer: str, node: Node) -> None:
        self.pointers[pointer] = self.path(node)

    def _groups(self, node: Node) -> dict[str, list[Node]]:
        if node not in self._children:
            groups: dict[str, list[Node]] = {}
            for child in node:
                if isinstance(child.tag, str):
                    groups.setdefault(local(child), []).append(child)
            self._children[node] = groups
        return self._children[node]

    def kids(self, node: Node | None, name: str) -> list[Node]:
        return [] if node is None else self._groups(node).get(name, [])

    def kid(self, node: Node | None, path: str) -> Node | None:
        for step in path.split("/") if path else ():
            found = self.kids(node, step)
            node = found[0] if found else None
        return node

    def text(self, node: Node | None, path: str = "", pointer: str | None = None, *,
             mark: bool = True) -> str | None:
        leaf = self.kid(node, path)
        value = own_text(leaf).strip() if leaf is not None else ""
        if not value:
            return None
        if mark:
            self.used.add(leaf)
        if pointer:
            self.point(pointer, leaf)
        return value

    def attr(self, node: Node | None, path: str, name: str, pointer: str | None = None
             ) -> str | None:
        leaf = self.kid(node, path)
        value = (leaf.get(name) or "").strip() if leaf is not None else ""
        if not value:
            return None
        self.used_attrs.add((leaf, name))
        if pointer:
            self.pointers[pointer] = f"{self.path(leaf)}/@{name}"
        return value

    def decimal(self, node: Node | None, path: str, pointer: str) -> Decimal | None:
        raw = self.text(node, path, pointer)
        if raw is not None and len(raw) > MAX_NUMBER_DIGITS:  # never a million digits
            self.value_issue(pointer, f"A number has {len(raw)} characters; the limit is "
                             f"{MAX_NUMBER_DIGITS}")
            return None
        if raw is not None and not _DECIMAL.fullmatch(raw):
            self.value_issue(pointer, f"{raw!r} is not a decimal number")
            return None
        return None if raw is None else Decimal(raw)

    def integer(self, node: Node | None, path: str, pointer: str) -> int | None:
        raw = self.text(node, path, pointer)
        if raw is not None and not _INTEGER.fullmatch(raw):
            self.value_issue(pointer, f"{raw!r} is not a whole number")
            return None
        return None if raw is None else int(raw)

    def date(self, node: Node | None, path: str, pointer: str) -> date | None:
        """A WCO date-time (DateTimeString, format 102 CCYYMMDD or 304 CCYYMMDDHHMMSS+zone)."""
        holder = self.kid(node, path)
        raw = self.text(holder, "DateTimeString", pointer) or self.text(holder, "", pointer)
        if raw is None:
            return None
        self.attr(holder, "DateTimeString", "formatCode")
        match = _DATE.match(raw)
        try:
            if match:
                return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
        self.value_issue(pointer, f"{raw!r} is not a date (format 102 or 304)")
        return None

    def fill(self, node: Node | None, base: str, spec: str) -> Dict:
        """The values a spec names (see the module docstring), keyed for the canonical model."""
        out: Dict = {}
        for entry in spec.split():
            key, _, rest = entry.partition("=")
            paths, _, kind = rest.partition(":")
            pointer = f"{base}/{key}"
            for path in paths.split("|"):
                if "@" in path:
                    element, _, name = path.partition("@")
                    value: Any = self.attr(node, element, name, pointer)
                else:
                    read = {"int": self.integer, "dec": self.decimal, "date": self.date}
                    value = read.get(kind, self.text)(node, path, pointer)
                if value is not None:
                    out[key] = value
                    break
        return out

    def issue(self, code: str, pointer: str, message: str, *, node: Node | None = None,
              element: str | None = None) -> None:
        where = self.path(node) if node is not None else self.pointers.get(pointer, pointer)
        self.issued.add(pointer)
        self.issues.append(Issue(code=code, message=message, pointer=where,
                                 element=element or element_of_pointer(pointer)))

    def value_issue(self, pointer: str, message: str) -> None:
        self.issue("CW-SYN-XML-VALUE", pointer, message)


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
