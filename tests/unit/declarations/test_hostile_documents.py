"""Hostile documents: each is refused with its own code, before the parser reads it where a
limit allows (size, segment count), and without expanding entities or touching files.

The limits are in `clearway.declarations.formats` and docs/formats.md ("Limits and hostile
input"); the same table goes through the HTTP API in tests/e2e/test_hostile_submissions.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clearway.declarations.formats import (
    MAX_DOCUMENT_BYTES,
    MAX_JSON_DEPTH,
    MAX_XML_ATTRIBUTES,
    MAX_XML_ELEMENTS,
)
from clearway.declarations.formats.detect import read_document
from clearway.dualuse.model import parse_csv as read_dual_use
from clearway.edifact import tokenizer
from clearway.edifact.tokenizer import MAX_EDIFACT_SEGMENTS
from clearway.errors import ClearwayError
from clearway.refdata.csvfiles import read_list
from clearway.refdata.errors import RefDataError
from clearway.screening.service import parse as read_screening_list

EDIFACT_SAMPLE = (Path(__file__).resolve().parents[2] / "fixtures" / "cusdec"
                  / "import_3_items.edi").read_bytes()
DEC = "urn:wco:datamodel:WCO:DEC-DMS:2"
OVER = MAX_DOCUMENT_BYTES + 1
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">' for i in range(1, 10))
          + ']><lolz>&lol9;</lolz>').encode()


def xml(body: str) -> bytes:
    return f'<Declaration xmlns="{DEC}">{body}</Declaration>'.encode()


def csv_cases(header: str) -> list[tuple[str, str]]:
    return [("huge-field", f'{header}\n"{"x" * 200_000}"\n'),
            ("huge-line", header + "\n" + "y" * 3_000_000 + "\n"),
            ("million-columns", "a" + ",a" * 1_000_000 + "\n")]


# (case, content type, bytes, code of the (first) issue)
DOCUMENTS: list[tuple[str, str, bytes, str]] = [
    ("json-oversized", "application/json", b"{" + b" " * OVER + b"}", "CW-SYN-SIZE"),
    ("xml-oversized", "application/xml", xml(" " * OVER), "CW-SYN-SIZE"),
    ("edifact-oversized", "application/edifact", EDIFACT_SAMPLE + b"\n" * OVER, "CW-SYN-SIZE"),
    ("xml-10000-levels", "application/xml", b"<a>" * 10_000 + b"</a>" * 10_000,
     "CW-SYN-XML-DEPTH"),
    ("xml-100-levels", "application/xml", xml("<a>" * 100 + "</a>" * 100), "CW-SYN-XML-DEPTH"),
    ("xxe-system-entity", "application/xml",
     b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     + xml("<FunctionCode>&x;</FunctionCode>"), "CW-SYN-XML-FORBIDDEN"),
    ("xxe-parameter-entity", "application/xml",
     b'<!DOCTYPE d [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><d/>',
     "CW-SYN-XML-FORBIDDEN"),
    ("external-dtd", "application/xml",
     b'<!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd"><d/>', "CW-SYN-XML-FORBIDDEN"),
    ("doctype-utf16", "application/xml",
     '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>'
     .encode("utf-16"), "CW-SYN-XML-FORBIDDEN"),
    ("billion-laughs", "application/xml", LAUGHS, "CW-SYN-XML-FORBIDDEN"),
    ("quadratic-blowup", "application/xml",
     b'<!DOCTYPE d [<!ENTITY a "' + b"x" * 100_000 + b'">]><d>' + b"&a;" * 10_000 + b"</d>",
     "CW-SYN-XML-FORBIDDEN"),
    ("xinclude", "application/xml",
     xml('<FunctionCode>9</FunctionCode><xi:include xmlns:xi="http://www.w3.org/2001/XInclude"'
         ' href="file:///etc/passwd" parse="text"/>'), "CW-SYN-XML-FORBIDDEN"),
    ("xml-huge-attribute-count", "application/xml",
     xml("<a " + " ".join(f'a{i}="1"' for i in range(MAX_XML_ATTRIBUTES + 1)) + "/>"),
     "CW-SYN-ELEMENTS"),
    ("xml-too-many-elements", "application/xml", xml("<a/>" * (MAX_XML_ELEMENTS + 1)),
     "CW-SYN-ELEMENTS"),
    ("edifact-absurd-segment-count", "application/edifact",
     b"UNB+UNOC:3+A+B+261120:0900+1'" + b"FTX+AAA+++x'" * (MAX_EDIFACT_SEGMENTS + 1),
     "CW-SYN-ELEMENTS"),
    ("edifact-segment-count-mismatch", "application/edifact",
     EDIFACT_SAMPLE.replace(b"UNT+81+", b"UNT+9+"), "CW-SYN-EDI-COUNT"),
    ("edifact-bad-una", "application/edifact", b"UNA::::::" + EDIFACT_SAMPLE[9:], "CW-SYN-EDI"),
    ("edifact-truncated-una", "application/edifact", b"UNA:+", "CW-SYN-EDI"),
    ("json-100k-brackets", "application/json", b"[" * 100_000 + b"]" * 100_000, "CW-SYN-DEPTH"),
    ("json-too-deep-object", "application/json",
     b'{"a":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1), "CW-SYN-DEPTH"),
    ("json-huge-integer", "application/json", b'{"invoice_amount": ' + b"9" * 5000 + b"}",
     "CW-SYN-NUMBER"),
    ("json-huge-decimal", "application/json", b'{"a": 0.' + b"1" * 100 + b"}", "CW-SYN-NUMBER"),
]

CSV_READERS: list[tuple[str, Callable[[str], Any], str, type[Exception], str]] = [
    ("screening", lambda t: read_screening_list(t, "generic", "L", "list.csv"),
     "list_id,entry_id,name,kind,aliases,countries,programs", ClearwayError, "CW-LIST-FORMAT"),
    ("screening-ofac", lambda t: read_screening_list(t, "ofac", "SDN", "sdn.csv"),
     "1,NAME", ClearwayError, "CW-LIST-FORMAT"),
    ("dual-use", read_dual_use, "control_number,description,codes", ClearwayError,
     "CW-DU-FILE"),
    ("refdata", lambda t: read_list("transport_modes", t),
     "code,description,valid_from,valid_to", RefDataError, ""),
]
CSV_CASES = [(f"{name}-{case}", read, text, error, code)
             for name, read, header, error, code in CSV_READERS
             for case, text in csv_cases(header)]


def issue_code(exc: ClearwayError) -> str:
    return exc.errors[0].code if exc.errors else exc.code


@pytest.mark.parametrize(("media", "data", "code"), [d[1:] for d in DOCUMENTS],
                         ids=[d[0] for d in DOCUMENTS])
def test_hostile_document_is_refused_with_its_code(media: str, data: bytes, code: str) -> None:
    with pytest.raises(ClearwayError) as refused:
        read_document(data, media)
    assert issue_code(refused.value) == code, refused.value.errors
    assert b"root:" not in str(refused.value.errors).encode()  # /etc/passwd never shows


UNREAD = [d for d in DOCUMENTS
          if d[3] == "CW-SYN-SIZE" or d[0] == "edifact-absurd-segment-count"]


@pytest.mark.parametrize(("media", "data", "code"), [d[1:] for d in UNREAD],
                         ids=[d[0] for d in UNREAD])
def test_limits_refuse_before_parsing(monkeypatch: pytest.MonkeyPatch, media: str,
                                      data: bytes, code: str) -> None:
    def parser_reached(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the parser was reached")

    from clearway.declarations.formats import json_reader, wco_xml

    monkeypatch.setattr(json_reader.json, "loads", parser_reached)
    monkeypatch.setattr(wco_xml.etree, "fromstring", parser_reached)
    monkeypatch.setattr(tokenizer, "tokenize", parser_reached)
    with pytest.raises(ClearwayError) as refused:
        read_document(data, media)
    assert issue_code(refused.value) == code


@pytest.mark.parametrize(("read", "text", "error", "code"), [c[1:] for c in CSV_CASES],
                         ids=[c[0] for c in CSV_CASES])
def test_hostile_csv_is_refused_with_its_error(read: Callable[[str], Any], text: str,
                                               error: type[Exception], code: str) -> None:
    with pytest.raises(error) as refused:
        read(text)
    if isinstance(refused.value, ClearwayError):
        assert issue_code(refused.value) == code, refused.value
