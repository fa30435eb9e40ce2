"""Issue 14 item 10 (and the validation half of item 3): values each format used to accept
with 201 are refused with a coded error that points into the submitted document.

Each row edits one valid declaration, given in the three formats, by plain text replacement
(`old -> new`, the first occurrence) and names the code and the pointer expected for each
format; a format the row does not apply to is left out.
"""

from __future__ import annotations

import pytest

from format_documents import EDI, ITEM1, ITEM2, JSON, SHIP, TRADER, XML, X, bases, outcome, segment

# (name, code, {media: (old, new, pointer)}); for EDIFACT the pointer is the segment that
# the replacement starts with, counted in the edited interchange.
I1, I2 = "/items/0", "/items/1"
CASES: list[tuple[str, str, dict[str, tuple[str, str, str]]]] = [
    ("invoice amount 0", "CW-RULE-ZERO", {
        JSON: ('"invoice_amount": "1500.00"', '"invoice_amount": "0"', "/invoice_amount"),
        XML: (">1500.00<", ">0.00<", f"{X}/InvoiceAmount"),
        EDI: ("MOA+39:1500.00", "MOA+39:0", "")}),
    ("exchange rate 0", "CW-RULE-ZERO", {
        JSON: ('"exchange_rate": "0.92"', '"exchange_rate": "0"', "/exchange_rate"),
        XML: (">0.92<", ">0<", f"{X}/CurrencyExchange[1]/RateNumeric"),
        EDI: ("CUX+2:USD:4++0.92", "CUX+2:USD:4++0", "")}),
    ("net mass 0", "CW-RULE-ZERO", {
        JSON: ('"net_mass": "100"', '"net_mass": "0"', f"{I1}/net_mass"),
        XML: (">100<", ">0<", f"{ITEM1}/Commodity/GoodsMeasure/NetNetWeightMeasure"),
        EDI: ("MEA+WT+AAA+KGM:100", "MEA+WT+AAA+KGM:0.000", "")}),
    ("total gross mass 0", "CW-RULE-ZERO", {
        JSON: ('"total_gross_mass": "180"', '"total_gross_mass": 0', "/total_gross_mass"),
        XML: (">180<", ">0<", f"{X}/TotalGrossMassMeasure"),
        EDI: ("MEA+WT+AAD+KGM:180", "MEA+WT+AAD+KGM:0", "")}),
    ("customs value 0", "CW-RULE-ZERO", {
        JSON: ('"customs_value": "1010.00"', '"customs_value": "0.00"', f"{I1}/customs_value"),
        XML: (">1010.00<", ">0<", f"{ITEM1}/CustomsValueAmount"),
        EDI: ("MOA+40:1010.00", "MOA+40:0", "")}),
    ("mass 1E-1000000", "CW-SYN-NUMBER-RANGE", {
        JSON: ('"net_mass": "100"', '"net_mass": 1E-1000000', f"{I1}/net_mass")}),
    ("mass of 1000 decimals", "CW-SYN-XML-VALUE", {
        XML: (">100<", ">0." + "0" * 999 + "1<",
              f"{ITEM1}/Commodity/GoodsMeasure/NetNetWeightMeasure")}),
    ("mass of seven decimals", "CW-SYN-SCHEMA", {
        JSON: ('"net_mass": "100"', '"net_mass": 0.0000001', f"{I1}/net_mass"),
        XML: (">100<", ">0.0000001<", f"{ITEM1}/Commodity/GoodsMeasure/NetNetWeightMeasure"),
        EDI: ("MEA+WT+AAA+KGM:100", "MEA+WT+AAA+KGM:0.0000001", "")}),
    ("NaN mass", "CW-SYN-NUMBER-RANGE", {
        JSON: ('"net_mass": "100"', '"net_mass": NaN', f"{I1}/net_mass")}),
    ("LRN of spaces", "CW-SYN-REFERENCE", {
        JSON: ('"LRN-0001"', '"   "', "/lrn"),
        EDI: ("BGM+929+LRN-0001+9", "BGM+929+   +9", "")}),
    ("LRN of spaces in XML is no LRN", "CW-SYN-SCHEMA", {
        XML: (">LRN-0001<", ">   <", X)}),
    ("LRN with a bidi override", "CW-SYN-REFERENCE", {
        JSON: ('"LRN-0001"', '"LRN-\\u202e1000"', "/lrn"),
        XML: (">LRN-0001<", ">LRN-\u202e1000<", f"{X}/FunctionalReferenceID"),
        EDI: ("BGM+929+LRN-0001+9", "BGM+929+LRN-\u20661000+9", "")}),
    ("LRN with a control character", "CW-SYN-REFERENCE", {
        JSON: ('"LRN-0001"', '"LRN-\\u00850001"', "/lrn")}),
    ("LRN with a tab", "CW-SYN-REFERENCE", {JSON: ('"LRN-0001"', '"LRN\\t0001"', "/lrn")}),
    ("unknown additional declaration type", "CW-CODE-DECLARATION-TYPE", {
        JSON: ('"additional_type": "A"', '"additional_type": "W"', "/additional_type"),
        XML: (">IMA<", ">IMW<", f"{X}/TypeCode"),
        EDI: ("GIS+A:ADT", "GIS+W:ADT", "")}),
    ("unknown nature of transaction", "CW-CODE-TRANSACTION", {
        JSON: ('"nature_of_transaction": "11"', '"nature_of_transaction": "13"',
               "/nature_of_transaction"),
        XML: (">11<", ">13<", f"{SHIP}/TransactionNatureCode"),
        EDI: ("GIS+11:NAT", "GIS+13:NAT", "")}),
    ("unknown incoterm", "CW-CODE-INCOTERM", {
        JSON: ('"CIF"', '"CIX"', "/delivery_terms/incoterm"),
        XML: (">CIF<", ">CIX<", f"{SHIP}/TradeTerms/ConditionCode"),
        EDI: ("TOD+++CIF", "TOD+++CIX", "")}),
    ("container check digit", "CW-CODE-CONTAINER", {
        JSON: ("MSCU1234566", "MSCU1234565", "/transport/container_ids/0"),
        XML: ("MSCU1234566", "MSCU1234565",
              f"{SHIP}/Consignment/TransportEquipment[1]/ID"),
        EDI: ("EQD+CN+MSCU1234566", "EQD+CN+MSCU1234565", "")}),
    ("truncated container number", "CW-CODE-CONTAINER", {
        JSON: ("MSCU1234566", "MSCU123456", "/transport/container_ids/0")}),
    ("importer not in the register", "CW-CODE-TRADER", {
        JSON: ('"importer": {"id": "RS100234567"}', '"importer": {"id": "RS999999999"}',
               "/importer/id"),
        XML: (f"<Importer><ID>{TRADER}", "<Importer><ID>RS999999999",
              f"{SHIP}/Importer/ID"),
        EDI: (f"NAD+IM+{TRADER}", "NAD+IM+RS999999999", "")}),
    ("total gross mass below the items' sum", "CW-RULE-TOTAL-MASS", {
        JSON: ('"total_gross_mass": "180"', '"total_gross_mass": "170"', "/total_gross_mass"),
        XML: (">180<", ">170<", f"{X}/TotalGrossMassMeasure"),
        EDI: ("MEA+WT+AAD+KGM:180", "MEA+WT+AAD+KGM:170", "")}),
    ("goods item number twice", "CW-RULE-ITEM-DUPLICATE", {
        JSON: ('"sequence": 2', '"sequence": 1', f"{I2}/sequence"),
        XML: ("<SequenceNumeric>2<", "<SequenceNumeric>1<", f"{ITEM2}/SequenceNumeric"),
        EDI: ("CST+2+", "CST+1+", "CST+1+610910")}),
    ("JSON member given twice", "CW-SYN-DUPLICATE-KEY", {
        JSON: ('"lrn": "LRN-0001"', '"lrn": "LRN-0001", "lrn": "LRN-0002"', "/lrn")}),
    ("JSON member given twice in an item", "CW-SYN-DUPLICATE-KEY", {
        JSON: ('"sequence": 2', '"sequence": 2, "sequence": 3', f"{I2}/sequence")}),
    ("DTM with an unknown qualifier and no date", "CW-SYN-EDI-SEGMENT", {
        EDI: ("LOC+35+CN'", "LOC+35+CN'\nDTM+25:99'", "DTM+25")}),
    ("DTM with an unknown format", "CW-SYN-EDI-SEGMENT", {
        EDI: ("LOC+35+CN'", "LOC+35+CN'\nDTM+137:20261120:99'", "DTM+137")}),
    ("DTM with minute 99", "CW-SYN-EDI-SEGMENT", {
        EDI: ("LOC+35+CN'", "LOC+35+CN'\nDTM+137:202611200999:203'", "DTM+137")}),
]
ROWS = [(name, media, code, *change) for name, code, by_media in CASES
        for media, change in by_media.items()]


def edited(media: str, old: str, new: str) -> str:
    text = bases()[media]
    assert old in text, (media, old)
    text = text.replace(old, new, 1)
    if media == EDI and "\n" in new:  # one segment more: keep UNT's count right
        count = sum(1 for line in text.splitlines() if line[:3] not in ("UNA", "UNB", "UNZ"))
        text = text.replace("UNT+36+1", f"UNT+{count}+1")
    return text


@pytest.mark.parametrize("media", [JSON, XML, EDI])
def test_the_base_declaration_is_valid_in_every_format(media: str) -> None:
    assert outcome(media, bases()[media]) == set()


@pytest.mark.parametrize(("media", "code", "old", "new", "pointer"), [r[1:] for r in ROWS],
                         ids=[f"{r[0]} ({r[1].split('/')[1]})" for r in ROWS])
def test_gap_is_refused_with_a_coded_pointed_error(media: str, code: str, old: str, new: str,
                                                   pointer: str) -> None:
    text = edited(media, old, new)
    if media == EDI:
        pointer = segment(text, pointer or new)
    assert (code, pointer) in outcome(media, text)


