"""The audit trail over HTTP: staff reads of a declaration are audited (traders' own are
not), entries page by filter, and verification answers for auditors and supervisors only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from helpers import TRADER, import_doc, make_token

BASE = "/api/v1/audit"
ROLES = {"trader": "trader", "officer": "officer", "auditor": "auditor",
         "supervisor": "supervisor", "admin": "administrator"}


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, dict[str, str]], str]]:
    prepare(ctx)
    tokens = {k: make_token(ctx, k, r, TRADER if r == "trader" else None)
              for k, r in ROLES.items()}
    headers = {k: {"Authorization": f"Bearer {t}"} for k, t in tokens.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        lodged = client.post("/api/v1/declarations", json=import_doc(), headers=headers["trader"])
        assert lodged.status_code == 201, lodged.text
        yield client, headers, lodged.json()["mrn"]


def _reads(client: TestClient, h: dict[str, dict[str, str]], mrn: str) -> list[dict[str, Any]]:
    page = client.get(f"{BASE}/entries", params={"action": "declaration.read",
                                                 "object_id": mrn}, headers=h["auditor"])
    assert page.status_code == 200, page.text
    items: list[dict[str, Any]] = page.json()["items"]
    return items


@pytest.mark.parametrize(("who", "suffix", "view", "audited"), [
    ("officer", "", "declaration", True),
    ("officer", "/decision", "decision", True),
    ("supervisor", "/events", "events", True),
    ("trader", "", "declaration", False),
    ("trader", "/events", "events", False),
])
def test_staff_reads_are_audited(api: Any, who: str, suffix: str, view: str,
                                 audited: bool) -> None:
    client, h, mrn = api
    assert client.get(f"/api/v1/declarations/{mrn}{suffix}", headers=h[who]).status_code == 200
    reads = _reads(client, h, mrn)
    expected = [(f"{ROLES[who]}:{who}", {"view": view})] if audited else []
    assert [(e["actor"], e["detail"]) for e in reads] == expected


def test_entries_filter_and_page(api: Any) -> None:
    client, h, mrn = api
    for _ in range(3):
        client.get(f"/api/v1/declarations/{mrn}", headers=h["officer"])
    first = client.get(f"{BASE}/entries", params={"actor": "officer:officer", "limit": 2},
                       headers=h["supervisor"]).json()
    assert len(first["items"]) == 2 and first["next_after"] == first["items"][-1]["id"]
    rest = client.get(f"{BASE}/entries", params={"actor": "officer:officer", "limit": 2,
                                                 "after": first["next_after"]},
                      headers=h["supervisor"]).json()
    assert len(rest["items"]) == 1 and rest["next_after"] is None
    assert all(e["actor"] == "officer:officer" for e in first["items"] + rest["items"])
    day = client.get(f"{BASE}/entries", params={"from": "2026-11-20", "to": "2026-11-21"},
                     headers=h["auditor"]).json()["items"]
    assert len(day) >= 4
    none = client.get(f"{BASE}/entries", params={"from": "2026-11-21"},
                      headers=h["auditor"]).json()["items"]
    assert none == []
    reversed_ = client.get(f"{BASE}/entries", params={"from": "2026-11-21", "to": "2026-11-20"},
                           headers=h["auditor"])
    assert reversed_.status_code == 422 and reversed_.json()["code"] == "CW-REQUEST-INVALID"


@pytest.mark.parametrize(("who", "status"), [("auditor", 200), ("supervisor", 200),
                                             ("officer", 403), ("trader", 403),
                                             ("admin", 403)])
def test_verify_route_permissions(api: Any, who: str, status: int) -> None:
    client, h, _ = api
    assert client.get(f"{BASE}/verify", headers=h[who]).status_code == status


def test_verify_reports_a_direct_edit(api: Any, ctx: Context) -> None:
    client, h, _ = api
    intact = client.get(f"{BASE}/verify", headers=h["auditor"]).json()
    assert intact["intact"] is True and intact["broken"] is None and intact["entries"] >= 1
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'nobody' WHERE id = 1"))
    broken = client.get(f"{BASE}/verify", headers=h["auditor"]).json()
    assert broken["intact"] is False and broken["broken"]["entry_id"] == 1


def test_verify_deep_names_the_record(api: Any, ctx: Context) -> None:
    from sqlalchemy import select

    from clearway.storage.orm import UserRow
    from clearway.users.service import _to_user, record_created

    client, h, mrn = api
    with ctx.uow() as uow:  # the helpers create users without the administrator's entry
        for row in uow.session.execute(select(UserRow)).scalars():
            record_created(uow.session, _to_user(row), actor="cli", now=ctx.clock.now())
        uow.commit()
    intact = client.get(f"{BASE}/verify", params={"deep": "true"}, headers=h["auditor"]).json()
    assert intact["intact"] is True and intact["deep"] is True and intact["records"] >= 6
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE declarations SET status = 'cancelled' WHERE mrn = :m"),
                     {"m": mrn})
    assert client.get(f"{BASE}/verify", headers=h["auditor"]).json()["intact"] is True
    deep = client.get(f"{BASE}/verify", params={"deep": "true"}, headers=h["auditor"]).json()
    assert deep["intact"] is False and deep["broken"]["kind"] == "record"
    assert deep["record"]["table"] == "declarations" and deep["record"]["key"] == mrn
    assert deep["record"]["field"] == "status" and deep["record"]["stored"] == "'cancelled'"
