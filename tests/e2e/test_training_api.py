"""Officers' training over HTTP: supervisors manage, staff read, traders see nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.storage.orm import UserRow
from helpers import TRADER, make_token

BASE = "/api/v1/training"
VAL = {"code": "VAL-1", "title": "Customs valuation", "qualification": "valuation",
       "validity_months": 12}


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, dict[str, str]], dict[str, int]]]:
    prepare(ctx)
    roles = {"supervisor": "supervisor", "officer": "officer", "analyst": "risk_analyst",
             "trader": "trader"}
    tokens = {k: make_token(ctx, k, r, TRADER if r == "trader" else None)
              for k, r in roles.items()}
    with ctx.uow(read_only=True) as uow:
        ids = dict(uow.session.execute(select(UserRow.name, UserRow.id)).tuples().all())
    headers = {k: {"Authorization": f"Bearer {t}"} for k, t in tokens.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, headers, ids


def test_course_training_and_report(api: Any) -> None:
    client, h, ids = api
    assert client.post(f"{BASE}/courses", json=VAL, headers=h["supervisor"]).status_code == 200
    renewed = client.post(f"{BASE}/courses", json={**VAL, "validity_months": 24},
                          headers=h["supervisor"])
    assert renewed.json()["validity_months"] == 24
    assert client.get(f"{BASE}/courses", headers=h["officer"]).json() == [
        {**VAL, "validity_months": 24}]
    record = {"officer_id": ids["officer"], "course_code": "VAL-1", "completed_on": "2025-03-01"}
    made = client.post(f"{BASE}/records", json=record, headers=h["supervisor"])
    assert made.status_code == 201, made.text
    assert made.json()["expires_on"] == "2027-03-01"
    mine = client.get(f"{BASE}/officers/{ids['officer']}", headers=h["analyst"]).json()
    assert mine["qualifications"] == ["valuation"] and len(mine["records"]) == 1
    later = client.get(f"{BASE}/officers/{ids['officer']}", params={"on": "2027-03-01"},
                       headers=h["officer"]).json()
    assert later["qualifications"] == [] and later["on"] == "2027-03-01"
    report = client.get(f"{BASE}/report", params={"year": 2025}, headers=h["officer"]).json()
    assert report == {"year": 2025, "courses": [{"course_code": "VAL-1",
                                                 "title": "Customs valuation",
                                                 "officers": 1, "trainings": 1}]}


@pytest.mark.parametrize(("who", "changes", "status", "code"), [
    ("analyst", {}, 422, "CW-TRAINING-NOT-OFFICER"),
    ("trader", {}, 422, "CW-TRAINING-NOT-OFFICER"),
    ("officer", {"course_code": "NOPE"}, 404, "CW-NOT-FOUND"),
    ("officer", {"completed_on": "2030-01-01"}, 422, "CW-TRAINING-DATE"),
    ("officer", {"completed_on": "yesterday"}, 422, "CW-REQUEST-INVALID"),
    ("officer", {"officer_id": 0}, 422, "CW-REQUEST-INVALID"),
])
def test_bad_records_get_coded_errors(api: Any, who: str, changes: dict[str, Any], status: int,
                                      code: str) -> None:
    client, h, ids = api
    client.post(f"{BASE}/courses", json=VAL, headers=h["supervisor"])
    body = {"officer_id": ids[who], "course_code": "VAL-1", "completed_on": "2025-03-01",
            **changes}
    answer = client.post(f"{BASE}/records", json=body, headers=h["supervisor"])
    assert (answer.status_code, answer.json()["code"]) == (status, code)


@pytest.mark.parametrize(("method", "path", "who", "status"), [
    ("POST", "/courses", "officer", 403), ("POST", "/records", "analyst", 403),
    ("GET", "/courses", "trader", 403), ("GET", "/report?year=2026", "trader", 403),
    ("GET", "/officers/999", "officer", 404), ("GET", "/officers/x", "officer", 422),
    ("GET", "/report", "officer", 422), ("GET", "/report?year=99999", "officer", 422),
])
def test_access_and_bad_requests(api: Any, method: str, path: str, who: str,
                                 status: int) -> None:
    client, h, _ = api
    answer = client.request(method, BASE + path, json=VAL, headers=h[who])
    assert answer.status_code == status, answer.text
