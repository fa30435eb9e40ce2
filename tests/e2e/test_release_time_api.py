"""Release times over HTTP: a green release and a controlled one, with the clock moving."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clock import FixedClock
from clearway.context import Context
from helpers import TRADER, import_doc, make_token


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, str]]]:
    prepare(ctx)
    tokens = {"trader": make_token(ctx, "t", "trader", TRADER),
              "officer": make_token(ctx, "o", "officer")}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def lodge(client: TestClient, token: str, lrn: str) -> str:
    doc = import_doc(lrn=lrn, offices={"lodgement": "RS001002"})
    answer = client.post("/api/v1/declarations", content=json.dumps(doc),
                         headers={**auth(token), "Content-Type": "application/json"})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["mrn"])


def test_release_times_of_a_green_and_a_controlled_declaration(
        api: Any, ctx: Context, clock: FixedClock) -> None:
    client, tok = api
    lodge(client, tok["trader"], "GREEN-1")  # decided green and released at once
    ctx.settings.auto_release = False
    held = lodge(client, tok["trader"], "HELD-1")
    officer = auth(tok["officer"])
    clock.advance(minutes=30)
    client.post(f"/api/v1/declarations/{held}/actions/start-control", json={}, headers=officer)
    clock.advance(minutes=45)
    assert client.post(f"/api/v1/declarations/{held}/actions/release",
                       json={"outcome": "regular"}, headers=officer).status_code == 200
    report = client.get("/api/v1/reports/release-times", headers=officer).json()
    assert report["declarations"] == 2
    assert report["all"]["total"]["count"] == 2
    assert report["all"]["total"]["mean"] == pytest.approx((0 + 75) / 2)
    assert report["all"]["control"] == {"count": 1, "mean": 45.0, "p50": 45.0, "p90": 45.0,
                                        "p99": 45.0}
    assert report["all"]["waiting_for_control"]["p50"] == 30.0
    assert report["by_aeo"]["aeo"]["total"]["count"] == 2  # the importer holds AEOF
    assert client.get("/api/v1/reports/release-times",
                      headers=auth(tok["trader"])).status_code == 403
    bad = client.get("/api/v1/reports/release-times", params={"to": "1900-01-01"},
                     headers=officer)
    assert bad.status_code == 422 and bad.json()["code"] == "CW-REQUEST-INVALID"


def test_validation_and_risk_steps_are_measured_from_their_own_moments(
        api: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each reading of the clock moves it 3 seconds on: the filing's receipt, its acceptance
    and its decision are distinct moments, and the report's first steps are not zero."""
    client, tok = api
    fixed = clock.now

    def ticking() -> Any:
        clock.advance(seconds=3)
        return fixed()

    monkeypatch.setattr(clock, "now", ticking)
    mrn = lodge(client, tok["trader"], "TICK-1")
    events = client.get(f"/api/v1/declarations/{mrn}/events",
                        headers=auth(tok["trader"])).json()
    at = {e["kind"]: e["at"] for e in events}
    assert at["lodged"] < at["accepted"] < at["risk_assessed"] <= at["released"]
    report = client.get("/api/v1/reports/release-times", headers=auth(tok["officer"])).json()
    assert report["all"]["validation"]["mean"] > 0
    assert report["all"]["risk_decision"]["mean"] > 0
    assert report["all"]["total"]["mean"] == pytest.approx(
        report["all"]["validation"]["mean"] + report["all"]["risk_decision"]["mean"], abs=0.01)
