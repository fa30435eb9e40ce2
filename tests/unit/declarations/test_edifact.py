"""CUSDEC reader and writer: round trips, coded errors with segment pointers, fuzzing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydifact.control import Characters
from pydifact.serializer import Serializer

from clearway.codes import CODES
from clearway.declarations.formats import MAX_DOCUMENT_BYTES, ParsedDocument
from clearway.declarations.formats.edifact import read_cusdec
from clearway.declarations.formats.edifact_writer import write_cusdec
from clearway.declarations.model import (
    AdditionalInformation,
    Address,
    Authorisation,
    CancellationRequest,
    Declaration,
    DeliveryTerms,
    Document,
    DutyTax,
    GoodsItem,
    GoodsLocation,
    Guarantee,
    Offices,
    Package,
    Party,
    PreviousDocument,
    Procedure,
    Transport,
)
from clearway.edifact.tokenizer import parse_segments
from clearway.errors import DocumentInvalid, Issue

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "cusdec" / "import_3_items.edi"
PREPARED = datetime(2026, 11, 20, 9, 30)
TRADER = "RS100234567"


# -- canonical declarations ----------------------------------------------------------------
def import_3_items() -> Declaration:
    """A full import: every field the CUSDEC profile carries, some values needing escapes."""
    return Declaration(
        declaration_type="IM", additional_type="A", lrn="IMP-2026-0001",
        declaration_date=date(2026, 11, 20),
        declarant=Party(id=TRADER, name="Brza Carina d.o.o.",
                        address=Address(street="Bulevar Mihajla Pupina 10", city="Beograd",
                                        postcode="11070", country="RS")),
        representative=Party(id="RS200300400"), representative_status="2",
        importer=Party(id="RS100234567", name="Uvoz Import d.o.o."),
        exporter=Party(name="Shanghai Clippers Co.", address=Address(city="Shanghai",
                                                                     country="CN")),
        seller=Party(name="Shanghai Clippers Co."), buyer=Party(id="RS100234567"),
        authorisations=[Authorisation(type="AEOC", holder_id="RS100234567")],
        offices=Offices(lodgement="RS010101", presentation="RS010102", supervising="RS010103"),
        goods_location=GoodsLocation(code="RSBEG001", qualifier="U", type="A", country="RS"),
        transport=Transport(mode_at_border="1", border_nationality="PA", inland_mode="3",
                            border_identity="MSC ANNA", arrival_identity="BG-123-AB",
                            container=True, container_ids=["MSCU1234566", "MSCU7654329"]),
        delivery_terms=DeliveryTerms(incoterm="CIF", place="Beograd"),
        invoice_currency="USD", invoice_amount=Decimal("2300.00"),
        exchange_rate=Decimal("0.9215"), nature_of_transaction="11", dispatch_country="CN",
        destination_country="RS", total_packages=45, total_gross_mass=Decimal("310.5"),
        item_count=3, guarantee=Guarantee(type="1", reference="26RS0000GRN000042"),
        documents=[Document(code="N380", reference="INV-7781", name="Commercial invoice",
                            issue_date=date(2026, 11, 2))],
        previous_documents=[PreviousDocument(category="Z", type="N705", reference="MSCU-BL-991",
                                             line=1)],
        additional_information=[AdditionalInformation(code="00500", text="IMPORTER: ISTI")],
        items=[
            GoodsItem(sequence=1, commodity_code="8510100000", description="Electric shavers",
                      origin_country="CN", procedure=Procedure(requested="40", previous="00",
                                                               additional=["C07"]),
                      net_mass=Decimal("100"), gross_mass=Decimal("120"),
                      supplementary_units=Decimal("200"), item_price=Decimal("1000.00"),
                      item_price_currency="USD", customs_value=Decimal("1010.50"),
                      statistical_value=Decimal("1010.50"), valuation_method="1",
                      valuation_indicators="0000",
                      packages=[Package(kind="CT", count=20, marks="SHV-1 to SHV-20")],
                      documents=[Document(code="Y923", status="AE")],
                      duties=[DutyTax(tax_type="A00", tax_base=Decimal("1010.50"),
                                      rate=Decimal("2.7"), amount=Decimal("27.28"),
                                      payment_method="A", preference="100"),
                              DutyTax(tax_type="B00", tax_base=Decimal("1038.78"),
                                      rate=Decimal("20"), amount=Decimal("207.76"),
                                      payment_method="A")],
                      container_ids=["MSCU1234566"]),
            GoodsItem(sequence=2, commodity_code="6109100010",
                      description="T-shirts, 100% cotton; sizes S+M+L: 'basic'?",
                      origin_country="BD", preferential_origin_country="BD",
                      procedure=Procedure(requested="40", previous="00"),
                      net_mass=Decimal("50"), gross_mass=Decimal("55.5"),
                      item_price=Decimal("800.00"), item_price_currency="USD",
                      packages=[Package(kind="CT", count=10, marks="TS/1-10"),
                                Package(kind="PK", count=5)],
                      documents=[Document(code="N954", reference="EUR1-BD-12")],
                      exporter=Party(name="Dhaka Knit Ltd", address=Address(country="BD"))),
            GoodsItem(sequence=3, commodity_code="9503007000", description="Toy puzzles",
                      origin_country="CN", procedure=Procedure(requested="40", previous="00"),
                      net_mass=Decimal("120"), gross_mass=Decimal("135"),
                      item_price=Decimal("500.00"), item_price_currency="USD",
                      packages=[Package(kind="CT", count=10)],
                      additional_information=[AdditionalInformation(text="Samples incl.")],
                      previous_documents=[PreviousDocument(type="N705", reference="BL-2")]),
        ],
    )


def export_1_item() -> Declaration:
    return Declaration(
        declaration_type="EX", additional_type="D", lrn="EXP/0001", declarant=Party(id=TRADER),
        exporter=Party(id=TRADER), consignee=Party(name="Wien Handel GmbH",
                                                   address=Address(country="AT")),
        offices=Offices(lodgement="RS010101", exit="RS020202"), destination_country="AT",
        transport=Transport(departure_identity="BG-999-XY", mode_at_border="3"),
        items=[GoodsItem(sequence=1, commodity_code="22042111", description="Red wine",
                         procedure=Procedure(requested="10", previous="00"),
                         net_mass=Decimal("750.125"), gross_mass=Decimal("900"),
                         packages=[Package(kind="BX", count=60)])],
    )


def co_minimal() -> Declaration:
    return Declaration(declaration_type="CO", lrn="C", declarant=Party(name="Nobody"),
                       items=[GoodsItem(sequence=1, commodity_code="01", description="x")])


def amendment() -> Declaration:
    doc = export_1_item()
    return doc.model_copy(update={"function_code": "13", "amends_mrn": "26RS000000000042A7",
                                  "amendment_reason": "Net mass corrected"})


def cancellation() -> CancellationRequest:
    return CancellationRequest(lrn="CAN-1", mrn="26RS000000000042A7", declarant=Party(id=TRADER),
                               reason_code="01", reason="Goods not exported: order cancelled")


BUILDERS = [import_3_items, export_1_item, co_minimal, amendment, cancellation]


def write(doc: Declaration | CancellationRequest, break_lines: bool = False) -> str:
    return write_cusdec(doc, sender=TRADER, recipient="CLEARWAY", reference="00000042",
                        prepared_at=PREPARED, break_lines=break_lines)


def read(data: str | bytes) -> ParsedDocument:
    return read_cusdec(data.encode() if isinstance(data, str) else data)


def issues(data: str | bytes) -> list[Issue]:
    with pytest.raises(DocumentInvalid) as caught:
        read(data)
    return caught.value.errors


def position(text: str, prefix: str, nth: int = 0) -> str:
    """The pointer of the nth segment line starting with prefix (UNA is not a segment)."""
    lines = text.splitlines()
    found = [i for i, line in enumerate(lines) if line.startswith(prefix)][nth]
    offset = 0 if lines[0].startswith("UNA") else 1
    return f"segment {found + offset} ({prefix[:3]})"


# -- round trips ---------------------------------------------------------------------------
@pytest.mark.parametrize("break_lines", [False, True])
@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_round_trip(build: Callable[[], Declaration | CancellationRequest],
                    break_lines: bool) -> None:
    doc = build()
    parsed = read(write(doc, break_lines))
    assert parsed.doc == doc
    assert parsed.format == "edifact"
    assert parsed.envelope == {"sender": TRADER, "recipient": "CLEARWAY",
                               "interchange_ref": "00000042", "message_ref": "00000042",
                               "document_number": doc.lrn, "unmapped": []}


def test_fixture_is_the_writer_output_and_reads_back() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert write(import_3_items(), break_lines=True) == text
    assert read(text).doc == import_3_items()


@pytest.mark.parametrize(("pointer", "prefix", "nth"), [
    ("", "UNH", 0), ("/lrn", "BGM", 0), ("/declarant", "NAD+DT", 0),
    ("/declarant/address/city", "NAD+DT", 0), ("/offices/presentation", "LOC+22", 0),
    ("/transport/border_nationality", "TDT+11", 0), ("/invoice_amount", "MOA+39", 0),
    ("/items", "UNS+D", 0), ("/items/0", "CST", 0), ("/items/2/commodity_code", "CST", 2),
    ("/items/1/net_mass", "MEA+WT+AAA", 1), ("/items/1/packages/1", "PAC", 2),
    ("/items/1/packages/0/marks", "PCI", 1), ("/items/0/duties/1/amount", "MOA+161", 1),
    ("/items/0/documents/0", "DOC", 1), ("/item_count", "CNT+5", 0),
    ("/total_packages", "CNT+11", 0),
])
def test_pointers_name_the_segment(pointer: str, prefix: str, nth: int) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert read(text).pointer_for(pointer) == position(text, prefix, nth)


def _with_characters(text: str, advice: str) -> str:
    segments, _ = parse_segments(text)
    return Serializer(Characters.from_str(advice)).serialize(segments, with_una_header=True)


@pytest.mark.parametrize(("name", "change"), [
    ("no UNA, default separators", lambda t: t.split("'", 1)[1]),
    ("other separators", lambda t: _with_characters(t, "UNA|*.\\ ~")),
    ("CRLF after segments, BOM", lambda t: "\ufeff" + t.replace("\n", "\r\n")),
    ("one line", lambda t: t.replace("'\n", "'")),
    ("leading whitespace", lambda t: "\n  " + t),
])
def test_syntax_variants_read_the_same(name: str, change: Callable[[str], str]) -> None:
    assert read(change(write(import_3_items(), break_lines=True))).doc == import_3_items()


def test_decimal_comma_and_ccyymmddhhmm_dates() -> None:
    text = write(export_1_item(), break_lines=True).replace("KGM:750.125", "KGM:750,125")
    text = _recount(_edit("BGM", "BGM+830+EXP/0001+9'\nDTM+137:202611200930:203'")(text))
    doc = read(text).doc
    assert isinstance(doc, Declaration)
    assert doc.items[0].net_mass == Decimal("750.125")
    assert doc.declaration_date == date(2026, 11, 20)


def test_unmapped_segments_are_kept_not_rejected() -> None:
    text = _recount(_edit("DTM+137", "DTM+137:20261120:102'\nFII+BF+12345'\nLOC+5+RSBEG'")(
        FIXTURE.read_text(encoding="utf-8")))
    parsed = read(text)
    assert parsed.envelope["unmapped"] == [f"{position(text, 'FII')}: FII+BF",
                                           f"{position(text, 'LOC+5')}: LOC+5"]


def test_amendment_takes_the_mrn_from_rff_acw_when_abt_is_absent() -> None:
    text = write(amendment(), break_lines=True).replace("RFF+ABT:", "RFF+ACW:")
    doc = read(text).doc
    assert isinstance(doc, Declaration)
    assert (doc.function_code, doc.amends_mrn) == ("13", "26RS000000000042A7")


# -- coded errors --------------------------------------------------------------------------
def _recount(text: str) -> str:
    """Set UNT's segment count to what the (single) message now holds."""
    lines = text.splitlines()
    unh = next(i for i, line in enumerate(lines) if line.startswith("UNH"))
    unt = next(i for i, line in enumerate(lines) if line.startswith("UNT"))
    lines[unt] = f"UNT+{unt - unh + 1}+" + lines[unt].split("+", 2)[2]
    return "\n".join(lines) + "\n"


