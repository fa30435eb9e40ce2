"""Walking the segments of one CUSDEC message (see `edifact` for the table of segments and
qualifiers, and docs/formats/edifact.md).

`CusdecReader` reads the message body in order, keeps the header / goods item / summary
section, hands each segment to its mapping (`edifact_references`,
`edifact_parties_transport`, `edifact_goods`), keeps segments no field takes as unmapped,
and collects coded issues instead of raising.
"""

from __future__ import annotations

from collections.abc import Callable

from pydifact.segments import Segment

from clearway.declarations.formats import edifact_goods as goods
from clearway.declarations.formats.edifact_codes import COUNTS
from clearway.declarations.formats.edifact_fields import CusdecFields, Dict, de
from clearway.declarations.formats.edifact_parties_transport import eqd, loc, nad, sel, tdt, tod
from clearway.declarations.formats.edifact_references import bgm, doc, dtm, ftx, gis, rff
from clearway.declarations.model import MAX_ITEMS, DeclarationDoc
from clearway.edifact.values import BadValue, at, comp, integer
from clearway.errors import Issue

Mapping = Callable[[CusdecFields, Segment, Dict | None], bool]
HANDLERS: dict[str, Mapping] = {
    "BGM": bgm, "DTM": dtm, "GIS": gis, "LOC": loc, "MEA": goods.mea, "EQD": eqd, "FTX": ftx,
    "RFF": rff, "TDT": tdt, "NAD": nad, "TOD": tod, "DOC": doc, "CUX": goods.cux,
    "MOA": goods.moa, "QTY": goods.qty, "PAC": goods.pac, "PCI": goods.pci, "TAX": goods.tax,
    "SEL": sel}


class CusdecReader(CusdecFields):
    """Maps the segments of one CUSDEC message (UNH/UNT excluded) onto canonical fields."""

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
                    goods.start_item(self, seg)
                elif section == "detail" and not self.items:
                    raise BadValue("goods item segments must follow a CST segment", "CST")
                elif not self._segment(seg, section):
                    self.unmapped.append(f"{self.where}: {seg.tag}+{comp(seg, 0)}")
            except BadValue as bad:
                self.issues.append(Issue("CW-SYN-EDI-SEGMENT", bad.message, bad.element,
                                         self.where))
        if not self.bgm:
            self.issues.append(Issue("CW-SYN-EDI-SEGMENT", "The BGM segment with the LRN is "
                                     "missing", "BGM", self.pointers[""]))
        if self.cancel and self.items:
            self.unmapped.append(f"{self.pointers['/items/0']}: goods items of a cancellation")
        return self.document() if "lrn" in self.head else None

    def _section(self, seg: Segment, section: str) -> str:
        nxt = {"D": "detail", "S": "summary"}.get(comp(seg, 0))
        order = ["header", "detail", "summary"]
        if nxt is None or order.index(nxt) <= order.index(section):
            raise BadValue("UNS must be UNS+D then UNS+S, once each", "0081")
        if nxt == "detail":
            self.pointers["/items"] = self.where
        return nxt

    def _segment(self, seg: Segment, section: str) -> bool:
        """Map one segment; False when Clearway has no field for it."""
        if section == "summary":
            field = COUNTS.get(comp(seg, 0)) if seg.tag == "CNT" else None
            if field:
                self.put(self.head, field, integer(comp(seg, 0, 1), de(f"/{field}", "6066")),
                         f"/{field}")
            return field is not None
        item = self.items[-1] if section == "detail" else None
        handler = HANDLERS.get(seg.tag)
        return handler(self, seg, item) if handler else False
