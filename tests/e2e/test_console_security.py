"""The console's own defences: security headers on every kind of answer, cookies that
scripts and other sites cannot use, and the CSRF form key on every unsafe console route
(walked from the application's routes, so a new form route is covered the day it exists)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.web.csrf import UNSAFE_METHODS, key_for
from helpers import all_routes, make_token

HEADERS = {"x-frame-options": "DENY", "x-content-type-options": "nosniff",
           "referrer-policy": "same-origin"}
SAMPLE = {"key": "1", "path": "console.css", "rest": "x", "name": "nobody",
          "section": "risk", "code": "SEE-2027"}


@pytest.fixture
def world(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, str]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("console defences do not depend on the backend")
    prepare(ctx)
    token = make_token(ctx, "sec-sup", "supervisor")
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, token


def form_key_of(html: str) -> str:
    (key,) = set(re.findall(r'name="csrf_token" value="([0-9a-f]+)"', html))
    return key


@pytest.mark.parametrize(("path", "signed_in", "status"), [
    ("/console/login", False, 200),                       # the sign-in page
    ("/console", True, 200),                               # a room
    ("/console/tasks", True, 200),
    ("/console/declarations/26RS000000000001R0", True, 404),  # an error page
    ("/console/static/console.css", False, 200),           # a static asset
    ("/console/static/nothing.css", False, 404),
    ("/console", False, 303),                              # the way to the sign-in page
])
def test_every_kind_of_answer_carries_the_security_headers(world: Any, path: str,
                                                           signed_in: bool,
                                                           status: int) -> None:
    client, token = world
    cookies = {"Cookie": f"cw_token={token}"} if signed_in else {}
    answer = client.get(path, headers=cookies)
    assert answer.status_code == status
    for name, value in HEADERS.items():
        assert answer.headers[name] == value, (path, name)
    csp = answer.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


def test_pages_have_no_inline_script(world: Any) -> None:
    client, token = world
    html = client.get("/console", headers={"Cookie": f"cw_token={token}"}).text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert f'"X-CSRF-Token": "{form_key_of(html)}"' in html   # htmx sends it as a header


@pytest.mark.parametrize(("public_url", "secure"), [("http://127.0.0.1:8000", False),
                                                    ("https://customs.example", True)])
def test_sign_in_cookies_are_httponly_strict_and_secure_under_https(
        world: Any, ctx: Context, public_url: str, secure: bool) -> None:
    client, token = world
    ctx.settings = ctx.settings.model_copy(update={"public_url": public_url})
    form = client.get("/console/login")
    presession = form.headers["set-cookie"]
    # Sent by hand: a client on http would rightly keep a Secure cookie to itself.
    answer = client.post("/console/login", data={"token": token, "next": "/console",
                                                 "csrf_token": form_key_of(form.text)},
                         headers={"Cookie": presession.split(";")[0]})
    assert answer.status_code == 303
    for cookie in (presession, answer.headers["set-cookie"]):
        attributes = {part.strip().lower() for part in cookie.split(";")}
        assert {"httponly", "samesite=strict", "path=/console"} <= attributes
        assert ("secure" in attributes) is secure


def unsafe_console_routes() -> list[tuple[str, str]]:
    return [(method, route.path) for route in all_routes()
            if route.path.startswith("/console") for method in sorted(route.methods)
            if method in UNSAFE_METHODS]


def route_id(case: tuple[str, str]) -> str:
    return f"{case[0]} {case[1]}"


@pytest.mark.parametrize("case", unsafe_console_routes(), ids=route_id)
def test_every_unsafe_console_route_needs_the_form_key(world: Any,
                                                       case: tuple[str, str]) -> None:
    client, token = world
    method, path = case
    url = path.format(**SAMPLE)
    cookie = {"Cookie": f"cw_token={token}"}
    right = key_for(client.app.state.context.settings.secret_key, token)
    for headers, data in (
        ({}, {"note": "x"}),                                          # no key
        ({}, {"csrf_token": "0" * 64}),                               # a wrong key
        ({"X-CSRF-Token": key_for("another secret", token)}, {}),     # signed elsewhere
        ({"X-CSRF-Token": right, "Origin": "https://evil.example"}, {}),  # cross-site
    ):
        answer = client.request(method, url, headers={**cookie, **headers}, data=data)
        assert answer.status_code == 403, (headers, data, answer.status_code)
        assert "CW-FORBIDDEN" in answer.text and ("did not come from this console" in
                                                  answer.text or "another site" in answer.text)
    with_key = client.request(method, url, headers={**cookie, "X-CSRF-Token": right},
                              data={"csrf_token": right})
    # Past the check: served, or refused for the role, never for the form key.
    assert "did not come from this console" not in with_key.text
    assert with_key.status_code < 500


def test_the_walk_finds_the_console_forms() -> None:
    found = {path for _method, path in unsafe_console_routes()}
    assert {"/console/login", "/console/logout", "/console/submit",
            "/console/tasks/{key}/result"} <= found


def test_a_form_with_its_key_works_and_the_key_follows_the_session(world: Any,
                                                                   ctx: Context) -> None:
    client, token = world
    form = client.get("/console/login")
    before = form_key_of(form.text)
    signed_in = client.post("/console/login", data={"token": token, "next": "/console",
                                                    "csrf_token": before})
    assert signed_in.status_code == 303 and client.cookies.get("cw_token") == token
    page = client.get("/console")
    after = form_key_of(page.text)
    assert after != before                       # bound to the new session, not the visitor
    assert client.post("/console/logout", data={"csrf_token": before}).status_code == 403
    other = make_token(ctx, "sec-other", "officer")
    assert after != key_for(ctx.settings.secret_key, other)
    out = client.post("/console/logout", data={"csrf_token": after})
    assert out.status_code == 303 and out.headers["location"] == "/console/login"


def test_htmx_posts_carry_the_key_as_a_header(world: Any) -> None:
    client, token = world
    client.cookies.set("cw_token", token)
    key = form_key_of(client.get("/console").text)
    answer = client.post("/console/logout", headers={"HX-Request": "true",
                                                     "X-CSRF-Token": key})
    assert answer.status_code == 303


@pytest.mark.parametrize(("role", "partner", "asked", "lands"), [
    ("supervisor", None, "/console", "/console"),                  # the declarations list
    ("partner", "MK", "/console", "/console/assistance"),          # reads no declarations
    ("partner", "MK", "/console/assistance", "/console/assistance"),
    ("trader", "RS100234567", "/console/tasks", "/console/tasks"),  # asked-for page kept
])
def test_sign_in_lands_in_a_room_the_role_may_read(ctx: Context, world: Any, role: str,
                                                   partner: str | None, asked: str,
                                                   lands: str) -> None:
    client, _ = world
    token = make_token(ctx, f"landing-{role}", role, partner)
    form = client.get("/console/login")
    answer = client.post("/console/login", data={"token": token, "next": asked,
                                                 "csrf_token": form_key_of(form.text)})
    assert answer.status_code == 303 and answer.headers["location"] == lands
    client.cookies.set("cw_token", token)
    again = client.get("/console/login", params={"next": asked})
    assert again.status_code == 303 and again.headers["location"] == lands
