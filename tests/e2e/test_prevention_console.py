"""The prevention rooms through the TestClient: an officer declares an interest through the
form and sees it (other officers do not), a refusal is a coded message on the page; a
supervisor reviews it, marks a post sensitive, sees the rotation warning and asks for an
exception that only another supervisor can approve; who reaches which room."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.controls import service as controls
from clearway.identity import Role, User
from clearway.storage.orm import UserRow
from clearway.web.csrf import key_for
from helpers import make_token

ROLES = {"sup": "supervisor", "sup2": "supervisor", "officer": "officer",
         "officer2": "officer", "auditor": "auditor", "analyst": "risk_analyst"}
OFFICE = "RS001002"


@pytest.fixture
def world(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, dict[str, str],
                                                       dict[str, int]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    prepare(ctx)
    tokens = {who: make_token(ctx, who, role) for who, role in ROLES.items()}
    with ctx.uow(read_only=True) as uow:
        ids = {str(n): int(i) for n, i in uow.session.execute(select(UserRow.name,
                                                                     UserRow.id)).all()}
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, tokens, ids


def as_(client: TestClient, tokens: dict[str, str], who: str) -> None:
    client.cookies.clear()
    client.cookies.set("cw_token", tokens[who])
    client.headers["X-CSRF-Token"] = key_for(
        client.app.state.context.settings.secret_key, tokens[who])  # type: ignore[attr-defined]


@pytest.mark.parametrize(("who", "interests", "prevention"), [
    ("officer", 200, 403), ("sup", 200, 200), ("auditor", 403, 403), ("analyst", 403, 403),
])
def test_who_reaches_which_room(world: tuple[TestClient, dict[str, str], dict[str, int]],
                                who: str, interests: int, prevention: int) -> None:
    client, tokens, _ = world
    as_(client, tokens, who)
    assert client.get("/console/interests").status_code == interests
    assert client.get("/console/prevention").status_code == prevention


def test_an_officer_declares_and_a_supervisor_reviews(
        world: tuple[TestClient, dict[str, str], dict[str, int]]) -> None:
    client, tokens, _ = world
    as_(client, tokens, "officer")
    refused = client.post("/console/interests", data={
        "kind": "relative", "party_id": "RS/1", "description": "my sister"})
    assert refused.status_code == 422 and "CW-INTEREST-FIELD" in refused.text
    assert 'value="my sister"' in refused.text   # the form keeps what was typed
    filed = client.post("/console/interests", data={
        "kind": "relative", "party_id": "RS777000", "party_name": "Sister's shop",
        "description": "my sister runs it"})
    assert filed.status_code == 303
    page = client.get(filed.headers["location"])
    assert 'id="interest-done"' in page.text and "RS777000" in page.text
    as_(client, tokens, "officer2")
    assert "RS777000" not in client.get("/console/interests").text
    as_(client, tokens, "sup")
    room = client.get("/console/prevention")
    assert 'id="reviews"' in room.text and "RS777000" in room.text
    key = room.text.split('data-interest="')[1].split('"')[0]
    noted = client.post(f"/console/prevention/interests/{key}/review",
                        data={"outcome": "noted"})
    assert noted.status_code == 303
    assert 'id="no-reviews"' in client.get("/console/prevention").text
    as_(client, tokens, "officer")
    assert 'data-status="noted"' in client.get("/console/interests").text


def test_rotation_warning_and_a_four_eyes_exception(
        world: tuple[TestClient, dict[str, str], dict[str, int]], ctx: Context) -> None:
    client, tokens, ids = world
    as_(client, tokens, "sup")
    assert client.post("/console/prevention/posts", data={
        "office": OFFICE, "function": "control", "max_tenure_days": "30",
        "warn_days": "10"}).status_code == 303
    sup = User(id=ids["sup"], name="sup", role=Role.SUPERVISOR, trader_id=None)
    now = ctx.clock.now()
    for day in (-25, 1):
        start = now + timedelta(days=day)
        controls.add_shift(ctx, ids["officer"], OFFICE, start, start + timedelta(hours=8), sup)
    room = client.get("/console/prevention")
    assert 'id="rotation-warnings"' in room.text and 'data-status="warning"' in room.text
    asked = client.post("/console/prevention/exceptions", data={
        "entry": f"{ids['officer']}|{OFFICE}|control",
        "until": (now + timedelta(days=20)).date().isoformat(), "reason": "Port handover"})
    assert asked.status_code == 303
    room = client.get("/console/prevention")
    key = room.text.split('data-exception="')[1].split('"')[0]
    assert f"/console/prevention/exceptions/{key}/decide" not in room.text  # not one's own
    own = client.post(f"/console/prevention/exceptions/{key}/decide",
                      data={"decision": "approve"})
    assert own.status_code == 409 and "CW-ROTATION-EXCEPTION" in own.text
    as_(client, tokens, "sup2")
    assert client.post(f"/console/prevention/exceptions/{key}/decide",
                       data={"decision": "approve", "note": "once"}).status_code == 303
    assert "exception until" in client.get("/console/prevention").text
