"""Writer for UN/EDIFACT CUSDEC (D.96B): the inverse of `edifact.read_cusdec`.

Every field in the mapping table of `clearway.declarations.formats.edifact` is written, so
``read_cusdec(write_cusdec(doc)).doc == doc`` for declarations and cancellation requests
(Document.quantity is the one canonical field the profile does not carry). Used by the demo
feed, the benchmarks and the tests. Segments and the interchange are written by
clearway.edifact.writer (pydifact escapes ``? : + '``; the UNA advice is ``:+.? '``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from pydifact.segments import Segment

from clearway.declarations.formats.edifact_codes import (
    COUNTRIES,
    DOC_CODES,
    HEADER_GIS,
    IDENTITIES,
    ITEM_GIS,
    ITEM_MOA,
    MESSAGE_TYPE,
    OFFICES,
    PARTIES,
)
from clearway.declarations.model import (
    AdditionalInformation,
    CancellationRequest,
    Declaration,
    Document,
    GoodsItem,
    Party,
    PreviousDocument,
)
from clearway.edifact.dates import day_value
from clearway.edifact.writer import Value, chunks, interchange, num, seg

FUNCTIONS_OUT = {"9": "9", "13": "5"}


def write_cusdec(doc: Declaration | CancellationRequest, *, sender: str, recipient: str,
                 reference: str, prepared_at: datetime, break_lines: bool = False) -> str:
    """One interchange (UNB/UNZ) with one CUSDEC message; `reference` is both the
    interchange control reference and the message reference."""
    body = list(_cancellation(doc) if isinstance(doc, CancellationRequest)
                else _declaration(doc))
    return interchange(body, message_type=MESSAGE_TYPE, message_reference=reference,
                       sender=sender, recipient=recipient, control_reference=reference,
                       prepared_at=prepared_at, break_lines=break_lines)


def _declaration(d: Declaration) -> Iterator[Segment]:
    if d.function_code not in FUNCTIONS_OUT:
        raise ValueError(f"function code {d.function_code!r} cannot be written as CUSDEC")
    yield seg("BGM", DOC_CODES[d.declaration_type], d.lrn, FUNCTIONS_OUT[d.function_code])
    for qualifier, key in OFFICES.items():
        if getattr(d.offices, key):
            yield seg("LOC", qualifier, getattr(d.offices, key))
    for qualifier, key in COUNTRIES.items():
        if getattr(d, key):
            yield seg("LOC", qualifier, getattr(d, key))
    if d.goods_location:
        g = d.goods_location
        yield seg("LOC", "14", [g.code or "", g.qualifier or ""], g.type, g.country)
    if d.declaration_date:
        yield seg("DTM", ["137", *day_value(d.declaration_date)])
    for qualifier, key in HEADER_GIS.items():
        if getattr(d, key):
            yield seg("GIS", [getattr(d, key), qualifier])
    if d.transport.container is not None:
        yield seg("GIS", ["1" if d.transport.container else "0", "CTR"])
    if d.total_gross_mass is not None:
        yield seg("MEA", "WT", "AAD", ["KGM", num(d.total_gross_mass)])
    yield from _containers(d.transport.container_ids)
    for seal in d.transport.seals:  # in the EQD group of the last container
        yield seg("SEL", seal)
    yield from _additional(d.additional_information)
    if d.amendment_reason:
        yield seg("FTX", "ACD", "", "", chunks(d.amendment_reason, 512))
    if d.amends_mrn:
        yield seg("RFF", ["ABT", d.amends_mrn])
    yield from _previous(d.previous_documents)
    if d.guarantee:
        yield seg("RFF", ["ABL", d.guarantee.reference or "", "", d.guarantee.type or ""])
    for auth in d.authorisations:
        yield seg("RFF", ["ZZZ", auth.holder_id or "", "", auth.type])
    yield from _transport(d)
    for role, key in PARTIES.items():
        yield from _party(role, getattr(d, key))
    if d.delivery_terms:
        terms = d.delivery_terms
        yield seg("TOD", "", "", [terms.incoterm or "", "", "", *chunks(terms.place, 70)])
    yield from _documents(d.documents)
    if d.invoice_currency or d.exchange_rate is not None:
        yield seg("CUX", ["2", d.invoice_currency or "", "4"], "", num(d.exchange_rate))
    if d.invoice_amount is not None:
        yield seg("MOA", ["39", num(d.invoice_amount)])
    yield seg("UNS", "D")
    for item in d.items:
        yield from _item(item)
    yield seg("UNS", "S")
    if d.item_count is not None:
        yield seg("CNT", ["5", num(d.item_count)])
    if d.total_packages is not None:
        yield seg("CNT", ["11", num(d.total_packages)])


def _cancellation(c: CancellationRequest) -> Iterator[Segment]:
    yield seg("BGM", DOC_CODES["CO"], c.lrn, "1")
    yield seg("FTX", "ACD", "", c.reason_code, chunks(c.reason, 512))
    yield seg("RFF", ["ABT", c.mrn])
    yield from _party("DT", c.declarant)


def _transport(d: Declaration) -> Iterator[Segment]:
    t = d.transport
    if t.mode_at_border or t.border_identity or t.border_nationality:
        yield seg("TDT", "11", "", t.mode_at_border, "", "", "", "",
                  ["", "", "", t.border_identity or "", t.border_nationality or ""])
    if t.inland_mode:
        yield seg("TDT", "1", "", t.inland_mode)
    for stage, key in IDENTITIES.items():
        if stage != "11" and getattr(t, key):
            yield seg("TDT", stage, "", "", "", "", "", "", ["", "", "", getattr(t, key)])


def _party(role: str, party: Party | None) -> Iterator[Segment]:
    if party is None:
        return
    a = party.address
    yield seg("NAD", role, party.id, "", chunks(party.name, 35),
              chunks(a.street if a else None, 35), a.city if a else None, "",
              a.postcode if a else None, a.country if a else None)


def _containers(ids: Iterable[str]) -> Iterator[Segment]:
    for container in ids:
        yield seg("EQD", "CN", container)


def _additional(entries: Iterable[AdditionalInformation]) -> Iterator[Segment]:
    for entry in entries:
        yield seg("FTX", "ACB", "", entry.code, chunks(entry.text, 512))


def _previous(entries: Iterable[PreviousDocument]) -> Iterator[Segment]:
    for prev in entries:
        yield seg("RFF", ["AEI", prev.reference, num(prev.line), prev.type,
                          prev.category or ""])


def _documents(entries: Iterable[Document]) -> Iterator[Segment]:
    for doc in entries:
        yield seg("DOC", [doc.code, "", "", doc.name or ""],
                  [doc.reference or "", doc.status or ""])
        if doc.issue_date:
            yield seg("DTM", ["182", *day_value(doc.issue_date)])


def _item(item: GoodsItem) -> Iterator[Segment]:
    procedure: list[Value] = []
    if item.procedure:
        p = item.procedure
        if len(p.requested) != 2 or len(p.previous) != 2:
            raise ValueError("procedure codes must be 2 characters each to be written in CST")
        procedure = [[p.requested + p.previous, "117"], *p.additional]
    yield seg("CST", str(item.sequence), [item.commodity_code, "108"], *procedure)
    yield seg("FTX", "AAA", "", "", chunks(item.description, 512))
    if item.origin_country:
        yield seg("LOC", "27", item.origin_country)
    if item.preferential_origin_country:
        yield seg("LOC", "27", item.preferential_origin_country, "PRF")
    if item.gross_mass is not None:
        yield seg("MEA", "WT", "AAB", ["KGM", num(item.gross_mass)])
    if item.net_mass is not None:
        yield seg("MEA", "WT", "AAA", ["KGM", num(item.net_mass)])
    if item.supplementary_units is not None:
        yield seg("QTY", ["1", num(item.supplementary_units)])
    for qualifier, key in ITEM_MOA.items():
        currency = item.item_price_currency or "" if key == "item_price" else ""
        if getattr(item, key) is not None or currency:
            yield seg("MOA", [qualifier, num(getattr(item, key)), currency])
    for qualifier, key in ITEM_GIS.items():
        if getattr(item, key):
            yield seg("GIS", [getattr(item, key), qualifier])
    for package in item.packages:
        yield seg("PAC", num(package.count), "", package.kind)
        if package.marks:
            yield seg("PCI", "", chunks(package.marks, 35))
    yield from _documents(item.documents)
    yield from _previous(item.previous_documents)
    yield from _additional(item.additional_information)
    yield from _party("EX", item.exporter)
    yield from _party("CN", item.consignee)
    yield from _containers(item.container_ids)
    for duty in item.duties:
        yield seg("TAX", "7", duty.tax_type, "", num(duty.tax_base),
                  [duty.preference or "", "", "", num(duty.rate)])
        if duty.amount is not None:
            yield seg("MOA", ["161", num(duty.amount)])
        if duty.payment_method:
            yield seg("GIS", [duty.payment_method, "MOP"])
