"""CUSRES responses: they parse back with pydifact, counts are right, errors are carried."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydifact.parser import Parser
from pydifact.segmentcollection import Interchange
from pydifact.segments import Segment

from clearway.declarations.formats.edifact import read_cusdec
from clearway.errors import Issue
from clearway.notifications.cusres import DEFAULT_CODES, KIND_CODES, render_cusres

pytestmark = pytest.mark.filterwarnings(
    "ignore::pydifact.exceptions.MissingImplementationWarning")  # pydifact ships no directories
ISSUED = datetime(2026, 11, 20, 9, 30, 15, tzinfo=UTC)
ENVELOPE = {"sender": "RS100234567", "recipient": "CLEARWAY", "interchange_ref": "00000042",
            "message_ref": "M42", "document_number": "LRN-1"}
ERRORS = [
    Issue("CW-SYN-EDI-SEGMENT", "'1O0' is not a number", "DE 6/1", "segment 44 (MEA)"),
    Issue("CW-RULE-MASS", "Net mass 120 is greater than gross mass 100", "DE 6/1",
          "segment 45 (MEA)"),
    Issue("CW-CODE-COUNTRY", "Unknown country 'XX' (a: b + c?)", None, "/items/0/origin_country"),
    Issue("CW-RULE-NO-ITEMS", "A declaration must carry at least one goods item"),
]


def segments(text: str) -> list[Segment]:
    """Every segment, UNB and UNZ included, as pydifact parses them."""
    return [s for s in Parser().parse(text) if s.tag != "UNA"]


def values(segs: list[Segment], tag: str) -> list[Any]:
    return [s.elements for s in segs if s.tag == tag]


def render(kind: str = "rejected", **changes: Any) -> str:
    args: dict[str, Any] = {"lrn": "LRN-1", "mrn": "26RS000000000042A7", "issued_at": ISSUED,
                            "errors": ERRORS, "envelope": ENVELOPE,
                            "message": "Rejected: correct the errors"}
    args.update(changes)
    return render_cusres(kind, **args)


def test_envelope_answers_the_trader_and_counts_are_right() -> None:
    text = render()
    segs = segments(text)
    assert text.startswith("UNA:+.? 'UNB+UNOC:3+CLEARWAY+RS100234567+261120:0930+")
    unb, unh, unt, unz = segs[0], segs[1], segs[-2], segs[-1]
    assert [s.tag for s in (unb, unh, unt, unz)] == ["UNB", "UNH", "UNT", "UNZ"]
    assert unh.elements == ["1", ["CUSRES", "D", "96B", "UN"]]
    assert unt.elements == [str(len(segs) - 2), "1"]  # UNH..UNT inclusive
    assert unz.elements == ["1", unb.elements[4]]
    assert len(unb.elements[4]) <= 14
    interchange = Interchange.from_str(text)
    assert [m.type for m in interchange.get_messages()] == ["CUSRES"]


@pytest.mark.parametrize(("kind", "codes"), [
    *KIND_CODES.items(), ("documents_required", DEFAULT_CODES), ("Under-Control",
                                                                 KIND_CODES["under_control"]),
])
def test_bgm_carries_the_response_type_of_the_kind(kind: str, codes: tuple[str, str, str]) -> None:
    bgm = values(segments(render(kind)), "BGM")[0]
    name, function, response = codes
    assert bgm == [[name, "", "", kind], "26RS000000000042A7", function, response]


@pytest.mark.parametrize(("mrn", "envelope", "references", "document"), [
    ("26RS000000000042A7", ENVELOPE,
     [["ABE", "LRN-1"], ["ABT", "26RS000000000042A7"], ["ACW", "M42"]], "26RS000000000042A7"),
    (None, ENVELOPE, [["ABE", "LRN-1"], ["ACW", "M42"]], "LRN-1"),
    (None, None, [["ABE", "LRN-1"]], "LRN-1"),
])
def test_references_and_document_number(mrn: str | None, envelope: dict[str, str] | None,
                                        references: list[list[str]], document: str) -> None:
    segs = segments(render(mrn=mrn, envelope=envelope))
    assert values(segs, "RFF") == [[r] for r in references]
    assert values(segs, "BGM")[0][1] == document
    if envelope is None:
        assert segs[0].elements[1:3] == ["CLEARWAY", "UNKNOWN"]


def test_every_error_has_its_erp_erc_ftx_group() -> None:
    segs = segments(render())
    start = next(i for i, s in enumerate(segs) if s.tag == "ERP")
    groups = [segs[start + 3 * n:start + 3 * n + 3] for n in range(len(ERRORS))]
    assert [[s.tag for s in g] for g in groups] == [["ERP", "ERC", "FTX"]] * len(ERRORS)
    assert [g[0].elements for g in groups] == [
        [["", "1"], ["MEA", "44"]], [["", "2"], ["MEA", "45"]], [["", "3"]], [["", "4"]]]
    assert [g[1].elements for g in groups] == [[e.code] for e in ERRORS]
    for group, error in zip(groups, ERRORS, strict=True):
        ftx = group[2].elements
        assert ftx[0] == "AAO" and ftx[2] == (error.element or "")
        assert ftx[3] == ([error.message, error.pointer] if error.pointer else error.message)
    assert segs[start + 3 * len(ERRORS)].tag == "UNT"


def test_no_errors_no_message() -> None:
    segs = segments(render("accepted", errors=(), message=None))
    assert [s.tag for s in segs] == ["UNB", "UNH", "BGM", "DTM", "RFF", "RFF", "RFF", "UNT",
                                     "UNZ"]


@pytest.mark.parametrize(("issued_at", "stamp"), [
    (ISSUED, "202611200930"),
    (datetime(2026, 11, 20, 11, 30, tzinfo=timezone(timedelta(hours=2))), "202611200930"),
    (datetime(2026, 11, 20, 9, 30), "202611200930"),
])
def test_issue_time_is_utc(issued_at: datetime, stamp: str) -> None:
    segs = segments(render(issued_at=issued_at))
    assert values(segs, "DTM") == [[["137", stamp, "203"]]]
    assert segs[0].elements[3] == ["261120", "0930"]


def test_free_text_is_escaped_and_long_text_split() -> None:
    message = "Line with ' + : ? characters " + "x" * 600
    segs = segments(render(message=message))
    ftx = values(segs, "FTX")[0]
    assert ftx[:3] == ["AAI", "", ""]
    assert "".join(ftx[3]) == message


def test_same_input_same_output() -> None:
    assert render() == render()
    assert render() != render(issued_at=ISSUED + timedelta(minutes=1))


SAMPLE_CUSDEC = (b"UNA:+.? 'UNB+UNOC:3+TRADER01:ZZZ+CLEARWAY+261120:0930+REF1'"
                 b"UNH+MSG1+CUSDEC:D:96B:UN'BGM+929+LRN-9+9'NAD+DT+RS100234567'UNS+D'"
                 b"CST+1+8510100000'FTX+AAA+++Shavers'UNS+S'UNT+8+MSG1'UNZ+1+REF1'")


def test_answers_the_cusdec_it_responds_to() -> None:
    parsed = read_cusdec(SAMPLE_CUSDEC)
    segs = segments(render_cusres("accepted", lrn=parsed.doc.lrn, mrn="26RS1", issued_at=ISSUED,
                                  envelope=parsed.envelope))
    assert segs[0].elements[1:3] == ["CLEARWAY", "TRADER01"]
    assert ["ACW", "MSG1"] in [e[0] for e in values(segs, "RFF")]
    assert values(segs, "BGM")[0][1] == "26RS1"
