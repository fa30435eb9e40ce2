"""The WCO DEC-DMS XML reader: the trade-test samples, hand-made declarations, hostile XML.

Samples are found through CLEARWAY_SAMPLES_DIR (default ../shared/data/wco-dm-dms/samples
from the repository root); the tests that need them skip only when that folder is absent.
Expected values are read from the raw XML with XPath here, independently of the reader.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from clearway.codes import CODES
from clearway.declarations.formats import MAX_DOCUMENT_BYTES, WCO_XML, ParsedDocument
from clearway.declarations.formats.wco_xml import read_wco_xml
from clearway.declarations.model import CancellationRequest, Declaration
from clearway.errors import DocumentInvalid
from helpers import samples_dir

REPO = Path(__file__).resolve().parents[3]
SAMPLES_DIR = samples_dir()
SAMPLES = sorted(SAMPLES_DIR.glob("*.xml")) if SAMPLES_DIR.is_dir() else []
needs_samples = pytest.mark.skipif(not SAMPLES_DIR.is_dir(),
                                   reason=f"no WCO samples at {SAMPLES_DIR}")
NS = {"d": "urn:wco:datamodel:WCO:DEC-DMS:2"}
DEC = "urn:wco:datamodel:WCO:DEC-DMS:2"
MD = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"


@cache
def read(path: Path) -> ParsedDocument | DocumentInvalid:
    try:
        return read_wco_xml(path.read_bytes())
    except DocumentInvalid as exc:
        return exc


def raw_declaration(path: Path) -> Any:
    """The Declaration element by plain XPath, or None (malformed, response, wrong ns)."""
    try:
        root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return None
    found = root.xpath("//d:Declaration", namespaces=NS)
    return found[0] if found else None


DECLARATIONS = [p for p in SAMPLES if raw_declaration(p) is not None]


def assert_coded(exc: DocumentInvalid) -> None:
    assert exc.errors, "DocumentInvalid must list its issues"
    for issue in exc.errors:
        assert issue.code in CODES, issue
        assert issue.pointer, issue


# -- every sample ---------------------------------------------------------------------------
@needs_samples
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_parses_or_is_refused_with_codes(path: Path) -> None:
    result = read(path)
    if isinstance(result, DocumentInvalid):
        assert_coded(result)
    else:
        assert result.format == WCO_XML
        assert result.envelope["functional_reference"] == result.doc.lrn


@needs_samples
@pytest.mark.parametrize("path", DECLARATIONS, ids=lambda p: p.name)
def test_every_well_formed_declaration_sample_is_read(path: Path) -> None:
    result = read(path)
    assert not isinstance(result, DocumentInvalid), [i.as_dict() for i in result.errors]


def _x(node: Any, path: str) -> str:
    return str(node.xpath(f"string({path})", namespaces=NS)).strip()


def _items(decl: Any) -> list[Any]:
    return list(decl.xpath("d:GoodsShipment/d:GovernmentAgencyGoodsItem", namespaces=NS))


def _commodity(item: Any) -> str:
    cn = _x(item, "d:Commodity/d:Classification[d:IdentificationTypeCode='TSP']/d:ID")
    taric = _x(item, "d:Commodity/d:Classification[d:IdentificationTypeCode='TRC']/d:ID")
    return cn + taric if cn else ""


def _origin(item: Any, kind: str) -> str | None:
    cond = "d:TypeCode='1' or not(d:TypeCode)" if kind == "1" else "d:TypeCode='2'"
    return _x(item, f"d:Origin[{cond}][1]/d:CountryCode") or None


def _amount(node: Any, path: str) -> Decimal | None:
    text = _x(node, path)
    return Decimal(text) if text else None


def _type(decl: Any) -> tuple[str | None, str | None]:
    code = _x(decl, "d:TypeCode")
    if code in ("COR", "INV"):
        return None, None
    return code[:2], code[2:] or None


# (name, expected from the raw XML, actual from the canonical document); None skips a row
# that does not apply (e.g. a cancellation carries no items).
FIELDS: list[tuple[str, Any, Any]] = [
    ("lrn", lambda d: _x(d, "d:FunctionalReferenceID"), lambda doc: doc.lrn),
    ("declaration_type", lambda d: _type(d)[0],
     lambda doc: getattr(doc, "declaration_type", None)),
    ("additional_type", lambda d: _type(d)[1],
     lambda doc: getattr(doc, "additional_type", None)),
    ("item_count", lambda d: len(_items(d)), lambda doc: len(getattr(doc, "items", []))),
    ("declared_item_count", lambda d: int(_x(d, "d:GoodsItemQuantity") or 0) or None,
     lambda doc: getattr(doc, "item_count", None)),
    ("commodity_codes", lambda d: [_commodity(i) for i in _items(d)],
     lambda doc: [i.commodity_code for i in getattr(doc, "items", [])]),
    ("origins", lambda d: [_origin(i, "1") for i in _items(d)],
     lambda doc: [i.origin_country for i in getattr(doc, "items", [])]),
    ("preferential_origins", lambda d: [_origin(i, "2") for i in _items(d)],
     lambda doc: [i.preferential_origin_country for i in getattr(doc, "items", [])]),
    ("item_prices", lambda d: [_amount(i, "d:Commodity/d:InvoiceLine/d:ItemChargeAmount")
                               for i in _items(d)],
     lambda doc: [i.item_price for i in getattr(doc, "items", [])]),
    ("price_currencies",
     lambda d: [_x(i, "d:Commodity/d:InvoiceLine/d:ItemChargeAmount/@currencyID") or None
                for i in _items(d)],
     lambda doc: [i.item_price_currency for i in getattr(doc, "items", [])]),
    ("statistical_values", lambda d: [_amount(i, "d:StatisticalValueAmount") for i in _items(d)],
     lambda doc: [i.statistical_value for i in getattr(doc, "items", [])]),
    ("net_masses", lambda d: [_amount(i, "d:Commodity/d:GoodsMeasure/d:NetNetWeightMeasure")
                              for i in _items(d)],
     lambda doc: [i.net_mass for i in getattr(doc, "items", [])]),
    ("invoice_amount", lambda d: _amount(d, "d:InvoiceAmount"),
     lambda doc: getattr(doc, "invoice_amount", None)),
    ("declarant", lambda d: _x(d, "d:Declarant/d:ID") or _x(d, "d:Submitter/d:ID") or None,
     lambda doc: doc.declarant.id),
]


@needs_samples
@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f[0])
@pytest.mark.parametrize("path", DECLARATIONS, ids=lambda p: p.name)
def test_sample_field_matches_raw_xml(path: Path, field: tuple[str, Any, Any]) -> None:
    name, expected_of, actual_of = field
    result = read(path)
    assert isinstance(result, ParsedDocument)
    decl = raw_declaration(path)
    if name in ("declaration_type", "additional_type") and expected_of(decl) is None:
        pytest.skip("amendments and cancellations restate no declaration type")
    if name == "declarant" and isinstance(result.doc, Declaration) and not expected_of(decl):
        pytest.skip("a delta amendment need not name the declarant")
    assert actual_of(result.doc) == expected_of(decl)


@needs_samples
@pytest.mark.parametrize("path", DECLARATIONS, ids=lambda p: p.name)
def test_sample_pointers_locate_the_values(path: Path) -> None:
    result = read(path)
    assert isinstance(result, ParsedDocument)
    root = etree.fromstring(path.read_bytes())
    assert result.pointers["/lrn"].endswith("/Declaration/FunctionalReferenceID")
    for pointer, location in result.pointers.items():
        steps = [s for s in location.split("/")[1:] if not s.startswith("@")]
        xpath = "/" + "/".join(f"*[local-name()='{s.split('[')[0]}']"
                               + (f"[{s.split('[')[1]}" if "[" in s else "") for s in steps)
        assert root.xpath(xpath), (pointer, location)
    for i, _item in enumerate(getattr(result.doc, "items", [])):
        assert f"/items/{i}" in result.pointers


# -- known samples, values checked by hand ---------------------------------------------------
KNOWN: list[tuple[str, dict[str, Any]]] = [
    ("TT_IM001b__TT_IM001b.xml", {
        "lrn": "TT_IM01b_v1.7_220322_1", "declaration_type": "IM", "additional_type": "A",
        "declarant.id": "GB603202734852", "representative_status": "2",
        "items.0.commodity_code": "8510900000", "items.0.origin_country": "US",
        "items.0.item_price": Decimal("1000"), "items.0.procedure.requested": "40",
        "items.0.procedure.additional": ["000"], "transport.mode_at_border": "1",
        "goods_location.code": "WLALONBTW", "authorisations.1.type": "DPO"}),
    ("TT_EX010a__TT_EX010a_Cancellation.xml", {
        "lrn": "U.7867523JNCOL", "mrn": "24GBDIRIGZ7QLCPAA8", "reason_code": "1",
        "reason": "This is a duplicate, please can", "declarant.id": "GB150454489082"}),
    ("TT_IM005b__TT_IM005b_Amendment.xml", {
        "function_code": "13", "amends_mrn": "22GB9TOG03BRZ1GA02",
        "items.0.net_mass": Decimal("89"), "amendment_reason": "TT_IM05 Amendment to Net Weight"}),
    ("TT_IM069a__TT_IM069a.xml", {"declaration_type": "IM", "additional_type": "Z"}),
]


def _dig(value: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


@needs_samples
@pytest.mark.parametrize(("name", "expected"), KNOWN, ids=[k[0] for k in KNOWN])
def test_known_sample_values(name: str, expected: dict[str, Any]) -> None:
    if not (SAMPLES_DIR / name).exists():
        pytest.skip(f"{name} is not in this sample set")
    result = read(SAMPLES_DIR / name)
    assert isinstance(result, ParsedDocument)
    for dotted, value in expected.items():
        assert _dig(result.doc, dotted) == value, dotted


REFUSED = [
    ("TT_IM008a__02_DMSTAX.xml", "CW-SYN-XML-DOCTYPE"),  # a response, not a declaration
    ("TT_IM059a__01_DMSACC.xml", "CW-SYN-XML-DOCTYPE"),
    ("TT_IM065a__6._DMSCLE.xml", "CW-SYN-XML-DOCTYPE"),
    ("TT_IM222a__Step1_TT_IM222a.xml", "CW-SYN-XML-DOCTYPE"),  # namespaces mangled
    ("TT_EX002a__TT_EX002a.xml", "CW-SYN-XML"),  # unterminated comment
]


@needs_samples
@pytest.mark.parametrize(("name", "code"), REFUSED, ids=[r[0] for r in REFUSED])
def test_known_sample_refusals(name: str, code: str) -> None:
    if not (SAMPLES_DIR / name).exists():
        pytest.skip(f"{name} is not in this sample set")
    result = read(SAMPLES_DIR / name)
    assert isinstance(result, DocumentInvalid)
    assert [i.code for i in result.errors] == [code]


# -- hand-made declarations (no sample files needed) ----------------------------------------
def declaration(body: str = "", *, lrn: str = "LRN-1", type_code: str = "IMA",
                function: str = "9", declarant: str = "<Declarant><ID>GB1</ID></Declarant>",
                wrap: bool = True) -> bytes:
    head = f"<FunctionCode>{function}</FunctionCode>"
    head += f"<FunctionalReferenceID>{lrn}</FunctionalReferenceID>" if lrn else ""
    head += f"<TypeCode>{type_code}</TypeCode>" if type_code else ""
    decl = f'<Declaration xmlns="{DEC}">{head}{body}{declarant}</Declaration>'
    if wrap:
        decl = (f'<md:MetaData xmlns:md="{MD}"><md:WCODataModelVersionCode>3.6'
                "</md:WCODataModelVersionCode><md:ResponsibleCountryCode>GB"
                "</md:ResponsibleCountryCode><md:ResponsibleAgencyName>HMRC"
                f"</md:ResponsibleAgencyName>{decl}</md:MetaData>")
    return decl.encode()


ITEM = (
    "<GoodsShipment><GovernmentAgencyGoodsItem><SequenceNumeric>1</SequenceNumeric>"
    "<Commodity><Description>Shoes</Description>"
    "<Classification><ID>64039900</ID><IdentificationTypeCode>TSP</IdentificationTypeCode>"
    "</Classification><Classification><ID>90</ID><IdentificationTypeCode>TRC"
    "</IdentificationTypeCode></Classification><Classification><ID>VATZ</ID>"
    "<IdentificationTypeCode>GN</IdentificationTypeCode></Classification>"
    "<GoodsMeasure><GrossMassMeasure>12.5</GrossMassMeasure>"
    "<NetNetWeightMeasure>{net}</NetNetWeightMeasure></GoodsMeasure>"
    '<InvoiceLine><ItemChargeAmount currencyID="EUR">250.00</ItemChargeAmount></InvoiceLine>'
    "</Commodity><GovernmentProcedure><CurrentCode>40</CurrentCode><PreviousCode>71"
    "</PreviousCode></GovernmentProcedure><GovernmentProcedure><CurrentCode>F15</CurrentCode>"
    "</GovernmentProcedure><Origin><CountryCode>CN</CountryCode><TypeCode>1</TypeCode></Origin>"
    "</GovernmentAgencyGoodsItem></GoodsShipment>"
)
HEADER = '<InvoiceAmount currencyID="EUR">250.00</InvoiceAmount><GoodsItemQuantity>1' \
         "</GoodsItemQuantity>"


@pytest.mark.parametrize("wrap", [True, False], ids=["metadata", "bare"])
def test_hand_made_declaration_maps_and_points(wrap: bool) -> None:
    parsed = read_wco_xml(declaration(HEADER + ITEM.format(net="10"), wrap=wrap))
    doc = parsed.doc
    assert isinstance(doc, Declaration)
    item = doc.items[0]
    assert (doc.declaration_type, doc.additional_type, doc.lrn) == ("IM", "A", "LRN-1")
    assert (doc.invoice_amount, doc.invoice_currency) == (Decimal("250.00"), "EUR")
    assert (item.commodity_code, item.net_mass, item.gross_mass) == (
        "6403990090", Decimal("10"), Decimal("12.5"))
    assert item.procedure is not None
    assert (item.procedure.requested, item.procedure.previous,
            item.procedure.additional) == ("40", "71", ["F15"])
    base = "/MetaData/Declaration" if wrap else "/Declaration"
    item_path = f"{base}/GoodsShipment/GovernmentAgencyGoodsItem[1]"
    expected = {
        "/lrn": f"{base}/FunctionalReferenceID",
        "/declarant": f"{base}/Declarant",
        "/invoice_currency": f"{base}/InvoiceAmount/@currencyID",
        "/items/0": item_path,
        "/items/0/net_mass": f"{item_path}/Commodity/GoodsMeasure/NetNetWeightMeasure",
        "/items/0/commodity_code": f"{item_path}/Commodity/Classification[1]/ID",
        "/items/0/procedure/additional/0": f"{item_path}/GovernmentProcedure[2]/CurrentCode",
    }
    for canonical, location in expected.items():
        assert parsed.pointers[canonical] == location
    assert parsed.envelope["functional_reference"] == "LRN-1"
    assert parsed.envelope["additional_codes"]["/items/0"][0]["code"] == "VATZ"
    if wrap:
        assert (parsed.envelope["agency"], parsed.envelope["country"],
                parsed.envelope["version"]) == ("HMRC", "GB", "3.6")


def test_cancellation_without_text_takes_the_reason_code() -> None:
    body = "<ID>24GB0000000000001</ID><Amendment><ChangeReasonCode>1</ChangeReasonCode>" \
           "</Amendment>"
    parsed = read_wco_xml(declaration(body, type_code="INV", function="13", declarant=
                                      "<Submitter><ID>GB9</ID></Submitter>"))
    doc = parsed.doc
    assert isinstance(doc, CancellationRequest)
    assert (doc.mrn, doc.reason, doc.reason_code, doc.declarant.id) == (
        "24GB0000000000001", "1", "1", "GB9")


ISSUES = [
    ("missing lrn and declarant", declaration(lrn="", declarant=""),
     {("CW-SYN-SCHEMA", "DE 2/5"), ("CW-SYN-SCHEMA", "DE 3/17-3/18")}),
    ("unreadable numbers", declaration("<TotalPackageQuantity>ten</TotalPackageQuantity>"
                                       + ITEM.format(net="1,5")),
     {("CW-SYN-XML-VALUE", "DE 6/18"), ("CW-SYN-XML-VALUE", "DE 6/1")}),
    ("lrn too long", declaration(lrn="L" * 36), {("CW-SYN-SCHEMA", "DE 2/5")}),
    ("unknown type", declaration(type_code="XXA"), {("CW-SYN-XML-VALUE", "DE 1/1")}),
    ("cancellation without reason", declaration("<ID>24GB1</ID>", type_code="INV",
                                                function="13"),
     {("CW-REASON-REQUIRED", "Reason")}),
]


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in ISSUES], ids=[c[0] for c in ISSUES])
def test_all_issues_are_collected_with_elements(data: bytes, expected: set[tuple[str, str]]
                                                ) -> None:
    with pytest.raises(DocumentInvalid) as caught:
        read_wco_xml(data)
    assert_coded(caught.value)
    assert {(i.code, i.element) for i in caught.value.errors} == expected


def test_value_issue_points_into_the_xml() -> None:
    with pytest.raises(DocumentInvalid) as caught:
        read_wco_xml(declaration(ITEM.format(net="heavy")))
    [issue] = caught.value.errors
    assert issue.pointer == ("/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]"
                             "/Commodity/GoodsMeasure/NetNetWeightMeasure")


# -- hostile and malformed XML --------------------------------------------------------------
HOSTILE = [
    ("xxe", b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b"<d>&x;</d>", "CW-SYN-XML-FORBIDDEN"),
    ("billion laughs", b'<!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
     b'<!ENTITY c "&b;&b;&b;&b;&b;&b;">]><l>&c;</l>', "CW-SYN-XML-FORBIDDEN"),
    ("external dtd", b'<!DOCTYPE Declaration SYSTEM "http://example.com/x.dtd">'
     + declaration(wrap=False), "CW-SYN-XML-FORBIDDEN"),
    ("parameter entity", b'<!DOCTYPE d [<!ENTITY % p SYSTEM "http://example.com/p">%p;]><d/>',
     "CW-SYN-XML-FORBIDDEN"),
    ("utf-16 doctype", '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "y">]>'
     "<d>&x;</d>".encode("utf-16"), "CW-SYN-XML-FORBIDDEN"),
    ("nested 65 deep", b"<a>" * 65 + b"</a>" * 65, "CW-SYN-XML-DEPTH"),
    ("nested 5000 deep", b"<a>" * 5000 + b"</a>" * 5000, "CW-SYN-XML-DEPTH"),
    ("oversize", b"<a>" + b" " * MAX_DOCUMENT_BYTES + b"</a>", "CW-SYN-SIZE"),
    ("malformed", b"<a>\n  <b></a>", "CW-SYN-XML"),
    ("empty", b"", "CW-SYN-XML"),
    ("not utf-8", b"<a>\xff\xfe</a>", "CW-SYN-ENCODING"),
    ("response message", b"<MetaData><WCOTypeName>RES</WCOTypeName><Response><FunctionCode>01"
     b"</FunctionCode></Response></MetaData>", "CW-SYN-XML-DOCTYPE"),
    ("wrong namespace", declaration().replace(DEC.encode(), b"urn:example"),
     "CW-SYN-XML-DOCTYPE"),
    ("other root", b"<Invoice/>", "CW-SYN-XML-DOCTYPE"),
]


@pytest.mark.parametrize(("data", "code"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_or_malformed_xml_is_refused(data: bytes, code: str) -> None:
    with pytest.raises(DocumentInvalid) as caught:
        read_wco_xml(data)
    assert_coded(caught.value)
    assert [i.code for i in caught.value.errors] == [code]


def test_malformed_xml_points_at_line_and_column() -> None:
    with pytest.raises(DocumentInvalid) as caught:
        read_wco_xml(b"<a>\n  <b></a>")
    line, column = caught.value.errors[0].pointer.split(":")  # type: ignore[union-attr]
    assert line == "2" and column.isdigit()


def test_depth_64_is_still_accepted_as_xml() -> None:
    data = declaration("<GoodsShipment>" + "<X>" * 58 + "</X>" * 58 + "</GoodsShipment>")
    assert read_wco_xml(data).doc.lrn == "LRN-1"


# -- nothing but DocumentInvalid, whatever the bytes ----------------------------------------
SEEDS = [declaration(HEADER + ITEM.format(net="10"))] + [p.read_bytes() for p in SAMPLES[:40]]


def _mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    buf = bytearray(data)
    for op, position, value in edits:
        at = position % (len(buf) + 1)
        if op == 0:
            buf[at:at + 1] = b""
        elif op == 1:
            buf[at:at] = bytes([value])
        elif op == 2 and at < len(buf):
            buf[at] = value
        elif op == 3:
            del buf[at:]
        else:
            buf[at:at] = b"<>&;\"'/"[value % 7:value % 7 + 1]
    return bytes(buf)


def _only_document_invalid(data: bytes) -> None:
    try:
        parsed = read_wco_xml(data)
    except DocumentInvalid as exc:
        assert_coded(exc)
    else:
        assert isinstance(parsed, ParsedDocument)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_raise_only_document_invalid(data: bytes) -> None:
    _only_document_invalid(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS),
       st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10**6), st.integers(0, 255)),
                min_size=1, max_size=8))
def test_mutated_declarations_raise_only_document_invalid(
        seed: bytes, edits: list[tuple[int, int, int]]) -> None:
    _only_document_invalid(_mutate(seed, edits))
