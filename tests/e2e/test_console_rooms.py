"""The console's rooms through the TestClient: each role reaches its rooms and no other's,
an officer never sees another's task, refusals are coded messages on the page (never a
500), and a recorded result shows on the supervisor's, auditor's and analyst's pages."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.controls import service
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import UserRow
from clearway.users.model import hash_token, new_token
from clearway.web.csrf import key_for
from controls_world import OFFICE, World, force, lodge, office
from helpers import make_token

ROOMS = ("/console/tasks", "/console/office", "/console/approvals", "/console/integrity",
         "/console/kpis", "/console/profiles/effectiveness")


def token_for(ctx: Context, user_id: int) -> str:
    """A fresh sign-in token for a user the controls world made (it keeps no tokens)."""
    token = new_token()
    with ctx.uow() as uow:
        uow.session.get_one(UserRow, user_id).token_hash = hash_token(token)
        uow.commit()
    return token


@pytest.fixture
def world(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, World, dict[str, str]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    prepare(ctx)
    force(ctx, Channel.RED)
    made = office(ctx)
    tokens = {role: make_token(ctx, role, role) for role in ("auditor", "risk_analyst")}
    for who, user in (("qual", made.qualified), ("unq", made.unqualified),
                      ("sup", made.supervisor), ("trader", made.trader)):
        tokens[who] = token_for(ctx, user.id)
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, made, tokens


def as_(client: TestClient, tokens: dict[str, str], who: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set("cw_token", tokens[who])
    # The form key a page of this session carries (clearway.web.csrf), sent as htmx does.
    client.headers["X-CSRF-Token"] = key_for(
        client.app.state.context.settings.secret_key, tokens[who])  # type: ignore[attr-defined]
    return client


@pytest.mark.parametrize(("who", "allowed"), [
    ("trader", set()),
    ("unq", {"/console/tasks", "/console/kpis"}),
    ("sup", {"/console/tasks", "/console/office", "/console/approvals", "/console/kpis",
             "/console/profiles/effectiveness"}),
    ("auditor", {"/console/tasks", "/console/integrity", "/console/kpis",
                 "/console/profiles/effectiveness"}),
    ("risk_analyst", {"/console/kpis", "/console/profiles/effectiveness"}),
])
def test_each_role_reaches_only_its_rooms(world: Any, who: str, allowed: set[str]) -> None:
    client, _made, tokens = world
    as_(client, tokens, who)
    home = client.get("/console").text.split("<main")[0]
    for room in ROOMS:
        answer = client.get(room)
        assert answer.status_code == (200 if room in allowed else 403), (who, room)
        assert "text/html" in answer.headers["content-type"]
        if room != "/console/profiles/effectiveness":
            assert (f'href="{room}"' in home) == (room in allowed), (who, room)
    client.cookies.clear()
    assert client.get("/console/tasks").status_code == 303  # to the sign-in page


def workers(ctx: Context, made: World) -> Any:
    """The red declaration's task id: it went to the qualified officer on duty."""
    row = lodge(ctx, made, "WEB-1")
    (task,) = service.list_tasks(ctx, made.qualified, office=None, status=None)
    return row, task.id


def test_officer_works_a_task_and_others_see_the_outcome(world: Any, ctx: Context) -> None:
    client, made, tokens = world
    row, task = workers(ctx, made)
    qual = as_(client, tokens, "qual")
    listed = qual.get("/console/tasks").text
    assert f'data-task="{task}"' in listed and row.mrn in listed
    page = qual.get(f"/console/tasks/{task}").text
    assert "forced for the test" in page and "weigh every carton" in page
    assert qual.post(f"/console/tasks/{task}/start").status_code == 303
    again = qual.post(f"/console/tasks/{task}/start")
    assert again.status_code == 409 and "CW-TASK-STATE" in again.text
    photo = b"\x89PNG cartons" * 20
    up = qual.post(f"/console/tasks/{task}/evidence",
                   files={"file": ("c.png", photo, "image/png")})
    assert up.status_code == 201 and hashlib.sha256(photo).hexdigest() in up.text
    empty = qual.post(f"/console/tasks/{task}/evidence", files={"file": ("e.png", b"")})
    assert empty.status_code == 413 and "CW-EVIDENCE-SIZE" in empty.text
    bad = qual.post(f"/console/tasks/{task}/result",
                    data={"outcome": "irregular", "action": "detain", "revenue": "-3"})
    assert bad.status_code == 422 and "CW-CONTROL-RESULT" in bad.text
    partial = qual.post(f"/console/tasks/{task}/result", headers={"HX-Request": "true"},
                        data={"outcome": "irregular", "action": "detain"})
    assert partial.status_code == 200 and "CW-CONTROL-RESULT" in partial.text
    assert "<html" not in partial.text and "/irregularities" in partial.text
    done = qual.post(f"/console/tasks/{task}/result", data={
        "outcome": "irregular", "action": "seize", "irregularities": ["undervaluation"],
        "revenue": "1234.50", "seizure-0-description": "shavers", "seizure-0-quantity": "20",
        "seizure-0-unit": "pcs", "notes": "third of the price"})
    assert done.status_code == 303, done.text
    shown = qual.get(f"/console/tasks/{task}").text
    assert "1,234.50" in shown and "irregular" in shown and "Record result" not in shown
    # the others' rooms show it
    sup = as_(client, tokens, "sup").get(f"/console/office?office={OFFICE}").text
    assert f'data-task="{task}" data-status="done"' in sup
    audit = as_(client, tokens, "auditor").get("/console/integrity").text
    assert f'data-officer="{made.qualified.id}"' in audit
    assert 'data-intact="yes"' in client.get("/console/integrity/chain").text
    effect = as_(client, tokens, "risk_analyst").get("/console/profiles/effectiveness").text
    assert re.search(r'data-code="FORCE".*?>1<.*?>1<.*?100\.0%', effect, re.S)
    kpi = client.get("/console/kpis").text
    assert "<svg" in kpi and 'id="kpi-revenue">1,234.50 EUR<' in kpi


