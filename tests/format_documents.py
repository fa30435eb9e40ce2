"""One valid import given in the three formats (canonical JSON, WCO DEC-DMS XML, EDIFACT
CUSDEC), and how to read any edit of it the way the API does: the reader, then validation,
every (code, pointer) with pointers as submitted. Used by the validation-gap tests."""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from typing import Any

from clearway.declarations.formats.detect import read_document
from clearway.declarations.formats.edifact_writer import write_cusdec
from clearway.declarations.model import Declaration
from clearway.declarations.validation import validate
from clearway.errors import DocumentInvalid
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from helpers import TRADER, import_doc

TODAY = date(2026, 11, 20)
JSON, XML, EDI = "application/json", "application/xml", "application/edifact"
X = "/Declaration"
SHIP, ITEM1, ITEM2 = f"{X}/GoodsShipment", (f"{X}/GoodsShipment/GovernmentAgencyGoodsItem[1]"
                                            ), f"{X}/GoodsShipment/GovernmentAgencyGoodsItem[2]"


def base_doc() -> dict[str, Any]:
    doc = import_doc(total_gross_mass="180", exchange_rate="0.92")
    doc["items"][0]["customs_value"] = "1010.00"
    return doc


def xml_item(n: int, code: str, origin: str, gross: str, net: str, price: str) -> str:
    value = "<CustomsValueAmount>1010.00</CustomsValueAmount>" if n == 1 else ""
    return (f"<GovernmentAgencyGoodsItem><SequenceNumeric>{n}</SequenceNumeric>{value}"
            f"<Commodity><Description>Goods {n}</Description><Classification><ID>{code}</ID>"
            "<IdentificationTypeCode>TSP</IdentificationTypeCode></Classification>"
            f"<GoodsMeasure><GrossMassMeasure>{gross}</GrossMassMeasure><NetNetWeightMeasure>"
            f"{net}</NetNetWeightMeasure></GoodsMeasure><InvoiceLine><ItemChargeAmount "
            f'currencyID="USD">{price}</ItemChargeAmount></InvoiceLine></Commodity>'
            "<GovernmentProcedure><CurrentCode>40</CurrentCode><PreviousCode>00</PreviousCode>"
            f"</GovernmentProcedure><Origin><CountryCode>{origin}</CountryCode></Origin>"
            "</GovernmentAgencyGoodsItem>")


XML_BASE = (
    '<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><FunctionCode>9</FunctionCode>'
    "<FunctionalReferenceID>LRN-0001</FunctionalReferenceID><TypeCode>IMA</TypeCode>"
    '<GoodsItemQuantity>2</GoodsItemQuantity><InvoiceAmount currencyID="USD">1500.00'
    "</InvoiceAmount><TotalGrossMassMeasure>180</TotalGrossMassMeasure>"
    "<CurrencyExchange><RateNumeric>0.92</RateNumeric></CurrencyExchange>"
    f"<Declarant><ID>{TRADER}</ID></Declarant><GoodsShipment>"
    f"<TransactionNatureCode>11</TransactionNatureCode><Importer><ID>{TRADER}</ID></Importer>"
    "<Consignment><TransportEquipment><SequenceNumeric>1</SequenceNumeric><ID>MSCU1234566"
    "</ID></TransportEquipment></Consignment><ExportCountry><ID>CN</ID></ExportCountry>"
    "<TradeTerms><ConditionCode>CIF</ConditionCode></TradeTerms>"
    + xml_item(1, "851010", "CN", "120", "100", "1000.00")
    + xml_item(2, "610910", "BD", "55", "50", "500.00")
    + "</GoodsShipment></Declaration>"
)


@cache
def ref() -> RefDataSnapshot:
    return RefDataSnapshot.from_texts(read_directory(package_dir()))


@cache
def bases() -> dict[str, str]:
    edi = write_cusdec(Declaration.model_validate(base_doc()), sender=TRADER,
                       recipient="CLEARWAY", reference="1",
                       prepared_at=datetime(2026, 11, 20, 9, 30), break_lines=True)
    return {JSON: json.dumps(base_doc()), XML: XML_BASE, EDI: edi}


def outcome(media: str, text: str) -> set[tuple[str, str | None]]:
    """Every (code, pointer) the reader and then validation find, pointers as submitted."""
    try:
        parsed = read_document(text.encode(), media)
    except DocumentInvalid as refused:
        return {(i.code, i.pointer) for i in refused.errors}
    return {(i.code, parsed.pointer_for(i.pointer or "")) for i in
            validate(parsed.doc, ref(), TODAY)}


def segment(text: str, seg: str) -> str:
    """The pointer of the (first) segment that starts with `seg`: "segment N (TAG)", with
    UNB as segment 1 (the UNA advice is not a segment)."""
    lines = [line for line in text.splitlines() if not line.startswith("UNA")]
    n = next(i for i, line in enumerate(lines, 1) if line.startswith(seg))
    return f"segment {n} ({seg[:3]})"
