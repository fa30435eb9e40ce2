"""Reader fuzzing: whatever the bytes, a reader returns its model or raises its coded error.

Each reader gets arbitrary bytes (or text) and mutations of a valid sample (truncated, bytes
flipped, spans deleted or duplicated, huge numbers, odd unicode and NULs inserted). The
contract: a `ClearwayError` whose code (and every issue's code) is a CW- code, or the domain's
documented error for the CSV readers used offline. A reader's catch-all guard (`read_guarded`)
must not be what answers: that would hide a bug behind a vague message, so it fails too.

Budget: CLEARWAY_READER_FUZZ_EXAMPLES per test (default 80, ≈ 20 s for the file); a long hunt:
`CLEARWAY_READER_FUZZ_EXAMPLES=5000 uv run pytest tests/unit/declarations/test_reader_fuzz.py`
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearway.declarations.formats.detect import read_document
from clearway.declarations.formats.edifact import read_cusdec
from clearway.declarations.formats.json_reader import read_json
from clearway.declarations.formats.wco_xml import read_wco_xml
from clearway.dualuse.model import parse_csv as read_dual_use
from clearway.errors import ClearwayError
from clearway.refdata.csvfiles import read_list
from clearway.refdata.errors import RefDataError
from clearway.screening.service import parse as read_screening_list
from helpers import import_doc

EXAMPLES = int(os.environ.get("CLEARWAY_READER_FUZZ_EXAMPLES", "80"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DEC, MD = "urn:wco:datamodel:WCO:DEC-DMS:2", "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"

XML_SAMPLE = (
    f'<md:MetaData xmlns:md="{MD}"><md:WCODataModelVersionCode>3.6</md:WCODataModelVersionCode>'
    f'<Declaration xmlns="{DEC}"><FunctionCode>9</FunctionCode><FunctionalReferenceID>LRN-1'
    "</FunctionalReferenceID><TypeCode>IMA</TypeCode><GoodsItemQuantity>1</GoodsItemQuantity>"
    '<InvoiceAmount currencyID="EUR">250.00</InvoiceAmount><GoodsShipment>'
    "<GovernmentAgencyGoodsItem><SequenceNumeric>1</SequenceNumeric><Commodity><Description>"
    "Shoes</Description><Classification><ID>64039900</ID><IdentificationTypeCode>TSP"
    "</IdentificationTypeCode></Classification><GoodsMeasure><GrossMassMeasure>12.5"
    "</GrossMassMeasure><NetNetWeightMeasure>10</NetNetWeightMeasure></GoodsMeasure>"
    '<InvoiceLine><ItemChargeAmount currencyID="EUR">250.00</ItemChargeAmount></InvoiceLine>'
    "</Commodity><Origin><CountryCode>CN</CountryCode><TypeCode>1</TypeCode></Origin>"
    "</GovernmentAgencyGoodsItem></GoodsShipment><Declarant><ID>GB1</ID></Declarant>"
    "</Declaration></md:MetaData>").encode()
EDIFACT_SAMPLE = (FIXTURES / "cusdec" / "import_3_items.edi").read_bytes()
JSON_SAMPLE = json.dumps(import_doc()).encode()
SCREENING_SAMPLE = (FIXTURES / "screening" / "national-list.csv").read_bytes()
DUAL_USE_SAMPLE = (b"control_number,description,codes,valid_from,valid_to\n"
                   b"3A001,Electronic components,8542|854231,2026-01-01,\n"
                   b"5A002a.1,Cryptography,847130,,\n")
REFDATA_SAMPLE = (b"code,description,valid_from,valid_to\n1,Sea transport,2020-01-01,\n"
                  b"4,Air transport,2020-01-01,2030-12-31\n")

# Odd things to splice into a document: huge and odd numbers, unicode edge cases, NULs,
# the syntax characters of each format.
INSERTS = [b"9" * 5000, b"-1e999999", b"1E+308", b"NaN", b"\x00", b"\xff\xfe", b"\xed\xa0\x80",
           "\u202e\ufeff\U0001f600".encode(), ("\u0301" * 50).encode(), b"&#0;",
           b"&amp;&lt;", b"]]>", b"<x>", b"</", b"'", b"+", b":", b"?", b"UNA:+.? '", b"\r\n",
           b'"', b",", b"{", b"[" * 200, b"\\u0000", b"-0", b"0" * 400 + b"1"]


@st.composite
def mutated(draw: st.DrawFn, sample: bytes) -> bytes:
    """A valid sample, put through a few random edits."""
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        end = draw(st.integers(at, min(len(data), at + 64)))
        edit = draw(st.sampled_from(["truncate", "flip", "delete", "duplicate", "insert"]))
        if edit == "truncate":
            del data[at:]
        elif edit == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif edit == "delete":
            del data[at:end]
        elif edit == "duplicate":
            data[at:at] = data[at:end] * draw(st.integers(1, 50))
        elif edit == "insert":
            data[at:at] = draw(st.sampled_from(INSERTS))
    return bytes(data)


def inputs(sample: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=600), mutated(sample))


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def assert_coded(exc: ClearwayError) -> None:
    codes = [exc.code, *(issue.code for issue in exc.errors)]
    assert all(code.startswith("CW-") for code in codes), codes
    vague = [i.message for i in exc.errors if "could not be read (" in i.message]
    assert not vague, f"the reader's catch-all guard answered: {vague}"


def check(read: Callable[[bytes], Any], data: bytes, *documented: type[Exception]) -> None:
    try:
        read(data)
    except ClearwayError as exc:
        assert_coded(exc)
    except documented:
        pass


READERS: list[tuple[str, Callable[[bytes], Any], bytes, tuple[type[Exception], ...]]] = [
    ("wco-xml", read_wco_xml, XML_SAMPLE, ()),
    ("edifact", read_cusdec, EDIFACT_SAMPLE, ()),
    ("json", read_json, JSON_SAMPLE, ()),
    ("detect-sniffed", lambda d: read_document(d, None), JSON_SAMPLE, ()),
    ("detect-xml", lambda d: read_document(d, "application/xml"), XML_SAMPLE, ()),
    ("detect-edifact", lambda d: read_document(d, "text/plain"), EDIFACT_SAMPLE, ()),
    ("screening-generic", lambda d: read_screening_list(_text(d), "generic", "L", "f.csv"),
     SCREENING_SAMPLE, ()),
    ("screening-ofac", lambda d: read_screening_list(_text(d), "ofac", "SDN", "sdn.csv"),
     (FIXTURES / "screening" / "ofac-sdn-sample.csv").read_bytes(), ()),
    ("dual-use", lambda d: read_dual_use(_text(d)), DUAL_USE_SAMPLE, ()),
    ("refdata", lambda d: read_list("transport_modes", _text(d)), REFDATA_SAMPLE,
     (RefDataError,)),
]


@pytest.mark.parametrize(("read", "sample", "documented"), [r[1:] for r in READERS],
                         ids=[r[0] for r in READERS])
def test_samples_are_read(read: Callable[[bytes], Any], sample: bytes,
                          documented: tuple[type[Exception], ...]) -> None:
    """The seeds are valid documents, so mutations start from something that parses."""
    assert read(sample) is not None


@pytest.mark.parametrize(("read", "sample", "documented"), [r[1:] for r in READERS],
                         ids=[r[0] for r in READERS])
def test_any_input_is_read_or_refused_with_a_code(
        read: Callable[[bytes], Any], sample: bytes,
        documented: tuple[type[Exception], ...]) -> None:
    @FUZZ
    @given(data=inputs(sample))
    def run(data: bytes) -> None:
        check(read, data, *documented)

    run()