def _edit(prefix: str, new: str | None, nth: int = 0) -> Callable[[str], str]:
    """Replace (None: delete) the nth segment line starting with prefix."""
    def change(text: str) -> str:
        lines = text.splitlines()
        index = [i for i, line in enumerate(lines) if line.startswith(prefix)][nth]
        lines[index:index + 1] = [] if new is None else [new]
        return "\n".join(lines) + "\n"
    return change


def _two_messages(text: str) -> str:
    lines = text.splitlines()
    body = lines[2:-1]
    return "\n".join(lines[:2] + body + body + ["UNZ+2+00000042'"]) + "\n"


BASE = write(import_3_items(), break_lines=True)
ERROR_CASES = [
    # (id, change of the valid interchange, code, pointer or segment prefix, element)
    ("not utf-8", lambda t: t.encode()[:40] + b"\xff\xfe" + t.encode()[40:], "CW-SYN-ENCODING",
     "/", None),
    ("too big", lambda t: b"UNA:+.? '" + b" " * MAX_DOCUMENT_BYTES, "CW-SYN-SIZE", "/", None),
    ("not edifact", lambda t: "Hello, world", "CW-SYN-EDI", "segment 1", None),
    ("lower-case tag", _edit("BGM", "bgm+929+X+9'"), "CW-SYN-EDI", "segment 3", None),
    ("bad UNA", lambda t: "UNA::::::" + t[9:], "CW-SYN-EDI", "/", None),
    ("no UNB", _edit("UNB", None), "CW-SYN-EDI", "/", None),
    ("no message", lambda t: "\n".join([*t.splitlines()[:2], "UNZ+0+00000042'"]),
     "CW-SYN-EDI-MESSAGE", "UNB", "UNH"),
    ("two messages", _two_messages, "CW-SYN-EDI-MESSAGE", "UNB", "UNH"),
    ("not a CUSDEC", _edit("UNH", "UNH+00000042+CUSRES:D:96B:UN'"), "CW-SYN-EDI-MESSAGE", "UNH",
     "S009"),
    ("UNT count", _edit("UNT", "UNT+99+00000042'"), "CW-SYN-EDI-COUNT", "UNT", "0074"),
    ("UNZ count", _edit("UNZ", "UNZ+3+00000042'"), "CW-SYN-EDI-COUNT", "UNZ", "0036"),
    ("UNZ reference", _edit("UNZ", "UNZ+1+00000043'"), "CW-SYN-EDI-SEGMENT", "UNZ", "0020"),
    ("no UNT", _edit("UNT", None), "CW-SYN-EDI", "UNH", "UNT"),
    ("net mass not a number", _edit("MEA+WT+AAA", "MEA+WT+AAA+KGM:1O0'"),
     "CW-SYN-EDI-SEGMENT", "MEA+WT+AAA", "DE 6/1"),
    ("gross mass in pounds", _edit("MEA+WT+AAB", "MEA+WT+AAB+LBR:120'", 1),
     "CW-SYN-EDI-SEGMENT", ("MEA+WT+AAB", 1), "DE 6/5"),
    ("impossible date", _edit("DTM+137", "DTM+137:20261340:102'"), "CW-SYN-EDI-SEGMENT",
     "DTM+137", "2380"),
    ("unknown document name", _edit("BGM", "BGM+999+IMP-2026-0001+9'"), "CW-SYN-EDI-SEGMENT",
     "BGM", "DE 1/1"),
    ("unknown function", _edit("BGM", "BGM+929+IMP-2026-0001+7'"), "CW-SYN-EDI-SEGMENT", "BGM",
     "1225"),
    ("no BGM", _edit("BGM", None), "CW-SYN-EDI-SEGMENT", "UNH", "BGM"),
    ("item number not a number", _edit("CST", "CST+A1+8510100000:108+4000:117'"),
     "CW-SYN-EDI-SEGMENT", "CST", "DE 1/6"),
    ("procedure of 3 characters", _edit("CST", "CST+1+8510100000:108+400:117'"),
     "CW-SYN-EDI-SEGMENT", "CST", "DE 1/10"),
    ("marks without package", _edit("FTX+AAA", "FTX+AAA+++Shavers'\nPCI++X'"),
     "CW-SYN-EDI-SEGMENT", "PCI", "PAC"),
    ("duty amount without TAX", _edit("FTX+AAA", "FTX+AAA+++Shavers'\nMOA+161:5'"),
     "CW-SYN-EDI-SEGMENT", "MOA+161", "TAX"),
    ("item data before CST", _edit("UNS+D", "UNS+D'\nQTY+1:5'"), "CW-SYN-EDI-SEGMENT", "QTY",
     "CST"),
    ("sections out of order", _edit("UNS+S", "UNS+D'"), "CW-SYN-EDI-SEGMENT", ("UNS+D", 1),
     "0081"),
    ("value given twice", _edit("DTM+137", "DTM+137:20261120:102'\nDTM+137:20261121:102'"),
     "CW-SYN-EDI-SEGMENT", ("DTM+137", 1), None),
    ("container indicator not 1/0", _edit("GIS+1:CTR", "GIS+2:CTR'"), "CW-SYN-EDI-SEGMENT",
     "GIS+2:CTR", "DE 7/2"),
    ("exchange rate not a number", _edit("CUX", "CUX+2:USD:4++0.92x'"), "CW-SYN-EDI-SEGMENT",
     "CUX", "DE 4/15"),
    ("empty party", _edit("NAD+IM", "NAD+IM'"), "CW-SYN-EDI-SEGMENT", "NAD+IM", "DE 3/15-3/16"),
    ("no declarant", _edit("NAD+DT", None), "CW-SYN-SCHEMA", "BGM", "DE 3/17-3/18"),
    ("LRN too long", _edit("BGM", "BGM+929+" + "L" * 36 + "+9'"), "CW-SYN-SCHEMA", "BGM",
     "DE 2/5"),
]


