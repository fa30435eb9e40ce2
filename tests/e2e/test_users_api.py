"""Users over HTTP and the command line: an administrator lists, creates and revokes users
and issues new tokens; each change is an audit entry that never holds a token; a revocation
works at once in the serving process even with the token cache on."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from clearway.app import create_app
from clearway.audit.service import verify
from clearway.bootstrap import prepare
from clearway.cli.main import app as cli
from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.config import Settings, get_settings
from clearway.context import Context
from clearway.storage.orm import AuditRow, UserRow
from helpers import TRADER, make_token

USERS, ME = "/api/v1/users", "/api/v1/users/me"


@pytest.fixture
def cached(db_url: str, clock: FixedClock) -> Iterator[Context]:
    """A context with the token cache on, as in production."""
    if not db_url.startswith("sqlite"):
        pytest.skip("user administration does not depend on the backend")
    context = build_context(Settings(database_url=db_url, environment="test",
                                     token_cache_seconds=60.0),
                            clock=clock, rng=random.Random(3))
    prepare(context)
    yield context
    context.engine.dispose()


@pytest.fixture
def client(cached: Context) -> Iterator[TestClient]:
    with TestClient(create_app(cached), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def admin(cached: Context) -> dict[str, str]:
    return bearer(make_token(cached, "u-admin", "administrator"))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def entries(ctx: Context, action: str) -> list[AuditRow]:
    with ctx.uow(read_only=True) as uow:
        return list(uow.session.execute(
            select(AuditRow).where(AuditRow.action == action).order_by(AuditRow.id)).scalars())


def test_create_gives_a_working_token_once_and_audits_without_it(
        client: TestClient, cached: Context, admin: dict[str, str]) -> None:
    answer = client.post(USERS, headers=admin, json={"name": "ana.petrovic", "role": "trader",
                                                     "trader_id": TRADER})
    assert answer.status_code == 201, answer.text
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.json()
    token = body["token"]
    assert (body["name"], body["role"], body["trader_id"], body["active"]) == (
        "ana.petrovic", "trader", TRADER, True)
    me = client.get(ME, headers=bearer(token)).json()
    assert (me["name"], me["trader_id"]) == ("ana.petrovic", TRADER)
    (entry,) = entries(cached, "user.created")
    assert (entry.actor, entry.object_id, entry.detail["role"]) == (
        "administrator:u-admin", "ana.petrovic", "trader")
    with cached.uow(read_only=True) as uow:
        token_hash = uow.session.execute(select(UserRow.token_hash).where(
            UserRow.name == "ana.petrovic")).scalar_one()
    listed = client.get(USERS, headers=admin).json()
    assert {u["name"] for u in listed} == {"u-admin", "ana.petrovic"}
    for text in (json.dumps(entry.detail), json.dumps(listed)):
        assert token not in text and token_hash not in text


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"name": "u-admin", "role": "officer"}, 409, "CW-USER-EXISTS"),
    ({"name": "no-trader", "role": "trader"}, 422, "CW-USER-INVALID"),
    ({"name": "staff", "role": "officer", "trader_id": TRADER}, 422, "CW-USER-INVALID"),
    ({"name": "bad name", "role": "officer"}, 422, "CW-REQUEST-INVALID"),
    ({"name": "-dash", "role": "officer"}, 422, "CW-REQUEST-INVALID"),
    ({"name": "x" * 65, "role": "officer"}, 422, "CW-REQUEST-INVALID"),
    ({"name": "boss", "role": "emperor"}, 422, "CW-REQUEST-INVALID"),
    ({"name": "boss", "role": "officer", "token": "cw_mine"}, 422, "CW-REQUEST-INVALID"),
])
def test_create_refuses_with_a_code_and_writes_nothing(
        client: TestClient, cached: Context, admin: dict[str, str], body: dict[str, Any],
        status: int, code: str) -> None:
    answer = client.post(USERS, headers=admin, json=body)
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert entries(cached, "user.created") == []
    assert [u["name"] for u in client.get(USERS, headers=admin).json()] == ["u-admin"]


def test_revoke_ends_the_token_at_once_despite_the_cache(
        client: TestClient, cached: Context, admin: dict[str, str]) -> None:
    token = make_token(cached, "u-leaving", "officer")
    assert client.get(ME, headers=bearer(token)).status_code == 200   # now cached for 60 s
    answer = client.post(f"{USERS}/u-leaving/revoke", headers=admin,
                         json={"reason": "left the service"})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["active"], answer.json()["revoked_at"] is not None) == (False, True)
    refused = client.get(ME, headers=bearer(token))
    assert (refused.status_code, refused.json()["code"]) == (401, "CW-AUTH-REQUIRED")
    again = client.post(f"{USERS}/u-leaving/revoke", headers=admin)   # no body: no reason
    assert again.status_code == 200
    (entry,) = entries(cached, "user.revoked")   # the second revocation changed nothing
    assert entry.detail["reason"] == "left the service"


@pytest.mark.parametrize("action", ["revoke", "token"])
def test_unknown_user_is_not_found(client: TestClient, admin: dict[str, str],
                                   action: str) -> None:
    answer = client.post(f"{USERS}/nobody/{action}", headers=admin)
    assert (answer.status_code, answer.json()["code"]) == (404, "CW-NOT-FOUND")


def test_a_new_token_replaces_the_old_and_reactivates(
        client: TestClient, cached: Context, admin: dict[str, str], clock: FixedClock) -> None:
    old = make_token(cached, "u-lost", "officer")
    assert client.get(ME, headers=bearer(old)).status_code == 200
    assert client.post(f"{USERS}/u-lost/revoke", headers=admin).status_code == 200
    clock.advance(days=1)
    answer = client.post(f"{USERS}/u-lost/token", headers=admin)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Cache-Control"] == "no-store"
    new = answer.json()["token"]
    assert new != old and answer.json()["active"] is True
    assert client.get(ME, headers=bearer(old)).status_code == 401
    assert client.get(ME, headers=bearer(new)).json()["name"] == "u-lost"
    (entry,) = entries(cached, "user.token_issued")
    assert entry.actor == "administrator:u-admin" and new not in json.dumps(entry.detail)


def cli_run(monkeypatch: pytest.MonkeyPatch, db_url: str, *args: str) -> Any:
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(cli, ["users", *args])
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(("args", "exit_code", "action"), [
    (["create", "cli-officer", "--role", "officer"], 0, "user.created"),
    (["create", "cli-trader", "--role", "trader"], 2, None),
    (["create", "u-admin", "--role", "officer"], 2, None),
    (["revoke", "u-admin", "--reason", "test"], 0, "user.revoked"),
    (["revoke", "nobody"], 2, None),
    (["token", "u-admin"], 0, "user.token_issued"),
    (["token", "nobody"], 2, None),
])
def test_cli_changes_are_audited(cached: Context, admin: dict[str, str], db_url: str,
                                 monkeypatch: pytest.MonkeyPatch, args: list[str],
                                 exit_code: int, action: str | None) -> None:
    result = cli_run(monkeypatch, db_url, *args)
    assert result.exit_code == exit_code, result.output
    with cached.uow(read_only=True) as uow:
        rows = list(uow.session.execute(select(AuditRow).where(
            AuditRow.object_type == "user")).scalars())
    assert [(r.action, r.actor) for r in rows] == ([(action, "cli")] if action else [])
    if args[0] in ("create", "token") and exit_code == 0:
        token = result.output.strip().splitlines()[-1]
        assert token.startswith("cw_") and token not in json.dumps(rows[0].detail)
    assert verify(cached)[0] is None
