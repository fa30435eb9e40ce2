"""Capacity budgets and the selectivity report over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from helpers import TRADER, import_doc, make_token


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, str]]]:
    prepare(ctx)
    tokens = {"trader": make_token(ctx, "t", "trader", TRADER),
              "supervisor": make_token(ctx, "s", "supervisor"),
              "officer": make_token(ctx, "o", "officer")}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_supervisor_sets_a_budget_that_selectivity_respects(api: Any) -> None:
    client, tok = api
    url = "/api/v1/selectivity/budgets/RS001002/red"
    assert client.put(url, json={"per_day": 5}, headers=auth(tok["officer"])).status_code == 403
    assert client.put(url, json={"per_day": -1},
                      headers=auth(tok["supervisor"])).status_code == 422
    assert client.put(url, json={"per_day": 5},
                      headers=auth(tok["supervisor"])).json()["per_day"] == 5
    listed = client.get("/api/v1/selectivity/budgets", headers=auth(tok["officer"])).json()
    assert listed == [{"office": "RS001002", "channel": "red", "per_day": 5}]
    assert client.put(url, json={"per_day": None},
                      headers=auth(tok["supervisor"])).status_code == 200
    assert client.get("/api/v1/selectivity/budgets", headers=auth(tok["officer"])).json() == []


def test_report_counts_todays_decisions_by_aeo_status(api: Any) -> None:
    client, tok = api
    for n in range(3):
        doc = import_doc(lrn=f"REP-{n}", offices={"lodgement": "RS001002"})
        assert client.post("/api/v1/declarations", content=json.dumps(doc), headers={
            **auth(tok["trader"]), "Content-Type": "application/json"}).status_code == 201
    report = client.get("/api/v1/selectivity/report", headers=auth(tok["officer"])).json()
    assert report["all"]["total"] == 3 and report["aeo"]["total"] == 3  # the importer is AEOF
    assert report["offices"]["RS001002"]["total"] == 3
    assert client.get("/api/v1/selectivity/report",
                      headers=auth(tok["trader"])).status_code == 403