@pytest.mark.parametrize(("change", "code", "where", "element"),
                         [case[1:] for case in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_broken_interchanges_give_coded_issues(change: Callable[[str], str | bytes], code: str,
                                               where: str | tuple[str, int],
                                               element: str | None) -> None:
    broken = change(BASE)
    if isinstance(broken, str) and code not in ("CW-SYN-EDI-COUNT", "CW-SYN-EDI-MESSAGE") \
            and broken.count("UNH") == 1 and "UNT" in broken:
        broken = _recount(broken)  # so the count is not what fails
    found = issues(broken)
    text = broken if isinstance(broken, str) else ""
    prefix, nth = where if isinstance(where, tuple) else (where, 0)
    literal = prefix == "/" or prefix.startswith("segment ")
    pointer = prefix if literal else position(text, prefix, nth)
    assert (code, pointer, element) in [(i.code, i.pointer, i.element) for i in found], found
    assert all(i.code in CODES for i in found)


def test_cancellation_without_reason_or_mrn() -> None:
    text = _edit("RFF+ABT", None)(_edit("FTX+ACD", None)(write(cancellation(), True)))
    found = issues(_recount(text))
    assert {(i.code, i.element) for i in found} >= {("CW-SYN-SCHEMA", None)}
    assert {i.pointer for i in found} == {position(text, "BGM")}
    assert len(found) == 2


def test_all_issues_are_collected_at_once() -> None:
    text = _edit("MEA+WT+AAA", "MEA+WT+AAA+KGM:x'")(_edit("DTM+137", "DTM+137:2026:102'")(BASE))
    found = issues(_edit("UNZ", "UNZ+7+00000042'")(_edit("UNT", "UNT+7+00000042'")(text)))
    assert sorted(i.code for i in found) == ["CW-SYN-EDI-COUNT", "CW-SYN-EDI-COUNT",
                                             "CW-SYN-EDI-SEGMENT", "CW-SYN-EDI-SEGMENT"]


# -- properties ----------------------------------------------------------------------------
def assert_only_coded(data: bytes) -> None:
    try:
        parsed = read_cusdec(data)
    except DocumentInvalid as exc:
        assert exc.errors
        for issue in exc.errors:
            assert issue.code in CODES, issue
            assert isinstance(issue.pointer, str) and issue.pointer, issue
    else:
        assert isinstance(parsed.doc, Declaration | CancellationRequest)


FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EDI_ALPHABET = "UNABGHZTSDCEMOQX+:'?. 0123456789\n"


@FUZZ
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_only_raise_coded_issues(data: bytes) -> None:
    assert_only_coded(data)


@FUZZ
@given(st.text(max_size=1000))
def test_arbitrary_text_only_raises_coded_issues(text: str) -> None:
    assert_only_coded(text.encode())


@FUZZ
@given(st.text(alphabet=EDI_ALPHABET, max_size=600))
def test_edifact_like_text_only_raises_coded_issues(text: str) -> None:
    assert_only_coded(("UNA:+.? 'UNB+UNOC:3+A+B+261120:0930+1'UNH+1+CUSDEC:D:96B:UN'" + text)
                      .encode())


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from([BASE, write(cancellation(), True), write(export_1_item())]))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.splitlines() or [""]
        op = draw(st.sampled_from(["delete", "insert", "replace", "drop", "dup", "swap"]))
        i = draw(st.integers(0, max(len(text) - 1, 0)))
        if op == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 40)):]
        elif op == "insert":
            text = text[:i] + draw(st.text(EDI_ALPHABET + "ÄxyZ", max_size=20)) + text[i:]
        elif op == "replace":
            text = text[:i] + draw(st.sampled_from("+:'?.,x9 ")) + text[i + 1:]
        else:
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if op == "drop":
                del lines[a]
            elif op == "dup":
                lines.insert(a, lines[b])
            else:
                lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
    return text


