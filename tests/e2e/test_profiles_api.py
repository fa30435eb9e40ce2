"""The profiles API over HTTP: write, edit, activate, retire, import/export, back-test, and
the coded answers to bad requests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from helpers import REPO, TRADER, make_token

API = "/api/v1/profiles"
EXAMPLE = (REPO / "docs" / "examples" / "profiles.yaml").read_text()
SHIRTS: dict[str, Any] = {
    "code": "VAL-SHIRTS", "name": "Shirts from China", "area": "valuation", "weight": 0.5,
    "min_channel": "yellow", "instructions": "Check the invoice",
    "when": {"all": [{"field": "hs6", "prefix": ["6109"]},
                     {"field": "origin_country", "in": ["CN"]}]}}


@pytest.fixture
def api(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("HTTP behaviour does not depend on the backend")
    prepare(ctx)
    who = {"analyst": ("ana", "risk_analyst", None), "supervisor": ("sue", "supervisor", None),
           "trader": ("tom", "trader", TRADER)}
    headers = {k: {"Authorization": f"Bearer {make_token(ctx, *v)}"} for k, v in who.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, headers


def test_write_edit_activate_and_retire(api: Any) -> None:
    client, h = api
    created = client.post(API, json=SHIRTS, headers=h["analyst"])
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["version"], body["status"], body["owner"], body["hard"]) == (
        1, "draft", "ana", True)
    assert body["condition"] == "hs6 starts with 6109 and origin_country in CN"
    assert yaml.safe_load(body["yaml"])["code"] == "VAL-SHIRTS"
    active = client.post(f"{API}/VAL-SHIRTS/activate", json={}, headers=h["analyst"])
    assert (active.status_code, active.json()["status"]) == (200, "active")
    edited = client.put(f"{API}/VAL-SHIRTS", json={**SHIRTS, "weight": 0.8},
                        headers=h["analyst"])
    assert edited.status_code == 200, edited.text
    assert (edited.json()["action"], edited.json()["profile"]["version"]) == ("new_version", 2)
    listed = client.get(API, params={"status": "active"}, headers=h["supervisor"]).json()
    assert [(p["code"], p["version"]) for p in listed] == [("VAL-SHIRTS", 1)]
    client.post(f"{API}/VAL-SHIRTS/activate", json={"version": 2}, headers=h["analyst"])
    got = client.get(f"{API}/VAL-SHIRTS", headers=h["supervisor"]).json()
    assert [(v["version"], v["status"]) for v in got["versions"]] == [(2, "active"),
                                                                       (1, "retired")]
    old = client.get(f"{API}/VAL-SHIRTS", params={"version": 1}, headers=h["analyst"]).json()
    assert (old["version"], old["definition"]["weight"]) == (1, 0.5)
    retired = client.post(f"{API}/VAL-SHIRTS/retire", json={}, headers=h["analyst"])
    assert retired.json()["status"] == "retired"
    again = client.post(f"{API}/VAL-SHIRTS/retire", json={}, headers=h["analyst"])
    assert (again.status_code, again.json()["code"]) == (409, "CW-PROFILE-STATE")


def test_import_export_round_trip(api: Any) -> None:
    client, h = api
    imported = client.post(f"{API}/import", params={"activate": "true"}, content=EXAMPLE,
                           headers={**h["analyst"], "Content-Type": "application/yaml"})
    assert imported.status_code == 200, imported.text
    assert {(i["status"], i["action"], i["activated"]) for i in imported.json()} == {
        ("active", "created", True)}
    exported = client.get(f"{API}/export", params={"status": "active"}, headers=h["supervisor"])
    assert exported.headers["content-type"].startswith("application/yaml")
    codes = [p["code"] for p in yaml.safe_load(exported.text)]
    assert codes == sorted(p["code"] for p in yaml.safe_load(EXAMPLE))
    assert all(p["status"] == "active" for p in yaml.safe_load(exported.text))


@pytest.mark.parametrize(("method", "path", "payload", "status", "code", "issue"), [
    ("post", API, {**SHIRTS, "when": {"field": "hs7", "prefix": ["61"]}}, 422,
     "CW-DOC-INVALID", ("CW-PROFILE-FIELD", "/when/field")),
    ("post", API, {**SHIRTS, "when": {"field": "net_mass", "regex": "x"}}, 422,
     "CW-DOC-INVALID", ("CW-PROFILE-OPERATOR", "/when/regex")),
    ("post", API, {**SHIRTS, "area": "tax"}, 422, "CW-DOC-INVALID",
     ("CW-PROFILE-ATTRIBUTE", "/area")),
    ("post", API, [SHIRTS], 422, "CW-REQUEST-INVALID", None),
    ("post", f"{API}/import", "- code: [", 422, "CW-DOC-INVALID", ("CW-PROFILE-YAML", None)),
    ("put", f"{API}/NOPE", {**SHIRTS, "code": "NOPE"}, 404, "CW-NOT-FOUND", None),
    ("get", f"{API}/not-a-code!", None, 404, "CW-NOT-FOUND", None),
    ("post", f"{API}/NOPE/activate", {}, 404, "CW-NOT-FOUND", None),
    ("post", f"{API}/backtest", {"profile": SHIRTS, "start": "2026-02-01", "end": "2026-01-01"},
     422, "CW-PROFILE-PERIOD", None),
    ("get", API, {"status": "sleeping"}, 422, "CW-REQUEST-INVALID", None),
])
def test_bad_requests_get_coded_answers(api: Any, method: str, path: str, payload: Any,
                                        status: int, code: str,
                                        issue: tuple[str, str | None] | None) -> None:
    client, h = api
    if method == "get":
        answer = client.get(path, params=payload, headers=h["analyst"])
    elif isinstance(payload, str):
        answer = client.request(method, path, content=payload, headers=h["analyst"])
    else:
        answer = client.request(method, path, json=payload, headers=h["analyst"])
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    if issue:
        assert issue in [(e["code"], e["pointer"]) for e in answer.json()["errors"]]


def test_backtest_a_saved_profile_and_an_unsaved_definition(api: Any) -> None:
    client, h = api
    client.post(API, json=SHIRTS, headers=h["analyst"])
    saved = client.post(f"{API}/VAL-SHIRTS/backtest", json={}, headers=h["supervisor"])
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["code"], body["version"], body["declarations"], body["hits"]) == (
        "VAL-SHIRTS", 1, 0, 0)
    assert body["end"] == "2026-11-20" and body["start"] == "2026-10-21"
    unsaved = client.post(f"{API}/backtest", json={"profile": {**SHIRTS, "code": "DRAFT-X"},
                                                   "start": "2026-11-01"},
                          headers=h["analyst"])
    assert (unsaved.status_code, unsaved.json()["version"]) == (200, None)


@pytest.mark.parametrize(("who", "method", "path", "allowed"), [
    ("trader", "get", API, False),
    ("supervisor", "get", API, True),
    ("supervisor", "post", API, False),
    ("supervisor", "post", f"{API}/import", False),
    ("analyst", "post", API, True),
])
def test_who_may_read_and_write(api: Any, who: str, method: str, path: str,
                                allowed: bool) -> None:
    client, h = api
    answer = client.request(method, path, json=SHIRTS, headers=h[who])
    assert (answer.status_code == 403) is not allowed, answer.text
