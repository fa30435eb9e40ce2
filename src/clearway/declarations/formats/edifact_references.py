"""CUSDEC segments that identify and qualify the declaration, in the header or a goods
item: BGM (type, LRN, function), DTM (dates), GIS (coded indicators), FTX (texts), RFF
(references: MRN, previous documents, guarantee, authorisations) and DOC (documents).

Each mapping fills `CusdecFields` and answers False when Clearway has no field for the
segment (it is then kept as unmapped); a value it cannot read raises `BadValue`.
"""

from __future__ import annotations

from pydifact.segments import Segment

from clearway.declarations.formats.edifact_codes import DOC_TYPES, FUNCTIONS, HEADER_GIS, ITEM_GIS
from clearway.declarations.formats.edifact_fields import CusdecFields, Dict, compact, de
from clearway.edifact.dates import read_date
from clearway.edifact.values import BadValue, comp, integer, required, text


def bgm(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    if item is not None:
        return False
    msg.bgm = True
    kind = DOC_TYPES.get(comp(seg, 0))
    if kind is None:
        raise BadValue(f"document name code {comp(seg, 0)!r} must be 929, 830 or 914", "DE 1/1")
    function = comp(seg, 2) or "9"
    if function != "1" and function not in FUNCTIONS:
        raise BadValue(f"message function {function!r} must be 9, 5 or 1", "1225")
    msg.cancel = function == "1"
    msg.document_number = comp(seg, 1)
    msg.put(msg.head, "lrn", required(comp(seg, 1), "The LRN", "DE 2/5"), "/lrn")
    msg.put(msg.head, "declaration_type", kind, "/declaration_type")
    msg.put(msg.head, "function_code", FUNCTIONS.get(function, "1"), "/function_code")
    return True


def dtm(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    qualifier = comp(seg, 0)
    if qualifier == "137" and item is None:
        msg.put(msg.head, "declaration_date", read_date(seg, "2380"), "/declaration_date")
    elif qualifier == "182":
        target, base = msg.target(item)
        doc, index = msg.latest("DOC", target.get("documents", []), "DTM+182")
        pointer = f"{base}/documents/{index}/issue_date"
        msg.put(doc, "issue_date", read_date(seg, de(pointer, "2380")), pointer)
    else:
        read_date(seg, "2380")  # kept unmapped, but never as an unreadable date
        return False
    return True


def gis(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    code, qualifier = comp(seg, 0), comp(seg, 0, 1)
    if qualifier in HEADER_GIS or qualifier in ITEM_GIS or qualifier in ("CTR", "MOP"):
        required(code, f"The code for GIS {qualifier}", "7365")
    if item is None and qualifier in HEADER_GIS:
        msg.put(msg.head, HEADER_GIS[qualifier], code, f"/{HEADER_GIS[qualifier]}")
    elif item is None and qualifier == "CTR":
        if code not in ("0", "1"):
            raise BadValue("the container indicator must be 1 or 0", "DE 7/2")
        transport = msg.head.setdefault("transport", {})
        msg.put(transport, "container", code == "1", "/transport/container")
    elif item is not None and qualifier in ITEM_GIS:
        msg.put(item, ITEM_GIS[qualifier], code,
                f"/items/{len(msg.items) - 1}/{ITEM_GIS[qualifier]}")
    elif item is not None and qualifier == "MOP":
        duty, index = msg.latest("TAX", item.get("duties", []), "GIS+MOP")
        msg.put(duty, "payment_method", code,
                f"/items/{len(msg.items) - 1}/duties/{index}/payment_method")
    else:
        return False
    return True


def ftx(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    qualifier, body = comp(seg, 0), text(seg, 3)
    target, base = msg.target(item)
    if qualifier == "AAA" and item is not None:
        msg.put(item, "description", required(body or "", "The description", "DE 6/8"),
                f"{base}/description")
    elif qualifier == "ACB":
        msg.add(target, "additional_information",
                compact(code=comp(seg, 2), text=body),
                f"{base}/additional_information")
    elif qualifier == "ACD" and item is None:
        msg.put(msg.head, "_reason_code", comp(seg, 2), "/reason_code")
        msg.put(msg.head, "_reason", body, "/reason")
        msg.mark("/amendment_reason")
    else:
        return False
    return True


def rff(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    qualifier, ref = comp(seg, 0), comp(seg, 0, 1)
    target, base = msg.target(item)
    if qualifier == "AEI":
        line = comp(seg, 0, 2)
        msg.add(target, "previous_documents", compact(
            reference=required(ref, "The previous document reference", "DE 2/1"),
            line=integer(line, "DE 2/1") if line else None,
            type=required(comp(seg, 0, 3), "The previous document type", "DE 2/1"),
            category=comp(seg, 0, 4)), f"{base}/previous_documents")
    elif item is not None:
        return False
    elif qualifier in ("ABT", "ACW"):
        msg.put(msg.head, f"_{qualifier}", required(ref, "The MRN", "1154"), "/mrn")
        msg.mark("/amends_mrn")
    elif qualifier == "ABL":
        guarantee = compact(reference=ref, type=comp(seg, 0, 3))
        msg.put(msg.head, "guarantee", guarantee or None, "/guarantee")
    elif qualifier == "ZZZ":
        msg.add(msg.head, "authorisations", compact(
            type=required(comp(seg, 0, 3), "The authorisation type", "DE 3/39"),
            holder_id=ref), "/authorisations")
    else:
        return False
    return True


def doc(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    target, base = msg.target(item)
    msg.add(target, "documents", compact(
        code=required(comp(seg, 0), "The document code", "DE 2/3"), name=comp(seg, 0, 3),
        reference=comp(seg, 1), status=comp(seg, 1, 1)), f"{base}/documents", "DOC")
    return True