@FUZZ
@given(mutated())
def test_mutated_interchanges_only_raise_coded_issues(text: str) -> None:
    assert_only_coded(text.encode())


# Any text a declaration may carry: every character but C0 and C1 controls, DEL and the
# bidi overrides U+202D/U+202E (CW-SYN-TEXT, see test_control_characters_are_refused and
# test_validation_gaps); CR and LF only in multi-line free text (descriptions).
_NEVER = [chr(c) for c in range(32)] + [chr(c) for c in range(0x7f, 0xa0)] + ["\u202d",
                                                                              "\u202e"]
CHARS = st.characters(blacklist_categories=("Cs",),  # lone surrogates cannot be UTF-8
                      blacklist_characters=_NEVER)
LINES = st.characters(blacklist_categories=("Cs",),
                      blacklist_characters=[c for c in _NEVER if c not in "\r\n"])
TEXT = st.text(CHARS, min_size=1, max_size=80)
AMOUNT = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=0,
                     max_value=10**9)
# An LRN (also used as a reference): ASCII letters and digits, single separators between
# them (CW-SYN-REFERENCE otherwise).
REFERENCE = st.from_regex(r"[A-Za-z0-9]{1,10}(?:[-_./][A-Za-z0-9]{1,10}){0,2}", fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(lrn=REFERENCE,
       name=TEXT, words=st.lists(TEXT, min_size=1, max_size=4),
       marks=st.text(CHARS, min_size=1, max_size=400),
       mass=AMOUNT, when=st.dates(min_value=date(1900, 1, 1)), count=st.integers(0, 10**6),
       description=st.text(LINES, min_size=1, max_size=2000))
def test_any_text_and_numbers_survive_the_round_trip(
        lrn: str, name: str, words: list[str], marks: str, mass: Decimal, when: date,
        count: int, description: str) -> None:
    doc = Declaration(
        declaration_type="IM", lrn=lrn, declaration_date=when,
        declarant=Party(id=words[0], name=name, address=Address(street=marks, city=words[-1])),
        transport=Transport(border_identity=name, container_ids=words),
        delivery_terms=DeliveryTerms(incoterm=words[0], place=marks),
        total_gross_mass=mass, total_packages=count, invoice_amount=mass,
        additional_information=[AdditionalInformation(code=w, text=marks) for w in words],
        items=[GoodsItem(sequence=n + 1, commodity_code=word, description=description,
                         net_mass=mass, packages=[Package(count=count, kind=word, marks=marks)],
                         documents=[Document(code=word, reference=lrn, issue_date=when)],
                         duties=[DutyTax(tax_type=word, rate=mass, amount=mass)])
               for n, word in enumerate(words)])
    assert read(write(doc)).doc == doc
