"""DMS-style XML responses: well-formed, the right FunctionCode, the codes and pointers."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from clearway.declarations.formats.wco_xml import read_wco_xml
from clearway.errors import DocumentInvalid, Issue
from clearway.notifications.dms_xml import (
    DEFAULT_FUNCTION_CODE,
    KIND_FUNCTION_CODES,
    MD_NS,
    RES_NS,
    dms_pointers,
    render_dms_response,
)

REPO = Path(__file__).resolve().parents[3]
_DIR = Path(os.environ.get("CLEARWAY_SAMPLES_DIR", "../shared/data/wco-dm-dms/samples"))
EXAMPLES = (_DIR if _DIR.is_absolute() else (REPO / _DIR).resolve()).parent / "notifications"
AT = datetime(2026, 3, 1, 9, 30, 5, tzinfo=UTC)
ITEM_NET_MASS = ("/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]/Commodity"
                 "/GoodsMeasure/NetNetWeightMeasure")


def parse(xml: str) -> Any:
    return etree.fromstring(xml.encode("utf-8"))


def text(root: Any, path: str) -> str | None:
    found = root.xpath(path)
    return found[0].text if found else None


EXPECTED_CODES = [
    ("accepted", "01"), ("received", "02"), ("rejected", "03"), ("under_control", "05"),
    ("released", "09"), ("cancelled", "10"), ("invalidated", "10"), ("amended", "11"),
    ("risk_assessed", "02"), ("no-such-kind", DEFAULT_FUNCTION_CODE),
]


@pytest.mark.parametrize(("kind", "code"), EXPECTED_CODES)
def test_response_is_well_formed_with_function_code(kind: str, code: str) -> None:
    root = parse(render_dms_response(kind, lrn="LRN-1", mrn="26GB0000000000001A",
                                     issued_at=AT, version=2))
    assert root.tag == "MetaData"
    assert text(root, "WCOTypeName") == "RES"
    assert text(root, "Response/FunctionCode") == code
    assert text(root, "Response/Declaration/FunctionalReferenceID") == "LRN-1"
    assert text(root, "Response/Declaration/ID") == "26GB0000000000001A"
    assert text(root, "Response/Declaration/VersionID") == "2"
    stamp = root.xpath("Response/IssueDateTime/DateTimeString")[0]
    assert (stamp.get("formatCode"), stamp.text) == ("304", "20260301093005Z")
    assert len(text(root, "Response/FunctionalReferenceID") or "") == 32


@pytest.mark.parametrize("kind", sorted(KIND_FUNCTION_CODES))
def test_every_documented_kind_renders_a_two_digit_code(kind: str) -> None:
    root = parse(render_dms_response(kind, lrn="L", mrn=None, issued_at=AT))
    code = text(root, "Response/FunctionCode") or ""
    assert len(code) == 2 and code.isdigit()
    assert root.xpath("Response/Declaration/ID") == []


def test_rejection_carries_codes_pointers_and_messages() -> None:
    errors = [
        Issue("CW-RULE-MASS", "Net mass is greater than gross mass", "DE 6/1", ITEM_NET_MASS),
        Issue("CW-SYN-XML", "Opening and ending tag mismatch", None, "12:7"),
        Issue("CW-CODE-COUNTRY", "Unknown country 'XX'", "DE 5/15", "/items/0/origin_country"),
    ]
    root = parse(render_dms_response("rejected", lrn="L", mrn=None, issued_at=AT,
                                     errors=errors, message="Correct & lodge again <now>"))
    found = root.xpath("Response/Error")
    assert [text(e, "ValidationCode") for e in found] == [i.code for i in errors]
    for error, issue in zip(found, errors, strict=True):
        assert (issue.pointer or "") in (text(error, "Description") or "")
    pointers = [(text(p, "SequenceNumeric"), text(p, "DocumentSectionCode"), text(p, "TagID"))
                for p in found[0].xpath("Pointer")]
    assert pointers == [(None, "42A", None), (None, "67A", None), ("2", "68A", None),
                        (None, "23A", None), (None, "65A", "128")]
    assert found[1].xpath("Pointer") == [] and found[2].xpath("Pointer") == []
    assert text(root, "Response/AdditionalInformation/StatementDescription") == \
        "Correct & lodge again <now>"
    assert root.xpath("Response/Declaration/RejectionDateTime/DateTimeString")


POINTERS = [
    ("/MetaData/Declaration/FunctionalReferenceID", [(None, "42A", "D026")]),
    ("/Declaration/AuthorisationHolder[3]/CategoryCode", [(None, "42A", None),
                                                          ("3", "17C", "R145")]),
    ("/MetaData/Declaration/InvoiceAmount/@currencyID", [(None, "42A", "109")]),
    ("/submitDeclarationRequest/requestDetail/MetaData/Declaration/GoodsShipment/Importer/ID",
     [(None, "42A", None), (None, "67A", None), (None, "74A", "R038")]),
    ("/items/0/net_mass", []),
    ("3:14", []),
    (None, []),
]


@pytest.mark.parametrize(("pointer", "expected"), POINTERS, ids=[str(p[0]) for p in POINTERS])
def test_xml_paths_become_dms_pointers(pointer: str | None, expected: list[Any]) -> None:
    assert dms_pointers(pointer) == expected


EXAMPLE_FILES = [
    ("accepted", "01_DMSACC.xml"), ("received", "02_DMSRCV.xml"), ("rejected", "03_DMSREJ.xml"),
    ("under_control", "05_DMSCTL.xml"), ("released", "09_DMSCLE.xml"),
    ("cancelled", "10_DMSINV.xml"), ("amended", "11_DMSREQ.xml"),
]


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason=f"no DMS examples at {EXAMPLES}")
@pytest.mark.parametrize(("kind", "name"), EXAMPLE_FILES)
def test_shape_follows_the_example_notification(kind: str, name: str) -> None:
    example = etree.parse(str(EXAMPLES / name)).getroot()
    errors = [Issue("CW-RULE-MASS", "Net mass above gross", "DE 6/1", ITEM_NET_MASS)]
    ours = parse(render_dms_response(kind, lrn="L", mrn="M", issued_at=AT, version=1,
                                     errors=errors if kind == "rejected" else ()))

    def tags(node: Any) -> list[str]:
        return [c.tag for c in node if isinstance(c.tag, str)]

    assert text(ours, "Response/FunctionCode") == text(example, "Response/FunctionCode")
    assert tags(ours) == tags(example)
    response_tags = [t for t in tags(example.find("Response")) if t != "AdditionalInformation"]
    assert [t for t in tags(ours.find("Response")) if t != "AdditionalInformation"] == \
        response_tags
    for tag in tags(example.find("Response/Declaration")):
        assert ours.find(f"Response/Declaration/{tag}") is not None, tag


def test_namespaced_variant_uses_the_schema_namespaces() -> None:
    root = parse(render_dms_response("accepted", lrn="L", mrn="M", issued_at=AT,
                                     namespaced=True))
    ns = {"md": MD_NS, "r": RES_NS}
    assert root.tag == f"{{{MD_NS}}}MetaData"
    assert root.xpath("string(r:Response/r:FunctionCode)", namespaces=ns) == "01"
    assert root.xpath("string(md:WCOTypeName)", namespaces=ns) == "RES"


@pytest.mark.parametrize("moment", [
    datetime(2026, 3, 1, 10, 30, 5, tzinfo=timezone(timedelta(hours=1))),
    datetime(2026, 3, 1, 9, 30, 5),  # naive: taken as UTC
], ids=["offset", "naive"])
def test_issue_time_is_written_in_utc(moment: datetime) -> None:
    root = parse(render_dms_response("released", lrn="L", mrn="M", issued_at=moment))
    assert text(root, "Response/IssueDateTime/DateTimeString") == "20260301093005Z"


def test_control_characters_do_not_break_the_xml() -> None:
    xml = render_dms_response("rejected", lrn="L\x01", mrn=None, issued_at=AT,
                              errors=[Issue("CW-SYN-XML", "bad \x00 byte", None, "1:1")],
                              message="\x0b")
    assert parse(xml).xpath("Response/Error/ValidationCode")[0].text == "CW-SYN-XML"


def test_same_inputs_give_the_same_message() -> None:
    first = render_dms_response("accepted", lrn="L", mrn="M", issued_at=AT, version=1)
    assert first == render_dms_response("accepted", lrn="L", mrn="M", issued_at=AT, version=1)


def test_a_response_is_not_accepted_back_as_a_declaration() -> None:
    xml = render_dms_response("accepted", lrn="L", mrn="M", issued_at=AT)
    with pytest.raises(DocumentInvalid) as caught:
        read_wco_xml(xml.encode())
    assert [i.code for i in caught.value.errors] == ["CW-SYN-XML-DOCTYPE"]
