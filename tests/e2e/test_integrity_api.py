"""Integrity over HTTP: auditors keep the register, administrators read it, nobody else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from helpers import make_token

BASE = "/api/v1/integrity"
ROLES = {"auditor": "auditor", "admin": "administrator", "officer": "officer",
         "supervisor": "supervisor"}


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    prepare(ctx)
    headers = {k: {"Authorization": f"Bearer {make_token(ctx, k, r)}"} for k, r in ROLES.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, headers


def test_case_lifecycle_and_report(api: Any) -> None:
    client, h = api
    body = {"allegation": "bribery", "description": "gift from a broker", "source": "complaint",
            "office": "RS001002"}
    opened = client.post(f"{BASE}/cases", json=body, headers=h["auditor"])
    assert opened.status_code == 201, opened.text
    ref = opened.json()["reference"]
    assert ref == "IC-2026-0001" and opened.json()["status"] == "open"
    for change, status in [({"status": "investigating"}, 200),
                           ({"status": "substantiated", "sanction": "reprimand"}, 200),
                           ({"status": "unfounded"}, 409)]:
        answer = client.patch(f"{BASE}/cases/{ref}", json=change, headers=h["auditor"])
        assert answer.status_code == status, answer.text
    assert client.get(f"{BASE}/cases/{ref}", headers=h["admin"]).json()["sanction"] == "reprimand"
    report = client.get(f"{BASE}/report", params={"year": 2026}, headers=h["admin"]).json()
    assert report["detected"]["bribery"] == 1 and report["sanctions"]["reprimand"] == 1
    assert [c["reference"] for c in client.get(f"{BASE}/cases", params={"year": 2026},
                                               headers=h["auditor"]).json()] == [ref]


@pytest.mark.parametrize(("method", "path", "who", "status"), [
    ("POST", "/cases", "admin", 403), ("POST", "/cases", "officer", 403),
    ("GET", "/cases", "supervisor", 403), ("GET", "/indicators", "officer", 403),
    ("GET", "/indicators", "admin", 200), ("GET", "/report", "auditor", 200),
    ("GET", "/cases/IC-2026-0999", "auditor", 404),
    ("PATCH", "/cases/IC-2026-0999", "auditor", 404),
])
def test_permissions_and_unknown_cases(api: Any, method: str, path: str, who: str,
                                       status: int) -> None:
    client, h = api
    answer = client.request(method, f"{BASE}{path}", json={"status": "investigating"},
                            headers=h[who])
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize(("body", "code"), [
    ({"allegation": "theft", "description": "x", "source": "audit"}, "CW-INTEGRITY-VALUE"),
    ({"allegation": "fraud", "description": "x", "source": "audit", "officer_id": 424242},
     "CW-INTEGRITY-OFFICER"),
    ({"allegation": "fraud", "source": "audit"}, "CW-REQUEST-INVALID"),
])
def test_bad_cases_get_coded_errors(api: Any, body: dict[str, Any], code: str) -> None:
    client, h = api
    answer = client.post(f"{BASE}/cases", json=body, headers=h["auditor"])
    assert answer.status_code == 422 and answer.json()["code"] == code


def test_indicators_answer_with_period_and_thresholds(api: Any) -> None:
    client, h = api
    found = client.get(f"{BASE}/indicators", params={"from": "2026-11-01", "to": "2026-11-20"},
                       headers=h["auditor"]).json()
    assert found["period"] == {"from": "2026-11-01", "to": "2026-11-20"}
    assert found["thresholds"] == {"z": 3.0, "min_controls": 20, "missed": 2}
    assert found["officers"] == [] and found["offices"] == []
    bad = client.get(f"{BASE}/indicators", params={"from": "1900-01-01"}, headers=h["auditor"])
    assert bad.status_code == 422
