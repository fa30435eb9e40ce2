"""Hostile documents over HTTP: the table of tests/unit/declarations/test_hostile_documents.py
is submitted as a trader; each is answered 422 with its code (413 where the body is over the
transport limit), and nothing is stored. Hostile CSV lists likewise for the screening upload.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.storage.orm import DeclarationRow, EventRow
from helpers import TRADER, make_token

_SPEC = importlib.util.spec_from_file_location(
    "hostile_table", Path(__file__).resolve().parents[1] / "unit" / "declarations"
    / "test_hostile_documents.py")
assert _SPEC and _SPEC.loader
TABLE: Any = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(TABLE)
DOCUMENTS = TABLE.DOCUMENTS
LIST_CASES = [(f"{case}-{fmt}", fmt, text)
              for fmt, header in (("generic", "list_id,entry_id,name,kind,aliases,countries,"
                                              "programs"), ("ofac", "1,NAME"))
              for case, text in TABLE.csv_cases(header)]


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, str]]]:
    prepare(ctx)
    tokens = {"trader": make_token(ctx, "t1", "trader", TRADER),
              "admin": make_token(ctx, "a1", "administrator")}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, tokens


def stored(ctx: Context) -> tuple[int, int]:
    with ctx.uow() as uow:
        return tuple(int(uow.session.execute(select(func.count()).select_from(row)).scalar_one())
                     for row in (DeclarationRow, EventRow))  # type: ignore[return-value]


@pytest.mark.parametrize(("media", "data", "code"), [d[1:] for d in DOCUMENTS],
                         ids=[d[0] for d in DOCUMENTS])
def test_hostile_declaration_is_refused_and_not_stored(api: Any, ctx: Context, media: str,
                                                       data: bytes, code: str) -> None:
    client, tokens = api
    before = stored(ctx)
    answer = client.post("/api/v1/declarations", content=data,
                         headers={"Authorization": f"Bearer {tokens['trader']}",
                                  "Content-Type": media})
    body = answer.json()
    if code == "CW-SYN-SIZE" and answer.status_code == 413:  # refused by the transport limit
        assert body["code"].startswith("CW-")
    else:
        assert answer.status_code == 422, body
        assert body["code"] == "CW-DOC-INVALID"
        assert body["errors"][0]["code"] == code, body["errors"]
    assert "root:" not in answer.text
    assert stored(ctx) == before


@pytest.mark.parametrize(("fmt", "text"), [c[1:] for c in LIST_CASES],
                         ids=[c[0] for c in LIST_CASES])
def test_hostile_screening_list_is_refused(api: Any, fmt: str, text: str) -> None:
    client, tokens = api
    answer = client.put(f"/api/v1/screening/lists/HOSTILE?format={fmt}", content=text,
                        headers={"Authorization": f"Bearer {tokens['admin']}",
                                 "Content-Type": "text/csv"})
    assert answer.status_code in (413, 422), answer.text[:300]
    assert answer.json()["code"] in ("CW-LIST-FORMAT", "CW-SYN-SIZE")
    lists = client.get("/api/v1/screening/lists",
                       headers={"Authorization": f"Bearer {tokens['admin']}"}).json()
    assert "HOSTILE" not in str(lists)
