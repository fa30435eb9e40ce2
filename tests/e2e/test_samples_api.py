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
from clearway.context import Context
from clearway.declarations.codes import ERROR_CODES
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
            assert body["code"] in ERROR_CODES or body["code"] == "CW-DOC-INVALID", body
            for error in body["errors"]:
                assert error["code"] in ERROR_CODES and error["message"], (path.name, error)
    assert tally.get(201, 0) > 0, tally
