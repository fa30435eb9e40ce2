"""The controls room over HTTP: a red declaration's task goes to the qualified officer on
duty at the office (never to an unqualified one or one at another office), who starts it,
attaches evidence (SHA-256 kept) and records an irregular result with revenue; the goods are
detained, the trader told only what they must know, profile statistics move, and the audit
chain verifies. Officers never see others' tasks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clearway.app import create_app
from clearway.audit.service import verify
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.risk.engine.decision import Channel
from clearway.storage.orm_controls import ProfileEffectivenessRow
from clearway.users.service import create_user
from controls_world import ELSEWHERE, OFFICE, QUAL, force
from helpers import TRADER, import_doc

API = "/api/v1/controls"


def member(ctx: Context, name: str, role: str, trader: str | None = None
           ) -> tuple[int, dict[str, str]]:
    with ctx.uow() as uow:
        user, token = create_user(uow.session, name=name, role=role, trader_id=trader,
                                  now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    return user.id, {"Authorization": f"Bearer {token}"}


@pytest.fixture
def office(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("HTTP behaviour does not depend on the backend")
    prepare(ctx)
    force(ctx, Channel.RED)
    who = {name: member(ctx, name, role, TRADER if role == "trader" else None)
           for name, role in (("sup", "supervisor"), ("qual", "officer"),
                              ("unq", "officer"), ("far", "officer"), ("trader", "trader"),
                              ("aud", "auditor"))}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        sup = who["sup"][1]
        assert client.post("/api/v1/training/courses", headers=sup, json={
            "code": "VAL-1", "title": "Valuation", "qualification": QUAL}).status_code == 200
        for name in ("qual", "far"):
            assert client.post("/api/v1/training/records", headers=sup, json={
                "officer_id": who[name][0], "course_code": "VAL-1",
                "completed_on": "2026-01-05"}).status_code == 201
        now = ctx.clock.now()
        for name, where in (("qual", OFFICE), ("unq", OFFICE), ("far", ELSEWHERE)):
            shift = client.post(f"{API}/roster", headers=sup, json={
                "officer_id": who[name][0], "office": where,
                "starts_at": (now - timedelta(hours=1)).isoformat(),
                "ends_at": (now + timedelta(hours=7)).isoformat()})
            assert shift.status_code == 201, shift.text
        yield client, who


def lodge(client: TestClient, who: dict[str, Any], lrn: str) -> str:
    answer = client.post("/api/v1/declarations", headers=who["trader"][1],
                         json=import_doc(lrn=lrn, offices={"lodgement": OFFICE}))
    assert answer.status_code == 201, answer.text
    return str(answer.json()["mrn"])


def test_red_to_detained_through_the_assigned_officer(office: Any, ctx: Context) -> None:
    client, who = office
    qual, unq, far, sup = (who[n][1] for n in ("qual", "unq", "far", "sup"))
    mrn = lodge(client, who, "CTL-1")
    (task,) = client.get(f"{API}/tasks", headers=qual).json()
    assert (task["declaration"], task["status"], task["officer_id"], task["kind"]) == (
        mrn, "assigned", who["qual"][0], "physical")
    # neither the unqualified officer here nor the qualified one elsewhere sees anything
    for other in (unq, far):
        assert client.get(f"{API}/tasks", headers=other).json() == []
        assert client.get(f"{API}/tasks/{task['id']}", headers=other).status_code == 404
        assert client.post(f"{API}/tasks/{task['id']}/start", headers=other).status_code == 404
    started = client.post(f"{API}/tasks/{task['id']}/start", headers=qual)
    assert started.json()["status"] == "in_progress"
    declaration = client.get(f"/api/v1/declarations/{mrn}", headers=qual).json()
    assert declaration["status"] == "under_control"
    photo = b"\x89PNG photo of the cartons" * 10
    uploaded = client.post(f"{API}/tasks/{task['id']}/evidence", params={"filename": "c.png"},
                           content=photo, headers={**qual, "Content-Type": "image/png"})
    assert uploaded.status_code == 201, uploaded.text
    evidence = uploaded.json()
    assert (evidence["sha256"], evidence["size"]) == (hashlib.sha256(photo).hexdigest(),
                                                      len(photo))
    got = client.get(f"{API}/tasks/{task['id']}/evidence/{evidence['id']}", headers=sup)
    assert (got.content, got.headers["content-type"]) == (photo, "image/png")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"].startswith("attachment")
    bad = client.post(f"{API}/tasks/{task['id']}/result", headers=qual,
                      json={"outcome": "irregular", "action": "detain"})
    assert (bad.status_code, bad.json()["code"]) == (422, "CW-CONTROL-RESULT")
    done = client.post(f"{API}/tasks/{task['id']}/result", headers=qual, json={
        "outcome": "irregular", "action": "detain", "irregularities": ["undervaluation"],
        "revenue": "1234.50", "notes": "invoice shows a third of the price paid"})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done"
    assert client.get(f"/api/v1/declarations/{mrn}", headers=qual).json()["status"] == \
        "detained"
    notes = client.get("/api/v1/notifications", headers=who["trader"][1]).json()["items"]
    last = notes[-1]
    assert last["kind"] == "detained" and "1234.50" in last["payload"]["message"]
    assert "undervaluation" not in str(last) and "forced" not in str(last)
    detail = client.get(f"{API}/tasks/{task['id']}", headers=who["aud"][1]).json()
    assert detail["result"]["irregularities"] == ["undervaluation"]
    assert [a["by"] for a in detail["assignments"]] == ["system"]
    with ctx.uow(read_only=True) as uow:
        stats = uow.session.execute(select(ProfileEffectivenessRow)).scalars().one()
    assert (stats.code, stats.controls, stats.hits) == ("FORCE", 1, 1)
    assert verify(ctx)[0] is None


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"officer_id": 0, "reason": "x"}, 422, "CW-REQUEST-INVALID"),
    ({"officer_id": "far", "reason": "covering"}, 422, "CW-TASK-INELIGIBLE"),
    ({"officer_id": "unq", "reason": ""}, 422, "CW-REASON-REQUIRED"),
    ({"officer_id": "unq", "reason": "qual is at the hospital"}, 200, None),
])
def test_reassignment_by_a_supervisor(office: Any, body: dict[str, Any], status: int,
                                      code: str | None, ctx: Context) -> None:
    client, who = office
    force(ctx, Channel.RED, None)  # no qualification needed: unq becomes eligible
    lodge(client, who, "CTL-R")
    (task,) = client.get(f"{API}/tasks", params={"office": OFFICE}, headers=who["sup"][1]
                         ).json()
    if isinstance(body["officer_id"], str):
        body = {**body, "officer_id": who[body["officer_id"]][0]}
    if task["officer_id"] == body["officer_id"]:  # the draw gave it to unq already
        body = {**body, "officer_id": who["qual"][0]}
    answer = client.post(f"{API}/tasks/{task['id']}/reassign", json=body,
                         headers=who["sup"][1])
    assert answer.status_code == status, answer.text
    assert answer.json().get("code") == code
    assert client.post(f"{API}/tasks/{task['id']}/reassign", json=body,
                       headers=who["qual"][1]).status_code == 403


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"officer_id": "trader", "office": OFFICE}, 422, "CW-ROSTER-NOT-OFFICER"),
    ({"officer_id": "qual", "office": OFFICE, "hours": -1}, 422, "CW-ROSTER-PERIOD"),
    ({"officer_id": "qual", "office": OFFICE, "hours": 30}, 422, "CW-ROSTER-PERIOD"),
    ({"officer_id": 99999, "office": OFFICE}, 404, "CW-NOT-FOUND"),
])
def test_roster_refusals(office: Any, ctx: Context, body: dict[str, Any], status: int,
                         code: str) -> None:
    client, who = office
    now = ctx.clock.now()
    officer = body["officer_id"]
    payload = {"officer_id": who[officer][0] if isinstance(officer, str) else officer,
               "office": body["office"], "starts_at": now.isoformat(),
               "ends_at": (now + timedelta(hours=body.get("hours", 8))).isoformat()}
    answer = client.post(f"{API}/roster", json=payload, headers=who["sup"][1])
    assert (answer.status_code, answer.json()["code"]) == (status, code)


def test_evidence_size_is_capped(office: Any, ctx: Context) -> None:
    client, who = office
    ctx.settings.evidence_max_bytes = 10
    lodge(client, who, "CTL-E")
    (task,) = client.get(f"{API}/tasks", headers=who["qual"][1]).json()
    for data in (b"", b"x" * 11):
        answer = client.post(f"{API}/tasks/{task['id']}/evidence", content=data,
                             headers=who["qual"][1])
        assert (answer.status_code, answer.json()["code"]) == (413, "CW-EVIDENCE-SIZE")


@pytest.mark.parametrize(("sent", "kept"), [
    ("photo.jpg", "photo.jpg"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\officer\\scan 1.pdf", "scan 1.pdf"),
    ("folder/", "folder"),
    ("..", "evidence"),
])
def test_evidence_keeps_only_the_file_name(office: Any, sent: str, kept: str) -> None:
    client, who = office
    lodge(client, who, f"CTL-N{len(sent)}")
    (task,) = client.get(f"{API}/tasks", headers=who["qual"][1]).json()
    answer = client.post(f"{API}/tasks/{task['id']}/evidence", params={"filename": sent},
                         content=b"evidence", headers=who["qual"][1])
    assert answer.status_code == 201, answer.text
    assert answer.json()["filename"] == kept
