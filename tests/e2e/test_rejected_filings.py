"""A rejected document is stored as far as it fits, never with a 500: goods items numbered
twice (JSON `sequence`, EDIFACT CST+1), text too long for its column (a country, an office,
an additional type, a party id) are refused with coded errors (422), the rejection is kept
(its row, event and notification) and an identical retry answers it. On SQLite and on
PostgreSQL, where over-long text would break the columns' lengths."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.declarations.formats.edifact_writer import write_cusdec
from clearway.declarations.model import Declaration
from helpers import TRADER, import_doc, make_token


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, str]]]:
    prepare(ctx)
    auth = {"Authorization": f"Bearer {make_token(ctx, 'r1', 'trader', TRADER)}"}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, auth


def twice_numbered() -> dict[str, Any]:
    doc = import_doc()
    doc["items"][1]["sequence"] = 1
    return doc


def over_long() -> dict[str, Any]:
    doc = copy.deepcopy(import_doc(additional_type="ABC", offices={"lodgement": "X" * 20},
                                   buyer={"id": "RS" + "9" * 60}))
    doc["items"][0]["origin_country"] = "CHINA"
    doc["items"][0]["consignee"] = {"id": "RS" + "8" * 60}
    return doc


def as_json(doc: dict[str, Any]) -> tuple[str, str]:
    return json.dumps(doc), "application/json"


def as_edifact(doc: dict[str, Any]) -> tuple[str, str]:
    text = write_cusdec(Declaration.model_validate(doc), sender=TRADER, recipient="CLEARWAY",
                        reference="1", prepared_at=datetime(2026, 11, 20, tzinfo=UTC))
    return text, "application/edifact"


@pytest.mark.parametrize(("build", "encode", "code"), [
    (twice_numbered, as_json, "CW-RULE-ITEM-DUPLICATE"),     # JSON "sequence": 1 twice
    (twice_numbered, as_edifact, "CW-RULE-ITEM-DUPLICATE"),  # EDIFACT CST+1 twice
    (over_long, as_json, "CW-CODE-COUNTRY"),
], ids=["json-sequence-twice", "edifact-cst-twice", "json-over-long-text"])
def test_a_rejected_document_is_stored_as_far_as_it_fits(
        api: tuple[TestClient, dict[str, str]], build: Any, encode: Any, code: str) -> None:
    client, auth = api
    body, media = encode(build())
    headers = {**auth, "Content-Type": media}
    answer = client.post("/api/v1/declarations", content=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert code in {e["code"] for e in answer.json()["errors"]}
    again = client.post("/api/v1/declarations", content=body, headers=headers)
    assert again.status_code == 422
    assert again.json()["declaration_id"] == answer.json()["declaration_id"]
    kept = client.get(f"/api/v1/declarations/{answer.json()['declaration_id']}", headers=auth)
    assert kept.status_code == 200 and kept.json()["status"] == "rejected"
    notes = client.get("/api/v1/notifications", headers=auth).json()["items"]
    assert [n["kind"] for n in notes] == ["rejected"]
