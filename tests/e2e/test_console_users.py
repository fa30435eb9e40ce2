"""The administrator's users room in the console: list, create (the token shown once),
revoke and new token, each audited; refusals are coded messages on the page; no other role
reaches the room or sees its link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.storage.orm import AuditRow
from clearway.web.csrf import key_for
from helpers import TRADER, make_token

ROOM, ME = "/console/users", "/api/v1/users/me"


@pytest.fixture
def world(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    prepare(ctx)
    tokens = {role: make_token(ctx, f"c-{role}", role, TRADER if role == "trader" else None)
              for role in ("administrator", "officer", "supervisor", "auditor", "trader")}
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, tokens


def as_(client: TestClient, token: str) -> dict[str, str]:
    key = key_for(client.app.state.context.settings.secret_key, token)  # type: ignore[attr-defined]
    return {"Cookie": f"cw_token={token}", "X-CSRF-Token": key}


def shown_token(html: str) -> str:
    (token,) = re.findall(r'<code class="token" id="issued-token">(cw_[^<]+)</code>', html)
    return token


def actions(ctx: Context) -> list[tuple[str, str, str]]:
    with ctx.uow(read_only=True) as uow:
        return [(r.action, r.actor, r.object_id) for r in uow.session.execute(
            select(AuditRow).where(AuditRow.object_type == "user").order_by(AuditRow.id)
        ).scalars()]


@pytest.mark.parametrize("role", ["officer", "supervisor", "auditor", "trader"])
def test_only_the_administrator_reaches_the_room(world: Any, role: str) -> None:
    client, tokens = world
    headers = as_(client, tokens[role])
    assert client.get(ROOM, headers=headers).status_code == 403
    assert 'href="/console/users"' not in client.get("/console", headers=headers).text
    assert client.post(ROOM, headers=headers, data={"name": "x", "role": "officer"}
                       ).status_code == 403
    admin = as_(client, tokens["administrator"])
    assert 'href="/console/users"' in client.get("/console", headers=admin).text


def test_create_shows_the_token_once_and_it_works(world: Any, ctx: Context) -> None:
    client, tokens = world
    admin = as_(client, tokens["administrator"])
    listed = client.get(ROOM, headers=admin)
    assert listed.status_code == 200 and 'data-user="c-officer"' in listed.text
    created = client.post(ROOM, headers=admin, data={"name": "new.broker", "role": "trader",
                                                     "trader_id": TRADER})
    assert created.status_code == 201, created.text
    assert "no-store" in created.headers["Cache-Control"]
    token = shown_token(created.text)
    assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).json()["name"] == (
        "new.broker")
    again = client.get(ROOM, headers=admin)
    assert 'data-user="new.broker"' in again.text and token not in again.text
    assert actions(ctx) == [("user.created", "administrator:c-administrator", "new.broker")]


@pytest.mark.parametrize(("form", "status", "code"), [
    ({"name": "c-officer", "role": "officer"}, 409, "CW-USER-EXISTS"),
    ({"name": "lonely", "role": "trader"}, 422, "CW-USER-INVALID"),
    ({"name": "has space", "role": "officer"}, 422, "CW-USER-INVALID"),
    ({"name": "boss", "role": "emperor"}, 422, "CW-USER-INVALID"),
])
def test_create_refusals_are_coded_on_the_page(world: Any, ctx: Context, form: dict[str, str],
                                               status: int, code: str) -> None:
    client, tokens = world
    answer = client.post(ROOM, headers=as_(client, tokens["administrator"]), data=form)
    assert answer.status_code == status
    assert 'id="users-problem"' in answer.text and code in answer.text
    assert f'value="{form["name"]}"' in answer.text   # the form keeps what was typed
    assert actions(ctx) == []


def test_revoke_and_new_token(world: Any, ctx: Context) -> None:
    client, tokens = world
    admin = as_(client, tokens["administrator"])
    officer = {"Authorization": f"Bearer {tokens['officer']}"}
    revoked = client.post(f"{ROOM}/c-officer/revoke", headers=admin,
                          data={"reason": "transferred"})
    assert revoked.status_code == 303 and revoked.headers["location"].endswith(
        "?revoked=c-officer")
    assert client.get(ME, headers=officer).status_code == 401
    page = client.get(revoked.headers["location"], headers=admin).text
    assert 'id="user-revoked"' in page and 'data-user="c-officer" data-active="no"' in page
    renewed = client.post(f"{ROOM}/c-officer/token", headers=admin)
    assert renewed.status_code == 200
    new = shown_token(renewed.text)
    assert client.get(ME, headers={"Authorization": f"Bearer {new}"}).status_code == 200
    assert client.get(ME, headers=officer).status_code == 401
    assert [a for a, _, _ in actions(ctx)] == ["user.revoked", "user.token_issued"]
    missing = client.post(f"{ROOM}/nobody/revoke", headers=admin)
    assert missing.status_code == 404 and "CW-NOT-FOUND" in missing.text
