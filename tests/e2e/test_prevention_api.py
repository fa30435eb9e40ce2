"""Corruption prevention over HTTP: an officer files, lists, renews and withdraws their own
declarations of interest (another's does not exist for them; other officers never list
them); a supervisor reviews others'; sensitive posts, the roster's tenure refusal, a
four-eyes exception, the plan and the yearly share."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.storage.orm import UserRow
from helpers import TRADER, make_token

ROLES = {"sup": "supervisor", "sup2": "supervisor", "officer": "officer",
         "officer2": "officer", "auditor": "auditor", "trader": "trader"}
LINK = {"kind": "former_employer", "party_id": "rs 0000 12", "party_name": "Old employer",
        "description": "I worked there until 2024"}


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, dict[str, str]], dict[str, int],
                                        Context]]:
    prepare(ctx)
    tokens = {k: make_token(ctx, k, r, TRADER if r == "trader" else None)
              for k, r in ROLES.items()}
    with ctx.uow(read_only=True) as uow:
        ids = dict(uow.session.execute(select(UserRow.name, UserRow.id)).all())
    headers = {k: {"Authorization": f"Bearer {t}"} for k, t in tokens.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, headers, ids, ctx


def test_declarations_of_interest_stay_with_their_officer_and_the_reviewers(api: Any) -> None:
    client, h, _, _ = api
    filed = client.post("/api/v1/interests", json=LINK, headers=h["officer"])
    assert filed.status_code == 201, filed.text
    got = filed.json()
    assert (got["party_id"], got["status"], got["late"], got["renewal_overdue"]) == (
        "RS000012", "pending", False, False)
    key = got["id"]
    assert [d["id"] for d in client.get("/api/v1/interests/mine",
                                        headers=h["officer"]).json()] == [key]
    assert client.get("/api/v1/interests/mine", headers=h["officer2"]).json() == []
    for path, body in ((f"/api/v1/interests/{key}/renew", None),
                       (f"/api/v1/interests/{key}/withdraw", {"reason": "mine now"})):
        assert client.post(path, json=body, headers=h["officer2"]).status_code == 404
    assert client.get("/api/v1/interests", headers=h["officer"]).json()["code"] == \
        "CW-FORBIDDEN"
    listed = client.get("/api/v1/interests", params={"status": "pending"}, headers=h["sup"])
    assert [(d["id"], d["officer"]) for d in listed.json()] == [(key, "officer")]
    reviewed = client.post(f"/api/v1/interests/{key}/review",
                           json={"outcome": "returned", "note": "Say until when"},
                           headers=h["sup"])
    assert reviewed.json()["status"] == "returned"
    assert client.post(f"/api/v1/interests/{key}/renew", headers=h["officer"]
                       ).json()["status"] == "pending"
    ended = client.post(f"/api/v1/interests/{key}/withdraw", json={"reason": "left in 2024"},
                        headers=h["officer"])
    assert ended.json()["status"] == "withdrawn"
    again = client.post(f"/api/v1/interests/{key}/renew", headers=h["officer"])
    assert (again.status_code, again.json()["code"]) == (409, "CW-INTEREST-STATE")


@pytest.mark.parametrize(("who", "body", "status", "code"), [
    ("officer", {**LINK, "kind": "friend"}, 422, "CW-INTEREST-FIELD"),
    ("officer", {**LINK, "party_id": "RS-12"}, 422, "CW-INTEREST-FIELD"),
    ("officer", {**LINK, "extra": 1}, 422, "CW-REQUEST-INVALID"),
    ("trader", LINK, 403, "CW-FORBIDDEN"),
    ("auditor", LINK, 403, "CW-FORBIDDEN"),
])
def test_a_declaration_is_refused_with_a_code(api: Any, who: str, body: dict[str, Any],
                                              status: int, code: str) -> None:
    client, h, _, _ = api
    answer = client.post("/api/v1/interests", json=body, headers=h[who])
    assert (answer.status_code, answer.json()["code"]) == (status, code)


def test_sensitive_post_roster_exception_and_plan(api: Any) -> None:
    client, h, ids, ctx = api
    post = {"office": "RS001002", "function": "control", "max_tenure_days": 30,
            "warn_days": 10}
    assert client.put("/api/v1/rotation/posts", json=post, headers=h["sup"]).status_code == 200
    assert client.get("/api/v1/rotation/posts", headers=h["auditor"]).json() == [post]
    now = ctx.clock.now()

    def shift(day: int) -> Any:
        start = now + timedelta(days=day)
        return client.post("/api/v1/controls/roster", headers=h["sup"], json={
            "officer_id": ids["officer"], "office": "RS001002",
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=8)).isoformat()})

    assert shift(-20).json()["warning"] is None
    warned = shift(2).json()
    assert warned["function"] == "control" and "Must rotate off RS001002" in warned["warning"]
    refused = shift(12)
    assert (refused.status_code, refused.json()["code"]) == (409, "CW-ROTATION-TENURE")
    plan = client.get("/api/v1/rotation/plan", params={"warnings": True},
                      headers=h["auditor"]).json()
    assert [(e["officer"], e["status"]) for e in plan] == [("officer", "warning")]
    asked = client.post("/api/v1/rotation/exceptions", headers=h["sup"], json={
        "officer_id": ids["officer"], "office": "RS001002",
        "until": (now + timedelta(days=40)).date().isoformat(), "reason": "Port handover"})
    assert asked.status_code == 201, asked.text
    key = asked.json()["id"]
    own = client.post(f"/api/v1/rotation/exceptions/{key}/decide", json={"approve": True},
                      headers=h["sup"])
    assert (own.status_code, own.json()["code"]) == (409, "CW-ROTATION-EXCEPTION")
    assert client.post(f"/api/v1/rotation/exceptions/{key}/decide", json={"approve": True},
                       headers=h["officer"]).json()["code"] == "CW-FORBIDDEN"
    approved = client.post(f"/api/v1/rotation/exceptions/{key}/decide",
                           json={"approve": True, "note": "once"}, headers=h["sup2"])
    assert approved.json()["status"] == "approved"
    assert shift(12).status_code == 201
    share = client.get("/api/v1/rotation/share", params={"year": 2026}, headers=h["sup"])
    assert share.json() == {"year": 2026, "officers": 1, "rotated": 0, "share": 0.0}
