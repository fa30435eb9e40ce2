"""CUSDEC segments of places, parties and transport: LOC (offices, countries, goods
location, origin), EQD (containers), SEL (seals), TDT (modes and means of transport), NAD
(parties) and TOD (delivery terms).

Each mapping fills `CusdecFields` and answers False when Clearway has no field for the
segment (it is then kept as unmapped); a value it cannot read raises `BadValue`.
"""

from __future__ import annotations

from pydifact.segments import Segment

from clearway.declarations.formats.edifact_codes import (
    COUNTRIES,
    IDENTITIES,
    ITEM_PARTIES,
    OFFICES,
    PARTIES,
)
from clearway.declarations.formats.edifact_fields import CusdecFields, Dict, compact, de
from clearway.edifact.values import BadValue, comp, required, text


def loc(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    qualifier, place = comp(seg, 0), comp(seg, 1)
    if item is not None:
        if qualifier != "27":
            return False
        key = "preferential_origin_country" if comp(seg, 2) == "PRF" else "origin_country"
        pointer = f"/items/{len(msg.items) - 1}/{key}"
        msg.put(item, key, required(place, "The country", de(pointer, "3225")), pointer)
    elif qualifier in OFFICES:
        offices = msg.head.setdefault("offices", {})
        pointer = f"/offices/{OFFICES[qualifier]}"
        msg.put(offices, OFFICES[qualifier],
                required(place, "The office", de(pointer, "3225")), pointer)
    elif qualifier in COUNTRIES:
        pointer = f"/{COUNTRIES[qualifier]}"
        msg.put(msg.head, COUNTRIES[qualifier],
                required(place, "The country", de(pointer, "3225")), pointer)
    elif qualifier == "14":
        location = compact(code=place, qualifier=comp(seg, 1, 1), type=comp(seg, 2),
                           country=comp(seg, 3))
        msg.put(msg.head, "goods_location", location or None, "/goods_location")
    else:
        return False
    return True


def eqd(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    if comp(seg, 0) != "CN":
        return False
    target, base = msg.target(item)
    if item is None:
        target, base = msg.head.setdefault("transport", {}), "/transport"
    found = target.setdefault("container_ids", [])
    msg.mark(f"{base}/container_ids/{len(found)}")
    found.append(required(comp(seg, 1), "The container number",
                          de(f"{base}/container_ids", "8260")))
    return True


def sel(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    """SEL (in the header's EQD group): DE 7/18 seal number; goods items carry no seals."""
    if item is not None:
        return False
    found = msg.head.setdefault("transport", {}).setdefault("seals", [])
    msg.mark(f"/transport/seals/{len(found)}")
    found.append(required(comp(seg, 0), "The seal number", de("/transport/seals", "9308")))
    return True


def tdt(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    stage, mode = comp(seg, 0), comp(seg, 2)
    if item is not None or stage not in ("1", *IDENTITIES):
        return False
    transport = msg.head.setdefault("transport", {})
    mode_key = "inland_mode" if stage == "1" else "mode_at_border" if stage == "11" else ""
    if mode_key:
        msg.put(transport, mode_key, mode, f"/transport/{mode_key}")
    if stage in IDENTITIES:
        msg.put(transport, IDENTITIES[stage], comp(seg, 7, 3),
                f"/transport/{IDENTITIES[stage]}")
    if stage == "11":
        msg.put(transport, "border_nationality", comp(seg, 7, 4),
                "/transport/border_nationality")
    return True


def nad(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    role = (ITEM_PARTIES if item is not None else PARTIES).get(comp(seg, 0))
    if role is None:
        return False
    address = compact(street=text(seg, 4), city=comp(seg, 5), postcode=comp(seg, 7),
                      country=comp(seg, 8))
    party = compact(id=comp(seg, 1), name=text(seg, 3), address=address)
    target, base = msg.target(item)
    if not party:
        raise BadValue("a party needs an identification number or a name",
                       de(f"{base}/{role}", "3039"))
    msg.put(target, role, party, f"{base}/{role}")
    return True


def tod(msg: CusdecFields, seg: Segment, item: Dict | None) -> bool:
    if item is not None:
        return False
    terms = compact(incoterm=comp(seg, 2), place=text(seg, 2, 3))
    msg.put(msg.head, "delivery_terms", terms or None, "/delivery_terms")
    return True
