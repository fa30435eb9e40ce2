"""The issue's acceptance test over HTTP: a declaration lodged, sent red by a profile,
assigned to the qualified officer on duty, controlled with evidence and found irregular with
revenue; profile statistics, the trader's record, the label store and the trader's
notifications follow; the audit chain verifies from the command line, and a direct UPDATE
or DELETE on `audit_entries` makes `clearway audit verify` fail naming the entry.
Also: a trader cannot cancel a selected declaration; customs can, with four eyes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from typer.testing import CliRunner

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.cli.main import app as cli_app
from clearway.config import get_settings
from clearway.context import Context
from clearway.risk.engine.decision import Channel
from clearway.risk.learning.labels import outcomes
from clearway.storage.orm import DeclarationRow
from clearway.users.service import create_user
from controls_world import ELSEWHERE, OFFICE, QUAL, force
from helpers import TRADER, import_doc

API = "/api/v1/controls"
STAFF = (("sup", "supervisor"), ("sup2", "supervisor"), ("qual", "officer"),
         ("unq", "officer"), ("far", "officer"), ("analyst", "risk_analyst"),
         ("trader", "trader"))
runner = CliRunner()


@pytest.fixture
def loop(ctx: Context, db_url: str, monkeypatch: pytest.MonkeyPatch
         ) -> Iterator[tuple[TestClient, dict[str, tuple[int, dict[str, str]]]]]:
    """An office with a red-forcing profile needing `valuation`, a qualified officer on
    duty, an unqualified one beside them and a qualified one at another office."""
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    prepare(ctx)
    force(ctx, Channel.RED)
    who: dict[str, tuple[int, dict[str, str]]] = {}
    with ctx.uow() as uow:
        for name, role in STAFF:
            user, token = create_user(uow.session, name=name, role=role,
                                      trader_id=TRADER if role == "trader" else None,
                                      now=ctx.clock.now(), ttl_days=30)
            who[name] = (user.id, {"Authorization": f"Bearer {token}"})
        uow.commit()
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
            assert client.post(f"{API}/roster", headers=sup, json={
                "officer_id": who[name][0], "office": where,
                "starts_at": (now - timedelta(hours=1)).isoformat(),
                "ends_at": (now + timedelta(hours=7)).isoformat()}).status_code == 201
        yield client, who
    get_settings.cache_clear()


def lodge(client: TestClient, who: dict[str, Any], lrn: str) -> str:
    answer = client.post("/api/v1/declarations", headers=who["trader"][1],
                         json=import_doc(lrn=lrn, offices={"lodgement": OFFICE}))
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "risk_assessed"  # red: held for the control
    return str(answer.json()["mrn"])


def control_irregular(client: TestClient, who: dict[str, Any], mrn: str) -> None:
    qual = who["qual"][1]
    (task,) = client.get(f"{API}/tasks", headers=qual).json()
    assert (task["declaration"], task["officer_id"], task["kind"]) == (
        mrn, who["qual"][0], "physical")
    for other in ("unq", "far"):
        assert client.get(f"{API}/tasks", headers=who[other][1]).json() == []
    assert client.post(f"{API}/tasks/{task['id']}/start", headers=qual).status_code == 200
    photo = b"cartons, seals broken" * 8
    evidence = client.post(f"{API}/tasks/{task['id']}/evidence", params={"filename": "c.jpg"},
                           content=photo, headers={**qual, "Content-Type": "image/jpeg"})
    assert evidence.json()["sha256"] == hashlib.sha256(photo).hexdigest()
    done = client.post(f"{API}/tasks/{task['id']}/result", headers=qual, json={
        "outcome": "irregular", "irregularities": ["undervaluation"], "revenue": "842.10",
        # the goods stay detained until the duties are paid: the trader's record still counts it
        "action": "detain", "notes": "invoice shows a third of the price paid"})
    assert done.status_code == 200, done.text


def verify_cli() -> tuple[int, str]:
    result = runner.invoke(cli_app, ["audit", "verify"])
    return result.exit_code, result.output


def test_red_control_feeds_back_and_the_chain_verifies(loop: Any, ctx: Context) -> None:
    client, who = loop
    mrn = lodge(client, who, "LOOP-1")
    control_irregular(client, who, mrn)

    profiles = client.get("/api/v1/profiles/effectiveness", headers=who["analyst"][1]).json()
    forced = next(p for p in profiles["profiles"] if p["code"] == "FORCE")
    assert (forced["controls"], forced["hits"], forced["revenue"]) == (1, 1, 842.1)
    record = client.get(f"/api/v1/traders/{TRADER}/record", headers=who["trader"][1]).json()
    assert (record["controls"], record["irregular"], record["revenue_assessed"]) == (1, 1, 842.1)
    assert record["last_irregularity"]["types"] == ["undervaluation"]
    with ctx.uow(read_only=True) as uow:
        declaration_id = uow.session.execute(
            select(DeclarationRow.id).where(DeclarationRow.mrn == mrn)).scalar_one()
        label = outcomes(uow.session, [declaration_id])[declaration_id]
    assert (label.irregular, label.revenue) == (True, pytest.approx(842.1))
    notes = client.get("/api/v1/notifications", headers=who["trader"][1]).json()["items"]
    told = [n for n in notes if n["kind"] == "detained"]
    assert len(told) == 1 and "842.10" in told[0]["payload"]["message"]
    assert not any(secret in str(notes) for secret in ("undervaluation", "forced", "FORCE"))

    code, out = verify_cli()
    assert code == 0, out
    assert "intact" in out


@pytest.mark.parametrize("tamper", [
    "UPDATE audit_entries SET actor = 'mallory' WHERE id = :entry",
    "DELETE FROM audit_entries WHERE id = :entry",
])
def test_tampering_with_the_trail_is_named(loop: Any, ctx: Context, tamper: str) -> None:
    client, who = loop
    control_irregular(client, who, lodge(client, who, "LOOP-2"))
    with ctx.uow(read_only=True) as uow:
        result_entry = uow.session.execute(text(
            "SELECT id FROM audit_entries WHERE action = 'control_result.recorded'")
        ).scalar_one()
    with ctx.engine.begin() as conn:
        conn.execute(text(tamper), {"entry": result_entry})
    code, out = verify_cli()
    assert code == 1
    assert f"entry {result_entry}" in " ".join(out.split())


def test_a_selected_declaration_is_cancelled_only_with_four_eyes(loop: Any) -> None:
    client, who = loop
    mrn = lodge(client, who, "LOOP-3")
    refused = client.post(f"/api/v1/declarations/{mrn}/cancel", headers=who["trader"][1],
                          json={"reason": "ordered by mistake"})
    assert (refused.status_code, refused.json()["code"]) == (409, "CW-CANCEL-SELECTED")
    asked = client.post(f"/api/v1/declarations/{mrn}/overrides", headers=who["sup"][1],
                        json={"kind": "cancellation",
                              "reason": "trader shows the order was lodged twice"})
    assert asked.status_code == 201, asked.text
    approved = client.post(f"/api/v1/overrides/{asked.json()['id']}/approve",
                           headers=who["sup2"][1], json={})
    assert approved.status_code == 200, approved.text
    declaration = client.get(f"/api/v1/declarations/{mrn}", headers=who["trader"][1]).json()
    assert declaration["status"] == "cancelled"
