"""EDIFACT tokenising is bounded and fast (clearway.edifact.tokenizer):
per-segment element, component and value bounds and control characters are refused with a
code, before the work can grow; a 1 MiB interchange reads in well under a second; and the
API parses documents in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.api import declarations as views
from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clearance import changes, lodging
from clearway.context import Context
from clearway.declarations.formats.detect import read_document
from clearway.declarations.formats.edifact import read_cusdec
from clearway.edifact.tokenizer import (
    MAX_EDIFACT_COMPONENTS,
    MAX_EDIFACT_ELEMENTS,
    MAX_EDIFACT_SEGMENTS,
    MAX_EDIFACT_VALUE_CHARS,
    parse_segments,
)
from clearway.errors import DocumentInvalid
from helpers import TRADER, make_token

SAMPLE = (Path(__file__).resolve().parents[2] / "fixtures" / "cusdec"
          / "import_3_items.edi").read_text()
UNB = "UNA:+.? 'UNB+UNOC:3+A+B+261120:0900+1'"


def _in_bgm(value: str) -> str:
    return SAMPLE.replace("BGM+929+", "BGM+929+" + value, 1)


# (id, interchange, code of the first issue, its pointer)
REFUSED = [
    ("too many components", UNB + "FTX+AAA+" + ":" * MAX_EDIFACT_COMPONENTS + "'",
     "CW-SYN-ELEMENTS", "segment 2"),
    ("2 MiB of component separators", UNB + "FTX+AAA+" + ":" * 2 * 1024 * 1024 + "'",
     "CW-SYN-ELEMENTS", "segment 2"),
    ("too many data elements", UNB + "FTX" + "+" * MAX_EDIFACT_ELEMENTS + "'",
     "CW-SYN-ELEMENTS", "segment 2"),
    ("value too long", UNB + "FTX+AAA+++" + "x" * (MAX_EDIFACT_VALUE_CHARS + 1) + "'",
     "CW-SYN-ELEMENTS", "segment 2"),
    ("raw NUL", _in_bgm("\x00"), "CW-SYN-TEXT", "segment 3"),
    ("SOH", _in_bgm("\x01"), "CW-SYN-TEXT", "segment 3"),
    ("escape", _in_bgm("\x1b[2J"), "CW-SYN-TEXT", "segment 3"),
    ("DEL", _in_bgm("\x7f"), "CW-SYN-TEXT", "segment 3"),
    ("tab", _in_bgm("\t"), "CW-SYN-TEXT", "segment 3"),
    ("release before a line break", _in_bgm("?\n"), "CW-SYN-EDI", "segment 3"),
    ("empty segment", SAMPLE.replace("UNH", "'UNH", 1), "CW-SYN-EDI", "segment 2"),
    ("UNA cut short", "UNA", "CW-SYN-EDI", "/"),
    ("UNA advice of five characters", "UNA:+.? ", "CW-SYN-EDI", "/"),
    ("more segments than allowed", UNB + "FTX+AAA'" * (MAX_EDIFACT_SEGMENTS + 1),
     "CW-SYN-ELEMENTS", "/"),
]


@pytest.mark.parametrize(("text", "code", "pointer"), [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_bounds_and_control_characters_are_refused(text: str, code: str,
                                                   pointer: str) -> None:
    with pytest.raises(DocumentInvalid) as refused:
        read_cusdec(text.encode())
    issue = refused.value.errors[0]
    assert (issue.code, issue.pointer) == (code, pointer), issue


def test_at_the_bounds_is_read() -> None:
    value = "x" * MAX_EDIFACT_VALUE_CHARS
    text = (UNB + "FTX+" + ":" * (MAX_EDIFACT_COMPONENTS - 2) + value + "+" * (
        MAX_EDIFACT_ELEMENTS - 2) + "'")
    segments, _ = parse_segments(text[9:])
    assert len(segments[1].elements) == MAX_EDIFACT_ELEMENTS - 1
    assert len(segments[1].elements[0]) == MAX_EDIFACT_COMPONENTS - 1


def test_released_terminators_are_not_counted_as_segments() -> None:
    text = UNB + ("FTX+AAA+++O?'Brien" + "?'" * 10 + "'") * (MAX_EDIFACT_SEGMENTS // 5)
    segments, _ = parse_segments(text[9:])
    assert segments[1].elements[3] == "O'Brien" + "'" * 10


def test_released_characters_read_as_pydifact_did() -> None:
    segments, _ = parse_segments("UNB+A?:B?+C??D?'E?x+:F::'")
    assert segments[0].elements == ["A:B+C?D'Ex", ["", "F"]]


# The shapes that took pydifact 2 to 5 s. How fast they go is measured by
# benchmarks/edifact_tokenise.py (figures in docs/formats.md), not here: a test checks what
# comes out — a document, or a refusal with the element bound's code — never the clock.
SHAPES = [
    ("1 MiB of ordinary segments", UNB + "FTX+AAA+++Goods of an ordinary item:x'" * 27_000),
    ("1 MiB of 98-component elements", UNB + ("FTX+" + ":" * 97 + "x'") * 10_000),
    ("2 MiB of component separators", UNB + "FTX+AAA+" + ":" * 2 * 1024 * 1024 + "'"),
    ("1 MiB of released characters", UNB + ("FTX+AAA+++" + "?'?+?:??" * 60 + "'") * 2_100),
]


@pytest.mark.parametrize("text", [c[1] for c in SHAPES], ids=[c[0] for c in SHAPES])
def test_a_hostile_megabyte_is_read_or_refused_with_a_code(text: str) -> None:
    try:
        read_cusdec(text.encode())
    except DocumentInvalid as exc:
        codes = {issue.code for issue in exc.errors}
        assert codes and all(code.startswith("CW-") for code in codes), codes
        if ":" * 200 in text:  # far more components than any segment may hold
            assert "CW-SYN-ELEMENTS" in codes


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, str]]:
    prepare(ctx)
    token = make_token(ctx, "t1", "trader", TRADER)
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, token


def test_documents_are_parsed_off_the_event_loop(api: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    client, token = api
    on_loop: list[bool] = []

    def watched(data: bytes, content_type: str | None) -> Any:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return read_document(data, content_type)

    monkeypatch.setattr(views, "read_document", watched, raising=False)
    monkeypatch.setattr(lodging, "read_document", watched)
    monkeypatch.setattr(changes, "read_document", watched)
    for method, address in (("POST", "/api/v1/declarations"),
                            ("PUT", "/api/v1/declarations/26RS0000000000001A")):
        client.request(method, address, content=SAMPLE.encode(),
                       headers={"Authorization": f"Bearer {token}",
                                "Content-Type": "application/edifact"})
    assert on_loop and not any(on_loop), on_loop
