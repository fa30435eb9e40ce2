"""Instructions and the training plan over HTTP: a supervisor publishes, an officer sees what
concerns them and acknowledges each version, supervisors read the rates by office; the
training manager plans and records a session and reads the figures; the console's rooms
and the task page; bad input is refused with a code, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.context import Context
from clearway.controls import service as controls
from clearway.risk.engine.decision import Channel
from clearway.users.service import issue_token
from clearway.web.csrf import key_for
from controls_world import OFFICE, World, force, lodge, office
from helpers import make_token

VAL = {"code": "VAL-7", "title": "Customs valuation: checking the transaction value",
       "body": "Ask for the invoice and the proof of payment.", "owner": "Valuation unit",
       "valid_from": "2026-01-01", "qualifications": ["valuation"], "areas": ["valuation"]}


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, World, dict[str, str]]]:
    world = office(ctx)
    tokens = {who: issue_token(ctx, getattr(world, who).name, actor="test")[1]
              for who in ("supervisor", "qualified", "unqualified", "trader")}
    tokens["auditor"] = make_token(ctx, "aud", "auditor")
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, world, tokens


def h(tokens: dict[str, str], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[who]}"}


def test_publish_acknowledge_and_rates(api: Any) -> None:
    client, _, t = api
    made = client.post("/api/v1/instructions", json=VAL, headers=h(t, "supervisor"))
    assert (made.status_code, made.json()["version"]) == (201, 1), made.text
    assert client.get("/api/v1/instructions/mine", headers=h(t, "unqualified")).json() == []
    mine = client.get("/api/v1/instructions/mine", headers=h(t, "qualified")).json()
    assert [(m["instruction"]["code"], m["acknowledged"]) for m in mine] == [("VAL-7", False)]
    ack = "/api/v1/instructions/VAL-7/acknowledgements"
    first = client.post(ack, json={"version": 1}, headers=h(t, "qualified"))
    assert (first.status_code, first.json()["new"]) == (201, True)
    again = client.post(ack, json={"version": 1}, headers=h(t, "qualified"))
    assert (again.status_code, again.json()["new"]) == (200, False)
    rates = client.get("/api/v1/instructions/rates", headers=h(t, "auditor")).json()
    assert {r["office"]: (r["due"], r["acknowledged"]) for r in rates["offices"]}[OFFICE] \
        == (2, 1)  # the qualified and the off-duty officers hold valuation here
    client.post("/api/v1/instructions", json={**VAL, "body": "Also the contract."},
                headers=h(t, "supervisor"))
    stale = client.post(ack, json={"version": 1}, headers=h(t, "qualified"))
    assert (stale.status_code, stale.json()["code"]) == (409, "CW-INSTRUCTION-VERSION")
    versions = client.get("/api/v1/instructions/VAL-7", headers=h(t, "qualified")).json()
    assert [v["version"] for v in versions] == [1, 2]


@pytest.mark.parametrize(("method", "path", "body", "who", "status", "code"), [
    ("POST", "/api/v1/instructions", VAL, "qualified", 403, "CW-FORBIDDEN"),
    ("GET", "/api/v1/instructions/mine", None, "trader", 403, "CW-FORBIDDEN"),
    ("GET", "/api/v1/instructions/rates", None, "qualified", 403, "CW-FORBIDDEN"),
    ("POST", "/api/v1/instructions", {**VAL, "valid_to": "2025-12-31"}, "supervisor", 422,
     "CW-REQUEST-INVALID"),
    ("POST", "/api/v1/instructions", {**VAL, "code": "lower"}, "supervisor", 422,
     "CW-REQUEST-INVALID"),
    ("GET", "/api/v1/instructions/NOPE-1", None, "qualified", 404, "CW-NOT-FOUND"),
    ("POST", "/api/v1/instructions/NOPE-1/acknowledgements", {"version": 1}, "qualified", 404,
     "CW-NOT-FOUND"),
    ("POST", "/api/v1/training/sessions", {"course_code": "VAL-1", "planned_on": "2026-12-01",
                                           "seats": 0, "trainer": "t", "budget": "1"},
     "supervisor", 422, "CW-REQUEST-INVALID"),
    ("POST", "/api/v1/training/sessions/99/held", {"held_on": "2026-11-01", "spent": "1",
                                                   "attendees": [1]},
     "supervisor", 404, "CW-NOT-FOUND"),
    ("GET", "/api/v1/training/figures?start=2027-01-01&end=2026-01-01", None, "auditor", 422,
     "CW-REQUEST-INVALID"),
    ("POST", "/api/v1/training/sessions", {}, "qualified", 403, "CW-FORBIDDEN"),
])
def test_refusals(api: Any, method: str, path: str, body: Any, who: str, status: int,
                  code: str) -> None:
    client, _, t = api
    answer = client.request(method, path, json=body, headers=h(t, who))
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text


def test_the_training_manager_plans_and_records(api: Any) -> None:
    client, world, t = api
    planned = client.post("/api/v1/training/sessions", headers=h(t, "supervisor"), json={
        "course_code": "VAL-1", "office": OFFICE, "planned_on": "2026-11-10", "seats": 3,
        "trainer": "Valuation unit", "budget": "900"})
    assert planned.status_code == 201, planned.text
    key = planned.json()["id"]
    held = client.post(f"/api/v1/training/sessions/{key}/held", headers=h(t, "supervisor"),
                       json={"held_on": "2026-11-12", "spent": "870.40",
                             "attendees": [world.unqualified.id]})
    assert held.status_code == 200, held.text
    plan = client.get("/api/v1/training/plan?year=2026", headers=h(t, "auditor")).json()
    assert (plan["seats_planned"], plan["seats_filled"], plan["spent"]) == (3, 1, "870.40")
    needs = client.get("/api/v1/training/needs", headers=h(t, "auditor")).json()
    assert needs["needs"] == []  # no profile or task asks for a qualification yet
    figures = client.get("/api/v1/training/figures?start=2026-01-01&end=2027-01-01",
                         headers=h(t, "auditor")).json()
    assert (figures["sessions_held"], figures["seats_filled"], figures["trainings"]) == (1, 1, 4)


def console(client: TestClient, token: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set("cw_token", token)
    client.headers["X-CSRF-Token"] = key_for(
        client.app.state.context.settings.secret_key, token)  # type: ignore[attr-defined]
    return client


def test_the_console_rooms_and_the_task_page(api: Any, ctx: Context, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    client, world, t = api
    client.post("/api/v1/instructions", json=VAL, headers=h(t, "supervisor"))
    force(ctx, Channel.RED)
    lodge(ctx, world, "CONSOLE-1")
    task = controls.list_tasks(ctx, world.qualified, office=None, status=None)[0]
    page = console(client, t["qualified"]).get(f"/console/tasks/{task.id}").text
    assert 'id="task-linked-instructions"' in page and 'id="task-unacknowledged"' in page
    room = client.get("/console/instructions").text
    assert 'data-code="VAL-7"' in room and 'id="ack-rates"' not in room
    done = client.post("/console/instructions/VAL-7/acknowledge",
                       data={"version": "1", "back": f"/console/tasks/{task.id}"})
    assert (done.status_code, done.headers["location"]) == (303, f"/console/tasks/{task.id}")
    page = client.get(f"/console/tasks/{task.id}").text
    assert 'id="task-linked-instructions"' in page and 'id="task-unacknowledged"' not in page
    stale = client.post("/console/instructions/VAL-7/acknowledge", data={"version": "9"})
    assert stale.status_code == 409 and "CW-INSTRUCTION-VERSION" in stale.text
    rates = console(client, t["supervisor"]).get("/console/instructions").text
    assert 'id="ack-rates"' in rates
    plan = client.get("/console/training").text
    assert 'id="plan-totals"' in plan
    made = client.post("/console/training/sessions", data={
        "course_code": "VAL-1", "planned_on": "2026-12-01", "seats": "2", "trainer": "HQ",
        "budget": "100"})
    assert made.status_code == 303
    bad = client.post("/console/training/sessions", data={"course_code": "VAL-1"})
    assert bad.status_code == 422 and "CW-REQUEST-INVALID" in bad.text
    assert console(client, t["qualified"]).get("/console/training").status_code == 403