def test_an_officer_never_sees_another_officers_task(world: Any, ctx: Context) -> None:
    client, made, tokens = world
    _row, task = workers(ctx, made)
    unq = as_(client, tokens, "unq")
    assert f'data-task="{task}"' not in unq.get("/console/tasks").text
    for answer in (unq.get(f"/console/tasks/{task}"),
                   unq.post(f"/console/tasks/{task}/start"),
                   unq.post(f"/console/tasks/{task}/result", data={"outcome": "regular"})):
        assert answer.status_code == 404 and "text/html" in answer.headers["content-type"]
    assert unq.get("/console/tasks/abc").status_code == 404


@pytest.mark.parametrize(("form", "status", "code"), [
    ({"officer_id": "x", "reason": "r"}, 422, "CW-REQUEST-INVALID"),
    ({"officer_id": "unq", "reason": ""}, 422, "CW-REASON-REQUIRED"),
    ({"officer_id": "unq", "reason": "qual is ill"}, 422, "CW-TASK-INELIGIBLE"),  # unqualified
    ({"officer_id": "qual", "reason": "again"}, 422, "CW-TASK-INELIGIBLE"),  # its officer
])
def test_reassignment_refusals_are_shown(world: Any, ctx: Context, form: dict[str, str],
                                         status: int, code: str) -> None:
    client, made, tokens = world
    _row, task = workers(ctx, made)
    ids = {"unq": made.unqualified.id, "qual": made.qualified.id}
    body = {**form, "officer_id": str(ids.get(form["officer_id"], form["officer_id"])),
            "office": OFFICE}
    answer = as_(client, tokens, "sup").post(f"/console/tasks/{task}/reassign", data=body)
    assert (answer.status_code, code in answer.text) == (status, True)
    assert 'id="office-problem"' in answer.text


def test_shift_form_and_bad_values(world: Any) -> None:
    client, made, tokens = world
    sup = as_(client, tokens, "sup")
    ok = sup.post("/console/office/shifts", data={
        "officer_id": str(made.off_duty.id), "office": OFFICE,
        "starts_at": "2026-11-20T10:00", "ends_at": "2026-11-20T18:00"})
    assert ok.status_code == 303 and "Shift+added" in ok.headers["location"]
    for form, code in (({"officer_id": "1", "starts_at": "x", "ends_at": "y"},
                        "CW-ROSTER-PERIOD"),
                       ({"officer_id": str(made.trader.id), "starts_at": "2026-11-20T10:00",
                         "ends_at": "2026-11-20T12:00"}, "CW-ROSTER-NOT-OFFICER")):
        answer = sup.post("/console/office/shifts", data={**form, "office": OFFICE})
        assert answer.status_code == 422 and code in answer.text
    assert sup.get("/console/office?office=bad!code").status_code == 422


def test_four_eyes_in_the_console(world: Any, ctx: Context) -> None:
    client, made, tokens = world
    row, _task = workers(ctx, made)
    sup = as_(client, tokens, "sup")
    short = sup.post(f"/console/declarations/{row.mrn}/override",
                     data={"kind": "waiver", "reason": "short"})
    assert short.status_code == 422 and "CW-OVERRIDE-REASON" in short.text
    sent = sup.post(f"/console/declarations/{row.mrn}/override",
                    data={"kind": "channel_change", "to_channel": "green",
                          "reason": "seals intact, invoice matches the contract"})
    assert sent.status_code == 303
    assert "sent" in sup.get(sent.headers["location"]).text
    pending = sup.get("/console/approvals").text
    (number,) = re.findall(r'data-override="(\d+)"', pending)
    own = sup.post(f"/console/approvals/{number}/approve", data={"note": "fine"})
    assert own.status_code == 403 and "CW-FOUR-EYES" in own.text
    assert 'id="approval-problem"' in own.text
    assert as_(client, tokens, "qual").post(
        f"/console/approvals/{number}/approve").status_code == 403  # not a supervisor
    assert client.get(f"/console/declarations/{row.mrn}/override").status_code == 200
    trader = as_(client, tokens, "trader")
    assert trader.get(f"/console/declarations/{row.mrn}/override").status_code == 403


def test_integrity_case_form_and_kpi_periods(world: Any) -> None:
    client, made, tokens = world
    aud = as_(client, tokens, "auditor")
    bad = aud.post("/console/integrity/cases", data={"allegation": "gossip", "source": "audit",
                                                     "description": "x"})
    assert bad.status_code == 422 and "CW-INTEGRITY-VALUE" in bad.text
    ok = aud.post("/console/integrity/cases", data={
        "allegation": "collusion", "source": "indicator", "officer_id": str(made.qualified.id),
        "office": OFFICE, "description": "missed findings"})
    assert ok.status_code == 303
    page = aud.get(ok.headers["location"]).text
    assert 'data-case="IC-2026-0001"' in page and "Case IC-2026-0001 opened" in page
    assert aud.get("/console/integrity?from=nope").status_code == 422
    assert aud.get("/console/kpis?from=2026-01-01&to=2025-01-01").status_code == 422
    assert aud.get("/console/kpis?from=2020-01-01&to=2026-01-01").status_code == 422
    one_day = aud.get("/console/kpis?from=2026-11-20&to=2026-11-20")
    assert one_day.status_code == 200 and 'data-day="2026-11-20"' in one_day.text
    assert as_(client, tokens, "sup").post("/console/integrity/cases", data={
        "allegation": "fraud", "source": "audit", "description": "x"}).status_code == 403
