"""Every WCO DM sample lodged over HTTP is accepted or refused with coded errors, never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.codes import CODES
from clearway.context import Context
from conftest import SAMPLES
from helpers import make_token

FILES = sorted(SAMPLES.glob("*.xml")) if SAMPLES.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason=f"no samples at {SAMPLES}")


def declarant_of(path: Path) -> str | None:
    """The declarant (or submitter) EORI, read independently of the reader under test."""
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    for xpath in ("//*[local-name()='Declarant']/*[local-name()='ID']",
                  "//*[local-name()='Submitter']/*[local-name()='ID']"):
        found = tree.xpath(xpath)
        if found:
            return str(found[0].text).strip()
    return None


@pytest.fixture
def client(ctx: Context) -> Iterator[TestClient]:
    prepare(ctx)
    with TestClient(create_app(ctx), raise_server_exceptions=False) as c:
        yield c


def test_every_sample_is_accepted_or_refused_with_codes(client: TestClient, ctx: Context,
                                                        db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("format coverage needs one backend; storage is covered elsewhere")
    tokens: dict[str, str] = {}
    tally: dict[int, int] = {}
    for path in FILES:
        eori = declarant_of(path) or "GB000000000000"
        if eori not in tokens:
            tokens[eori] = make_token(ctx, f"user-{eori}", "trader", eori)
        answer = client.post("/api/v1/declarations", content=path.read_bytes(),
                             headers={"Authorization": f"Bearer {tokens[eori]}",
                                      "Content-Type": "application/xml"})
        tally[answer.status_code] = tally.get(answer.status_code, 0) + 1
        assert answer.status_code < 500, (path.name, answer.text)
        body: dict[str, Any] = answer.json()
        if answer.status_code in (200, 201):
            assert body["mrn"] and body["items"] is not None
        else:
            assert body["code"] in CODES or body["code"] == "CW-DOC-INVALID", body
            for error in body["errors"]:
                assert error["code"] in CODES and error["message"], (path.name, error)
    assert tally.get(201, 0) > 0, tally


AMENDMENT_PAIRS = [
    ("TT_IM008a__Step1_TT_IM008a.xml", "TT_IM008b__TT_IM008b_Amendment.xml"),
    ("TT_IM033b__TT_IM033b.xml", "TT_IM033b__TT_IM033b_Amendment.xml"),
]


@pytest.mark.parametrize(("original", "amendment"), AMENDMENT_PAIRS)
def test_dms_amendment_is_merged_onto_the_lodged_declaration(
        client: TestClient, ctx: Context, original: str, amendment: str) -> None:
    """A DMS amendment carries only what changes: lodge the original, send the amendment
    with the MRN we issued, and the declaration becomes version 2 with the change merged."""
    first, second = SAMPLES / original, SAMPLES / amendment
    ctx.settings.auto_release = False  # a released declaration could not be amended
    if not (first.exists() and second.exists()):
        pytest.skip("sample pair not present")
    eori = declarant_of(first) or ""
    headers = {"Authorization": f"Bearer {make_token(ctx, 'amender', 'trader', eori)}",
               "Content-Type": "application/xml"}
    lodged = client.post("/api/v1/declarations", content=first.read_bytes(), headers=headers)
    assert lodged.status_code == 201, lodged.text
    mrn = lodged.json()["mrn"]
    tree = etree.fromstring(second.read_bytes(), etree.XMLParser(resolve_entities=False))
    ids = tree.xpath("/*/*[local-name()='Declaration']/*[local-name()='ID']")
    if not ids:
        ids = tree.xpath("//*[local-name()='Declaration']/*[local-name()='ID']")
    ids[0].text = mrn
    answer = client.post("/api/v1/declarations", content=etree.tostring(tree), headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["version"] == 2 and body["mrn"] == mrn
    assert body["lrn"] == lodged.json()["lrn"]
    assert body["declaration_type"] == lodged.json()["declaration_type"]
    assert body != lodged.json()
