"""Mapping the segments of one CUSDEC message onto canonical fields (see `edifact` for the
table of segments and qualifiers, and docs/formats/edifact.md).

`CusdecReader` walks the message body in order, keeps the header / goods item / summary
section, records a pointer ("segment N (TAG)") for every canonical field it fills, keeps
segments it has no field for as unmapped, and collects coded issues instead of raising.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from pydifact.segments import Segment

from clearway.declarations.elements import element_of_pointer
from clearway.declarations.formats.edifact import (
    COUNTRIES,
    COUNTS,
    DOC_TYPES,
    FUNCTIONS,
    HEADER_GIS,
    IDENTITIES,
    ITEM_GIS,
    ITEM_MASS,
    ITEM_MOA,
    ITEM_PARTIES,
    OFFICES,
    PARTIES,
    Bad,
    at,
    comp,
    integer,
    number,
    required,
    text,
)
from clearway.declarations.formats.edifact_dates import dtm
from clearway.declarations.formats.json_reader import coded
from clearway.declarations.model import (
    MAX_ITEMS,
    CancellationRequest,
    Declaration,
    DeclarationDoc,
)
from clearway.errors import Issue

Dict = dict[str, Any]
_INDEX = re.compile(r"/[0-9]+")
def compact(**fields: Any) -> Dict:
    """The fields that hold a value (0 counts; "", None and {} do not)."""
    return {k: v for k, v in fields.items() if v is not None and v != "" and v != {}}


def de(pointer: str, fallback: str) -> str:
    """The EU data element of a canonical field ("DE x/y"), else the EDIFACT element."""
    return element_of_pointer(_INDEX.sub("/0", pointer)) or fallback  # cached per field


class CusdecReader:
    """Maps the segments of one CUSDEC message (UNH/UNT excluded) onto canonical fields."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        self.pointers: dict[str, str] = {}
        self.unmapped: list[str] = []
        self.head: Dict = {}
        self.items: list[Dict] = []
        self.last: dict[str, Dict] = {}  # the DOC, PAC and TAX that DTM, PCI, MOA, GIS extend
        self.cancel = False
        self.bgm = False
        self.document_number = ""
        self.where = ""
        self.handlers = {"BGM": self._bgm, "DTM": self._dtm, "GIS": self._gis, "LOC": self._loc,
                         "MEA": self._mea, "EQD": self._eqd, "FTX": self._ftx, "RFF": self._rff,
                         "TDT": self._tdt, "NAD": self._nad, "TOD": self._tod, "DOC": self._doc,
                         "CUX": self._cux, "MOA": self._moa, "QTY": self._qty, "PAC": self._pac,
                         "PCI": self._pci, "TAX": self._tax}

    def read(self, segs: list[tuple[int, Segment]], unh_pos: int) -> DeclarationDoc | None:
        self.pointers[""] = at(unh_pos, "UNH")
        items = [pos for pos, seg in segs if seg.tag == "CST"]
        if len(items) > MAX_ITEMS:  # refused before 20,000 items are mapped and validated
            self.issues.append(Issue("CW-RULE-ITEM-LIMIT", f"The message holds {len(items)} "
                                     f"goods items (CST); at most {MAX_ITEMS} are allowed",
                                     "DE 1/6", at(items[MAX_ITEMS], "CST")))
            return None
        section = "header"
        for pos, seg in segs:
            self.where = at(pos, seg.tag)
            try:
                if seg.tag == "UNS":
                    section = self._section(seg, section)
                elif seg.tag == "CST" and section == "detail":
                    self._start_item(seg)
                elif section == "detail" and not self.items:
                    raise Bad("goods item segments must follow a CST segment", "CST")
                elif not self._segment(seg, section):
                    self.unmapped.append(f"{self.where}: {seg.tag}+{comp(seg, 0)}")
            except Bad as bad:
                self.issues.append(Issue("CW-SYN-EDI-SEGMENT", bad.message, bad.element,
                                         self.where))
        if not self.bgm:
            self.issues.append(Issue("CW-SYN-EDI-SEGMENT", "The BGM segment with the LRN is "
                                     "missing", "BGM", self.pointers[""]))
        if self.cancel and self.items:
            self.unmapped.append(f"{self.pointers['/items/0']}: goods items of a cancellation")
        return self._validate() if "lrn" in self.head else None

    def _section(self, seg: Segment, section: str) -> str:
        nxt = {"D": "detail", "S": "summary"}.get(comp(seg, 0))
        order = ["header", "detail", "summary"]
        if nxt is None or order.index(nxt) <= order.index(section):
            raise Bad("UNS must be UNS+D then UNS+S, once each", "0081")
        if nxt == "detail":
            self.pointers["/items"] = self.where
        return nxt

    def mark(self, pointer: str) -> None:
        self.pointers.setdefault(pointer, self.where)

    def put(self, target: Dict, key: str, value: Any, pointer: str) -> None:
        if value is None or value == "":
            return
        if key in target:
            raise Bad(f"{pointer} is given twice", element_of_pointer(pointer))
        target[key] = value
        self.mark(pointer)

    def add(self, target: Dict, key: str, value: Dict, pointer: str, kind: str = "") -> None:
        found = target.setdefault(key, [])
        self.mark(f"{pointer}/{len(found)}")
        found.append(value)
        if kind:
            self.last[kind] = value

    def _segment(self, seg: Segment, section: str) -> bool:
        """Map one segment; False when Clearway has no field for it."""
        if section == "summary":
            field = COUNTS.get(comp(seg, 0)) if seg.tag == "CNT" else None
            if field:
                self.put(self.head, field, integer(comp(seg, 0, 1), de(f"/{field}", "6066")),
                         f"/{field}")
            return field is not None
        item = self.items[-1] if section == "detail" else None
        handler = self.handlers.get(seg.tag)
        return handler(seg, item) if handler else False

    def _target(self, item: Dict | None) -> tuple[Dict, str]:
        return (item, f"/items/{len(self.items) - 1}") if item is not None else (self.head, "")

    # -- header and item segments --------------------------------------------------------
    def _bgm(self, seg: Segment, item: Dict | None) -> bool:
        if item is not None:
            return False
        self.bgm = True
        kind = DOC_TYPES.get(comp(seg, 0))
        if kind is None:
            raise Bad(f"document name code {comp(seg, 0)!r} must be 929, 830 or 914", "DE 1/1")
        function = comp(seg, 2) or "9"
        if function != "1" and function not in FUNCTIONS:
            raise Bad(f"message function {function!r} must be 9, 5 or 1", "1225")
        self.cancel = function == "1"
        self.document_number = comp(seg, 1)
        self.put(self.head, "lrn", required(comp(seg, 1), "The LRN", "DE 2/5"), "/lrn")
        self.put(self.head, "declaration_type", kind, "/declaration_type")
        self.put(self.head, "function_code", FUNCTIONS.get(function, "1"), "/function_code")
        return True

    def _dtm(self, seg: Segment, item: Dict | None) -> bool:
        qualifier = comp(seg, 0)
        if qualifier == "137" and item is None:
            self.put(self.head, "declaration_date", dtm(seg, "2380"), "/declaration_date")
        elif qualifier == "182":
            target, base = self._target(item)
            doc, index = self._last("DOC", target.get("documents", []), "DTM+182")
            pointer = f"{base}/documents/{index}/issue_date"
            self.put(doc, "issue_date", dtm(seg, de(pointer, "2380")), pointer)
        else:
            dtm(seg, "2380")  # kept unmapped, but never as an unreadable date
            return False
        return True

    def _gis(self, seg: Segment, item: Dict | None) -> bool:
        code, qualifier = comp(seg, 0), comp(seg, 0, 1)
        if qualifier in HEADER_GIS or qualifier in ITEM_GIS or qualifier in ("CTR", "MOP"):
            required(code, f"The code for GIS {qualifier}", "7365")
        if item is None and qualifier in HEADER_GIS:
            self.put(self.head, HEADER_GIS[qualifier], code, f"/{HEADER_GIS[qualifier]}")
        elif item is None and qualifier == "CTR":
            if code not in ("0", "1"):
                raise Bad("the container indicator must be 1 or 0", "DE 7/2")
            transport = self.head.setdefault("transport", {})
            self.put(transport, "container", code == "1", "/transport/container")
        elif item is not None and qualifier in ITEM_GIS:
            self.put(item, ITEM_GIS[qualifier], code,
                     f"/items/{len(self.items) - 1}/{ITEM_GIS[qualifier]}")
        elif item is not None and qualifier == "MOP":
            duty, index = self._last("TAX", item.get("duties", []), "GIS+MOP")
            self.put(duty, "payment_method", code,
                     f"/items/{len(self.items) - 1}/duties/{index}/payment_method")
        else:
            return False
        return True

    def _loc(self, seg: Segment, item: Dict | None) -> bool:
        qualifier, place = comp(seg, 0), comp(seg, 1)
        if item is not None:
            if qualifier != "27":
                return False
            key = "preferential_origin_country" if comp(seg, 2) == "PRF" else "origin_country"
            pointer = f"/items/{len(self.items) - 1}/{key}"
            self.put(item, key, required(place, "The country", de(pointer, "3225")), pointer)
        elif qualifier in OFFICES:
            offices = self.head.setdefault("offices", {})
            pointer = f"/offices/{OFFICES[qualifier]}"
            self.put(offices, OFFICES[qualifier],
                     required(place, "The office", de(pointer, "3225")), pointer)
        elif qualifier in COUNTRIES:
            pointer = f"/{COUNTRIES[qualifier]}"
            self.put(self.head, COUNTRIES[qualifier],
                     required(place, "The country", de(pointer, "3225")), pointer)
        elif qualifier == "14":
            location = compact(code=place, qualifier=comp(seg, 1, 1), type=comp(seg, 2),
                               country=comp(seg, 3))
            self.put(self.head, "goods_location", location or None, "/goods_location")
        else:
            return False
        return True

    def _mea(self, seg: Segment, item: Dict | None) -> bool:
        kind = comp(seg, 1)
        field = ITEM_MASS.get(kind) if item is not None else (
            "total_gross_mass" if kind == "AAD" else None)
        if comp(seg, 0) != "WT" or field is None:
            return False
        target, base = self._target(item)
        element = de(f"{base}/{field}", "6314")
        if comp(seg, 2) != "KGM":
            raise Bad("masses must be given in kilograms (C174/6411 KGM)", element)
        self.put(target, field, number(comp(seg, 2, 1), element), f"{base}/{field}")
        return True

    def _eqd(self, seg: Segment, item: Dict | None) -> bool:
        if comp(seg, 0) != "CN":
            return False
        target, base = self._target(item)
        if item is None:
            target, base = self.head.setdefault("transport", {}), "/transport"
        found = target.setdefault("container_ids", [])
        self.mark(f"{base}/container_ids/{len(found)}")
        found.append(required(comp(seg, 1), "The container number",
                              de(f"{base}/container_ids", "8260")))
        return True

    def _ftx(self, seg: Segment, item: Dict | None) -> bool:
        qualifier, body = comp(seg, 0), text(seg, 3)
        target, base = self._target(item)
        if qualifier == "AAA" and item is not None:
            self.put(item, "description", required(body or "", "The description", "DE 6/8"),
                     f"{base}/description")
        elif qualifier == "ACB":
            self.add(target, "additional_information",
                     compact(code=comp(seg, 2), text=body),
                     f"{base}/additional_information")
        elif qualifier == "ACD" and item is None:
            self.put(self.head, "_reason_code", comp(seg, 2), "/reason_code")
            self.put(self.head, "_reason", body, "/reason")
            self.mark("/amendment_reason")
        else:
            return False
        return True

    def _rff(self, seg: Segment, item: Dict | None) -> bool:
        qualifier, ref = comp(seg, 0), comp(seg, 0, 1)
        target, base = self._target(item)
        if qualifier == "AEI":
            line = comp(seg, 0, 2)
            self.add(target, "previous_documents", compact(
                reference=required(ref, "The previous document reference", "DE 2/1"),
                line=integer(line, "DE 2/1") if line else None,
                type=required(comp(seg, 0, 3), "The previous document type", "DE 2/1"),
                category=comp(seg, 0, 4)), f"{base}/previous_documents")
        elif item is not None:
            return False
        elif qualifier in ("ABT", "ACW"):
            self.put(self.head, f"_{qualifier}", required(ref, "The MRN", "1154"), "/mrn")
            self.mark("/amends_mrn")
        elif qualifier == "ABL":
            guarantee = compact(reference=ref, type=comp(seg, 0, 3))
            self.put(self.head, "guarantee", guarantee or None, "/guarantee")
        elif qualifier == "ZZZ":
            self.add(self.head, "authorisations", compact(
                type=required(comp(seg, 0, 3), "The authorisation type", "DE 3/39"),
                holder_id=ref), "/authorisations")
        else:
            return False
        return True

    def _tdt(self, seg: Segment, item: Dict | None) -> bool:
        stage, mode = comp(seg, 0), comp(seg, 2)
        if item is not None or stage not in ("1", *IDENTITIES):
            return False
        transport = self.head.setdefault("transport", {})
        mode_key = "inland_mode" if stage == "1" else "mode_at_border" if stage == "11" else ""
        if mode_key:
            self.put(transport, mode_key, mode, f"/transport/{mode_key}")
        if stage in IDENTITIES:
            self.put(transport, IDENTITIES[stage], comp(seg, 7, 3),
                     f"/transport/{IDENTITIES[stage]}")
        if stage == "11":
            self.put(transport, "border_nationality", comp(seg, 7, 4),
                     "/transport/border_nationality")
        return True

    def _nad(self, seg: Segment, item: Dict | None) -> bool:
        role = (ITEM_PARTIES if item is not None else PARTIES).get(comp(seg, 0))
        if role is None:
            return False
        address = compact(street=text(seg, 4), city=comp(seg, 5), postcode=comp(seg, 7),
                          country=comp(seg, 8))
        party = compact(id=comp(seg, 1), name=text(seg, 3), address=address)
        target, base = self._target(item)
        if not party:
            raise Bad("a party needs an identification number or a name",
                      de(f"{base}/{role}", "3039"))
        self.put(target, role, party, f"{base}/{role}")
        return True

    def _tod(self, seg: Segment, item: Dict | None) -> bool:
        if item is not None:
            return False
        terms = compact(incoterm=comp(seg, 2), place=text(seg, 2, 3))
        self.put(self.head, "delivery_terms", terms or None, "/delivery_terms")
        return True

    def _doc(self, seg: Segment, item: Dict | None) -> bool:
        target, base = self._target(item)
        self.add(target, "documents", compact(
            code=required(comp(seg, 0), "The document code", "DE 2/3"), name=comp(seg, 0, 3),
            reference=comp(seg, 1), status=comp(seg, 1, 1)), f"{base}/documents", "DOC")
        return True

    def _cux(self, seg: Segment, item: Dict | None) -> bool:
        if item is not None:
            return False
        self.put(self.head, "invoice_currency", comp(seg, 0, 1), "/invoice_currency")
        rate = comp(seg, 2)
        self.put(self.head, "exchange_rate", number(rate, "DE 4/15") if rate else None,
                 "/exchange_rate")
        return True

    def _moa(self, seg: Segment, item: Dict | None) -> bool:
        qualifier, amount = comp(seg, 0), comp(seg, 0, 1)
        if item is None and qualifier == "39":
            self.put(self.head, "invoice_amount", number(amount, "DE 4/11"), "/invoice_amount")
        elif item is not None and qualifier in ITEM_MOA:
            base = f"/items/{len(self.items) - 1}"
            pointer = f"{base}/{ITEM_MOA[qualifier]}"
            value = number(amount, de(pointer, "5004")) if amount or qualifier != "38" else None
            self.put(item, ITEM_MOA[qualifier], value, pointer)
            if qualifier == "38":
                self.put(item, "item_price_currency", comp(seg, 0, 2),
                         f"{base}/item_price_currency")
        elif item is not None and qualifier == "161":
            duty, index = self._last("TAX", item.get("duties", []), "MOA+161")
            self.put(duty, "amount", number(amount, "DE 4/6"),
                     f"/items/{len(self.items) - 1}/duties/{index}/amount")
        else:
            return False
        return True

    # -- goods item segments -------------------------------------------------------------
    def _start_item(self, seg: Segment) -> None:
        item: Dict = {}
        self.items.append(item)
        base = f"/items/{len(self.items) - 1}"
        self.mark(base)
        self.put(item, "sequence", integer(comp(seg, 0), "DE 1/6"), f"{base}/sequence")
        self.put(item, "commodity_code", required(comp(seg, 1), "The commodity code",
                                                  "DE 6/14"), f"{base}/commodity_code")
        procedure = comp(seg, 2)
        if procedure:
            if len(procedure) != 4:
                raise Bad("the procedure must be 4 characters: requested + previous", "DE 1/10")
            additional = [comp(seg, i) for i in range(3, len(seg.elements)) if comp(seg, i)]
            self.put(item, "procedure", {"requested": procedure[:2], "previous": procedure[2:],
                                         "additional": additional}, f"{base}/procedure")

    def _qty(self, seg: Segment, item: Dict | None) -> bool:
        if item is None or comp(seg, 0) != "1":
            return False
        self.put(item, "supplementary_units", number(comp(seg, 0, 1), "DE 6/2"),
                 f"/items/{len(self.items) - 1}/supplementary_units")
        return True

    def _pac(self, seg: Segment, item: Dict | None) -> bool:
        if item is None:
            return False
        count = comp(seg, 0)
        self.add(item, "packages", compact(count=integer(count, "DE 6/10") if count else None,
                                           kind=comp(seg, 2)),
                 f"/items/{len(self.items) - 1}/packages", "PAC")
        return True

    def _pci(self, seg: Segment, item: Dict | None) -> bool:
        if item is None:
            return False
        package, index = self._last("PAC", item.get("packages", []), "PCI")
        self.put(package, "marks", text(seg, 1),
                 f"/items/{len(self.items) - 1}/packages/{index}/marks")
        return True

    def _tax(self, seg: Segment, item: Dict | None) -> bool:
        if item is None:
            return False
        base, rate = comp(seg, 3), comp(seg, 4, 3)
        self.add(item, "duties", compact(
            tax_type=comp(seg, 1), tax_base=number(base, "DE 4/4") if base else None,
            preference=comp(seg, 4), rate=number(rate, "DE 4/5") if rate else None),
            f"/items/{len(self.items) - 1}/duties", "TAX")
        return True

    def _last(self, tag: str, group: list[Dict], what: str) -> tuple[Dict, int]:
        """The latest DOC, PAC or TAX of this header or item, that `what` adds to."""
        found = self.last.get(tag)
        for index, entry in enumerate(group):
            if entry is found:
                return entry, index
        raise Bad(f"{what} must follow a {tag} segment", tag)

    # -- the canonical document ----------------------------------------------------------
    def _validate(self) -> DeclarationDoc | None:
        head = self.head
        mrn = head.pop("_ABT", None) or head.pop("_ACW", None)
        reason, reason_code = head.pop("_reason", None), head.pop("_reason_code", None)
        fields: Dict
        if self.cancel:
            fields = {"lrn": head.get("lrn"), "mrn": mrn, "declarant": head.get("declarant"),
                      "reason_code": reason_code, "reason": reason}
            model: type[DeclarationDoc] = CancellationRequest
        else:
            fields = {**head, "items": self.items, "amends_mrn": mrn,
                      "amendment_reason": reason or reason_code}
            model = Declaration
        fields = {k: v for k, v in fields.items() if v is not None}
        try:
            return model.model_validate(fields)
        except ValidationError as exc:
            flagged = {issue.pointer for issue in self.issues}
            for err in exc.errors(include_url=False):
                pointer = "".join(f"/{part}" for part in err["loc"])
                where = self._pointer(pointer)
                if where not in flagged:  # that segment already has its own issue
                    code, message = coded(err)
                    self.issues.append(Issue(code, message, element_of_pointer(pointer), where))
            return None

    def _pointer(self, pointer: str) -> str:
        """The segment of a canonical pointer, its closest recorded ancestor, else BGM."""
        probe = pointer
        while probe and probe not in self.pointers:
            probe = probe.rsplit("/", 1)[0]
        return self.pointers[probe] if probe else self.pointers.get("/lrn", self.pointers[""])
