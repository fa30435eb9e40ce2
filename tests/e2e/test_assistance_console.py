"""The mutual-assistance room through the TestClient: requests out and in render (overdue
highlighted), and the forms draft, approve (never one's own), assign and answer; refusals
are coded messages on the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.assistance.inbound import receive_request
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.exchange import service as exchange
from clearway.exchange import signing
from clearway.exchange.inbound import Incoming
from clearway.web.csrf import key_for
from exchange_world import AGREEMENT_FILE, envelope
from helpers import make_token


@pytest.fixture
def world(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    ctx.settings = ctx.settings.model_copy(update={"country_code": "RS"})
    partner_key = signing.public_pem(Ed25519PrivateKey.generate())
    exchange.add_partner(ctx, "MK", "Customs MK", "http://127.0.0.1:9/inbox", partner_key,
                         "administrator:test")
    exchange.import_agreements(ctx, AGREEMENT_FILE.read_text(encoding="utf-8"),
                               "administrator:test")
    tokens = {who: make_token(ctx, who, role) for who, role in (
        ("officer", "officer"), ("sup", "supervisor"))}
    tokens["trader"] = make_token(ctx, "trader", "trader", "RS100234567")
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, tokens


def as_(client: TestClient, tokens: dict[str, str], who: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set("cw_token", tokens[who])
    client.headers["X-CSRF-Token"] = key_for(
        client.app.state.context.settings.secret_key, tokens[who])  # type: ignore[attr-defined]
    return client


def _received(ctx: Context, hours: int) -> None:
    now = ctx.clock.now()
    payload = {"request_type": "verification", "subject": {"kind": "declared-value"},
               "question": "Is the invoice value genuine?", "legal_basis": "Art. 5",
               "deadline": (now + timedelta(hours=hours)).isoformat(), "priority": "urgent"}
    with ctx.uow() as uow:
        receive_request(uow.session, ctx.settings, Incoming(envelope(
            now, from_party="MK", to_party="RS", action="mutual-assistance-request",
            purpose="mutual-assistance"), payload, now))
        uow.commit()


def test_draft_approve_assign_and_answer_through_the_forms(world: Any, ctx: Context) -> None:
    client, tokens = world
    deadline = (ctx.clock.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    as_(client, tokens, "officer")
    assert "Assistance" in client.get("/console/assistance").text
    drafted = client.post("/console/assistance", data={
        "partner": "MK", "agreement_id": "RS-MK-2026", "request_type": "information",
        "question": "Who shipped the goods?", "deadline": deadline})
    assert drafted.status_code == 303, drafted.text
    detail = drafted.headers["location"]
    assert "drafted" in client.get(detail).text
    assert client.post(detail + "/approve").status_code == 403  # officers do not approve
    late = client.post("/console/assistance", data={
        "partner": "MK", "agreement_id": "RS-MK-2026", "request_type": "information",
        "question": "q", "deadline": "2000-01-01T00:00"})
    assert late.status_code == 422 and "CW-ASSIST-DEADLINE" in late.text

    as_(client, tokens, "sup")
    assert 'id="approve-form"' in client.get(detail).text
    assert client.post(detail + "/approve").status_code == 303
    assert 'id="request-status">sent' in client.get(detail).text

    _received(ctx, hours=1)
    _received(ctx, hours=48)
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.advance(hours=2)
    inbox = client.get("/console/assistance?direction=in").text
    rows = re.findall(r'<tr data-request="(\d+)"( class="overdue[^"]*")?', inbox)
    assert [bool(late) for _, late in rows] == [True, False]  # overdue first, highlighted
    first = f"/console/assistance/{rows[0][0]}"
    assert client.post(first + "/assign", data={"officer": "officer"}).status_code == 303

    as_(client, tokens, "officer")
    page = client.get(first).text
    assert 'id="reply-form"' in page and "OVERDUE" in page
    bare = client.post(first + "/reply", data={"outcome": "refused"})
    assert bare.status_code == 422 and "CW-ASSIST-INVALID" in bare.text
    sent = client.post(first + "/reply", data={"outcome": "answered", "finding": "confirmed",
                                               "answer": "The value is genuine."})
    assert sent.status_code == 303
    shown = client.get(first).text
    assert 'id="request-status">answered' in shown and "finding: confirmed" in shown
    assert client.post(first + "/close").status_code == 303


def test_traders_never_reach_the_room(world: Any) -> None:
    client, tokens = world
    as_(client, tokens, "trader")
    assert client.get("/console/assistance").status_code == 403
    assert "/console/assistance" not in client.get("/console").text
