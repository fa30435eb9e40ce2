"""Tokens end: one past its expiry is refused 401 CW-AUTH-REQUIRED (the message says it
expired), one revoked with `clearway users revoke` is refused by the API and the console at
once with the token cache off, and within `token_cache_seconds` with it on."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.cli.main import app as cli
from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.config import get_settings
from clearway.context import Context
from helpers import TRADER, make_token

ME = "/api/v1/users/me"


@pytest.fixture
def client(ctx: Context, db_url: str) -> Iterator[TestClient]:
    if not db_url.startswith("sqlite"):
        pytest.skip("token checks do not depend on the backend")
    prepare(ctx)
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as test_client:
        yield test_client


def revoke_by_cli(monkeypatch: pytest.MonkeyPatch, db_url: str, name: str) -> None:
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["users", "revoke", name])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(("days", "served"), [(29, True), (30, False), (31, False)])
def test_a_token_past_its_expiry_is_refused(client: TestClient, ctx: Context,
                                            clock: FixedClock, days: int,
                                            served: bool) -> None:
    token = make_token(ctx, "t-expiring", "trader", TRADER)   # lives 30 days
    assert client.get(ME, headers=bearer(token)).status_code == 200
    clock.advance(days=days)
    answer = client.get(ME, headers=bearer(token))
    if served:
        assert answer.status_code == 200
        return
    assert answer.status_code == 401
    assert answer.json()["code"] == "CW-AUTH-REQUIRED"
    assert "expired" in answer.json()["message"]
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    page = client.get("/console", headers={"Cookie": f"cw_token={token}"})
    assert page.status_code == 303 and page.headers["location"].startswith("/console/login")


def test_a_revoked_token_is_refused_by_api_and_console(client: TestClient, ctx: Context,
                                                       db_url: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert ctx.settings.token_cache_seconds == 0
    token = make_token(ctx, "t-revoked", "officer")
    other = make_token(ctx, "t-kept", "officer")
    cookie = {"Cookie": f"cw_token={token}"}
    assert client.get(ME, headers=bearer(token)).status_code == 200
    assert client.get("/console", headers=cookie).status_code == 200
    revoke_by_cli(monkeypatch, db_url, "t-revoked")
    answer = client.get(ME, headers=bearer(token))
    assert (answer.status_code, answer.json()["code"]) == (401, "CW-AUTH-REQUIRED")
    assert "revoked" in answer.json()["message"]
    page = client.get("/console", headers=cookie)
    assert page.status_code == 303 and page.headers["location"].startswith("/console/login")
    assert client.get("/console/login", headers=cookie).status_code == 200   # not let back in
    assert client.get(ME, headers=bearer(other)).status_code == 200


def test_a_revocation_takes_effect_within_the_token_cache_time(
        db_url: str, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("token checks do not depend on the backend")
    from clearway.config import Settings

    cached = build_context(Settings(database_url=db_url, environment="test",
                                    token_cache_seconds=2.0),
                           clock=clock, rng=random.Random(1))
    prepare(cached)
    token = make_token(cached, "t-cached", "officer")
    with TestClient(create_app(cached), raise_server_exceptions=False) as client:
        assert client.get(ME, headers=bearer(token)).status_code == 200
        revoke_by_cli(monkeypatch, db_url, "t-cached")
        clock.advance(seconds=1)
        assert client.get(ME, headers=bearer(token)).status_code == 200   # still cached
        clock.advance(seconds=1.5)
        assert client.get(ME, headers=bearer(token)).status_code == 401
    cached.engine.dispose()
