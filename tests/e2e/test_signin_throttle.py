"""Failed sign-ins are throttled per client address, on the API (bearer tokens) and on the
console (the sign-in form): past the limit, 429 CW-THROTTLED with Retry-After until the
window passes; another address is not affected, and its success frees nobody. Processes
share the count through the database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.context import Context
from helpers import make_token

ME = "/api/v1/users/me"
WRONG = "cw_" + "x" * 43
LIMIT, WINDOW = 3, 60


@pytest.fixture
def app(ctx: Context, db_url: str) -> Iterator[Any]:
    if not db_url.startswith("sqlite"):
        pytest.skip("the limiter's rules do not depend on the backend (sharing is tested on both)")
    ctx.settings = ctx.settings.model_copy(update={"signin_max_failures": LIMIT,
                                                   "signin_window_seconds": WINDOW})
    prepare(ctx)
    yield create_app(ctx)


def client_at(app: Any, address: str) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, follow_redirects=False,
                      client=(address, 40000))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_api_throttles_an_address_after_the_limit(app: Any, ctx: Context,
                                                  clock: FixedClock) -> None:
    good = make_token(ctx, "th-officer", "officer")
    here, there = client_at(app, "10.0.0.1"), client_at(app, "10.0.0.2")
    assert [here.get(ME, headers=bearer(WRONG)).status_code
            for _ in range(LIMIT)] == [401] * LIMIT
    refused = here.get(ME, headers=bearer(WRONG))
    assert (refused.status_code, refused.json()["code"]) == (429, "CW-THROTTLED")
    assert refused.headers["Retry-After"] == str(WINDOW)
    # While throttled even a good token is not looked up (the cache is off in tests).
    assert here.get(ME, headers=bearer(good)).status_code == 429
    assert here.get(ME).status_code == 401          # no token: nothing to guess, not counted
    # Another address signs in, and fails on its own count; neither frees the first.
    assert there.get(ME, headers=bearer(good)).status_code == 200
    assert there.get(ME, headers=bearer(WRONG)).status_code == 401
    assert here.get(ME, headers=bearer(good)).status_code == 429
    clock.advance(seconds=WINDOW - 1)
    assert here.get(ME, headers=bearer(good)).headers["Retry-After"] == "1"
    clock.advance(seconds=1)
    assert here.get(ME, headers=bearer(good)).status_code == 200
    assert here.get(ME, headers=bearer(WRONG)).status_code == 401


def _login(client: TestClient, token: str) -> Any:
    form = client.get("/console/login")
    (key,) = re.findall(r'name="csrf_token" value="([0-9a-f]+)"', form.text)
    return client.post("/console/login", data={"token": token, "next": "/console",
                                               "csrf_token": key})


def test_console_sign_in_is_throttled_too(app: Any, ctx: Context, clock: FixedClock) -> None:
    good = make_token(ctx, "th-sup", "supervisor")
    here, there = client_at(app, "10.0.0.3"), client_at(app, "10.0.0.4")
    assert [_login(here, WRONG).status_code for _ in range(LIMIT)] == [401] * LIMIT
    refused = _login(here, good)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == str(WINDOW)
    assert "CW-THROTTLED" in refused.text and "cw_token" not in refused.cookies
    # The API counts the same failures: the address is throttled there as well.
    assert here.get(ME, headers=bearer(good)).status_code == 429
    assert _login(there, good).status_code == 303
    clock.advance(seconds=WINDOW)
    signed_in = _login(here, good)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/console"


def test_console_pages_with_a_bad_cookie_count_as_failures(app: Any) -> None:
    here = client_at(app, "10.0.0.5")
    here.cookies.set("cw_token", WRONG)
    for _ in range(LIMIT):
        assert here.get("/console").status_code == 303           # to the sign-in page
        here.cookies.set("cw_token", WRONG)
    page = here.get("/console")
    assert page.status_code == 429 and "CW-THROTTLED" in page.text
    assert page.headers["Retry-After"] == str(WINDOW)


def test_two_processes_and_a_restart_share_the_count(ctx: Context, db_url: str,
                                                     clock: FixedClock) -> None:
    """Two application processes on one database (each its own context, engine and memory):
    failures at one count at the other, and a restarted one still knows them."""
    from sqlalchemy import func, select

    from clearway.config import Settings
    from clearway.storage.orm import SignInFailureRow

    settings = Settings(database_url=db_url, environment="test", token_cache_seconds=0,
                        signin_max_failures=LIMIT, signin_window_seconds=WINDOW)
    prepare(ctx)
    contexts = [build_context(settings, clock=clock) for _ in range(3)]
    first, second, restarted = (client_at(create_app(c), "10.0.0.9") for c in contexts)
    try:
        assert [first.get(ME, headers=bearer(WRONG)).status_code
                for _ in range(LIMIT)] == [401] * LIMIT
        assert first.get(ME, headers=bearer(WRONG)).status_code == 429
        # The second process has not seen this address fail: one check, then it knows.
        assert second.get(ME, headers=bearer(WRONG)).status_code == 401
        assert second.get(ME, headers=bearer(WRONG)).status_code == 429
        clock.advance(seconds=WINDOW // 2)
        assert restarted.get(ME, headers=bearer(WRONG)).status_code == 401
        assert restarted.get(ME, headers=bearer(WRONG)).status_code == 429
        clock.advance(seconds=WINDOW)
        assert restarted.get(ME, headers=bearer(WRONG)).status_code == 401
        with contexts[0].uow(read_only=True) as uow:   # older failures were deleted
            assert uow.session.execute(select(func.count(SignInFailureRow.id))).scalar() == 1
    finally:
        for c in contexts:
            c.engine.dispose()
