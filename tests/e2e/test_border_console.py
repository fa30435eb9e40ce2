"""The Border room over HTTP (forms with CSRF): an analyst adds and ends an entry; a person
entry shows to the border police as a pseudonym and never to plant health; the booth
refuses a point not known with its code on the page (422), keeps no driver's name, and shows
the hit; alerts listed per service and closed with a reason; a trader is refused."""

from __future__ import annotations

import base64
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.config import Settings
from clearway.web.csrf import key_for
from conftest import NOW
from helpers import TRADER, make_token

SECRET = base64.b64encode(b"c" * 32).decode()
USERS = {"analyst": ("risk_analyst", None), "officer": ("officer", None),
         "police": ("border_police", None), "ph": ("agency_officer", "PH"),
         "trader": ("trader", TRADER)}


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    keys = tmp_path / "keys.yaml"
    keys.write_text(f"- agreement: border\n  id: c1\n  secret: \"{SECRET}\"\n"
                    "  valid_from: 2026-01-01\n", encoding="utf-8")
    ctx = build_context(Settings(database_url=db_url, environment="test", country_code="RS",
                                 token_cache_seconds=0, pseudonym_keys_file=str(keys)),
                        clock=FixedClock(NOW), rng=random.Random(2))
    prepare(ctx)
    tokens = {n: make_token(ctx, n, role, code) for n, (role, code) in USERS.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, tokens
    ctx.engine.dispose()


def as_(client: TestClient, tokens: dict[str, str], who: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set("cw_token", tokens[who])
    client.headers["X-CSRF-Token"] = key_for(
        client.app.state.context.settings.secret_key, tokens[who])  # type: ignore[attr-defined]
    return client


def entries(html: str) -> list[str]:
    return re.findall(r'data-kind="(\w+)"', html)


def test_entries_are_added_seen_per_service_and_ended(world: Any) -> None:
    client, tokens = world
    added = as_(client, tokens, "analyst").post("/console/border/watch", data={
        "kind": "container", "value": "MSKU 123456-7", "reason": "pests found before",
        "shared_with": "PH, border_police"})
    assert added.status_code == 303, added.text
    person = as_(client, tokens, "police").post("/console/border/watch", data={
        "kind": "person", "person_name": "Ivana Ivanović", "person_document": "AB123",
        "reason": "wanted", "shared_with": "customs"})
    assert person.status_code == 303, person.text
    police_page = client.get("/console/border/watch").text
    assert sorted(entries(police_page)) == ["container", "person"]
    assert "Ivana" not in police_page and "ps1:c1:" in police_page
    assert entries(as_(client, tokens, "ph").get("/console/border/watch").text) == ["container"]
    bad = as_(client, tokens, "analyst").post("/console/border/watch", data={
        "kind": "vehicle", "value": "B1", "reason": "r", "valid_from": "tomorrow"})
    assert bad.status_code == 422 and "CW-BORDER-WATCH" in bad.text
    entry = re.findall(r'data-entry="(\d+)" data-kind="container"', client.get(
        "/console/border/watch").text)[0]
    ended = client.post(f"/console/border/watch/{entry}/end", data={"reason": "cleared"})
    assert ended.status_code == 303
    assert entries(client.get("/console/border/watch").text) == ["person"]


def test_the_booth_shows_the_hit_and_keeps_no_name(world: Any) -> None:
    client, tokens = world
    as_(client, tokens, "police").post("/console/border/watch", data={
        "kind": "vehicle", "value": "NS-900-AB", "reason": "stolen", "shared_with": "customs"})
    booth = as_(client, tokens, "officer")
    refused = booth.post("/console/border/booth", data={"point": "XX-1", "vehicle": "B1"})
    assert refused.status_code == 422 and "CW-BORDER-POINT-NOT-FOUND" in refused.text
    seen = booth.post("/console/border/booth", data={
        "point": "RS-PRESEVO", "vehicle": "ns900ab", "driver_name": "Zoran Zoric",
        "driver_document": "Z1", "direction": "entry"})
    assert seen.status_code == 200, seen.text
    assert 'id="watch-hit"' in seen.text and "Zoran" not in seen.text
    assert 'value="RS-PRESEVO" selected' in seen.text
    alert = re.findall(r'href="/console/border/alerts/(\d+)"', seen.text)[0]
    assert alert in re.findall(r'data-alert="(\d+)"', booth.get("/console/border").text)
    assert as_(client, tokens, "ph").get(f"/console/border/alerts/{alert}").status_code == 404
    closed = as_(client, tokens, "police").post(f"/console/border/alerts/{alert}/close",
                                               data={"reason": ""})
    assert closed.status_code == 422 and "CW-REASON-REQUIRED" in closed.text
    closed = client.post(f"/console/border/alerts/{alert}/close", data={"reason": "held"})
    assert closed.status_code == 303
    assert 'id="alert-status">closed' in client.get(f"/console/border/alerts/{alert}").text


@pytest.mark.parametrize("path", ["/console/border", "/console/border/booth",
                                  "/console/border/watch"])
def test_a_trader_is_refused(world: Any, path: str) -> None:
    client, tokens = world
    assert as_(client, tokens, "trader").get(path).status_code == 403
