"""Fixtures for the console tests: a prepared SQLite context, users with tokens, a live
server (uvicorn in a thread) and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import json
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clearance import lodging
from clearway.clearance.filings import Outcome
from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.identity import User
from clearway.users.service import authenticate
from clearway.web.csrf import key_for
from helpers import OTHER_TRADER, TRADER, import_doc, make_token

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update",
                 "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@dataclass
class Console:
    """A prepared system: its context, one token per user, and how to act as a user."""

    ctx: Context
    tokens: dict[str, str]

    def user(self, who: str) -> User:
        with self.ctx.uow(read_only=True) as uow:
            return authenticate(uow.session, self.tokens[who], self.ctx.clock.now())

    def lodge(self, who: str, doc: dict[str, Any]) -> Outcome:
        return lodging.submit(self.ctx, json.dumps(doc).encode(), "application/json",
                              self.user(who))


def _console(tmp: Path) -> Iterator[Console]:
    settings = Settings(database_url=f"sqlite:///{tmp / 'console.db'}", environment="test",
                        country_code="RS")
    ctx = build_context(settings, clock=FixedClock(NOW), rng=random.Random(7))
    prepare(ctx)
    tokens = {"trader": make_token(ctx, "trader-one", "trader", TRADER),
              "other": make_token(ctx, "trader-two", "trader", OTHER_TRADER),
              "officer": make_token(ctx, "officer-one", "officer")}
    yield Console(ctx, tokens)
    ctx.engine.dispose()


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    """A fresh system per test (for the TestClient tests)."""
    yield from _console(tmp_path)


@pytest.fixture
def client(console: Console) -> Iterator[TestClient]:
    with TestClient(create_app(console.ctx), raise_server_exceptions=False,
                    follow_redirects=False) as test_client:
        # Like a browser on the sign-in page: the visitor's cookie, and its forms' key sent
        # as htmx sends it (clearway.web.csrf).
        login = test_client.get("/console/login")
        test_client.headers["X-CSRF-Token"] = re.findall(
            r'name="csrf_token" value="([0-9a-f]+)"', login.text)[0]
        yield test_client


@pytest.fixture
def signed_in(client: TestClient, console: Console) -> Callable[[str], TestClient]:
    def as_user(who: str) -> TestClient:
        client.cookies.clear()
        client.cookies.set("cw_token", console.tokens[who])
        client.headers["X-CSRF-Token"] = key_for(console.ctx.settings.secret_key,
                                                 console.tokens[who])
        return client

    return as_user


# --- the live server and the browser -----------------------------------------------------

@pytest.fixture(scope="module")
def shared_console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """One system per browser test module, behind the live server."""
    yield from _console(tmp_path_factory.mktemp("console"))


@pytest.fixture(scope="module")
def live_server(shared_console: Console) -> Iterator[str]:
    # The server gets a socket already bound: no other process can take the port between
    # choosing it and serving on it.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(create_app(shared_console.ctx), log_level="warning",
                            lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name="console-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the console server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any, live_server: str) -> Iterator[Callable[..., Any]]:
    """Pages in fresh browser contexts (own cookies); closed after the test."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(base_url=live_server, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        # Script errors and CSP violations (the policy allows only 'self') are recorded;
        # a page answered with a 4xx status (422, 404) is expected, not a problem.
        page.problems = []
        page.on("pageerror", lambda exc: page.problems.append(str(exc)))
        page.on("console", lambda msg: msg.type == "error"
                and not msg.text.startswith("Failed to load resource")
                and page.problems.append(msg.text))
        return page

    yield make
    for context in contexts:
        context.close()


def _sign_in(page: Any, token: str) -> None:
    page.goto("/console/login")
    page.get_by_label("Access token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    # Home is the declarations list; a role that reads none lands in its own room.
    page.wait_for_url(re.compile(r".*/console(/assistance|/progress/regional)?$"))


@pytest.fixture
def sign_in() -> Callable[[Any, str], None]:
    """Sign a page in through the form."""
    return _sign_in


def _screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """Save a full-page screenshot under test-artifacts/ (git-ignored)."""
    return _screenshot


@pytest.fixture(scope="module")
def seeded(shared_console: Console) -> dict[str, Any]:
    """An accepted and a rejected filing of the first trader, on the live server's system."""
    ok = shared_console.lodge("trader", import_doc(lrn="SEED-OK"))
    bad = shared_console.lodge("trader", import_doc(lrn="SEED-BAD", item_count=7))
    assert (ok.kind, bad.kind) == ("created", "rejected")
    return {"mrn": ok.row.mrn, "rejected_id": bad.row.id}
