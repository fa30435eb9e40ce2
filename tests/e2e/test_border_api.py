"""Integrated border management over HTTP: the border police list a vehicle shared with
customs and plant health; a customs booth officer records it crossing at a crossing point and
sees the hit; each service's room shows the alerts concerning it, persons never to an agency;
crossing points read and kept; every refusal coded, never a 500."""

from __future__ import annotations

import base64
import random
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
from clearway.context import Context
from conftest import NOW
from helpers import make_token

BASE = "/api/v1/border"
SECRET = base64.b64encode(b"e" * 32).decode()
USERS = {"officer": ("officer", None), "police": ("border_police", None),
         "ph": ("agency_officer", "PH"), "vet": ("agency_supervisor", "VET"),
         "admin": ("administrator", None), "analyst": ("risk_analyst", None)}
DRIVER = {"name": "Jovan Jovanović", "document": "X99 1234", "country": "RS"}


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    keys = tmp_path / "keys.yaml"
    keys.write_text(f"- agreement: border\n  id: e1\n  secret: \"{SECRET}\"\n"
                    "  valid_from: 2026-01-01\n", encoding="utf-8")
    ctx: Context = build_context(Settings(database_url=db_url, environment="test",
                                          country_code="RS", token_cache_seconds=0,
                                          pseudonym_keys_file=str(keys)),
                                 clock=FixedClock(NOW), rng=random.Random(5))
    prepare(ctx)
    h = {n: {"Authorization": f"Bearer {make_token(ctx, n, role, code)}"}
         for n, (role, code) in USERS.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, h
    ctx.engine.dispose()


def test_a_listed_vehicle_crossing_raises_an_alert_in_each_room_concerned(api: Any) -> None:
    client, h = api
    listed = client.post(f"{BASE}/watch-list", headers=h["police"], json={
        "kind": "vehicle", "value": "BG-900-ZZ", "reason": "stolen lorry reported",
        "shared_with": ["customs", "PH"]})
    assert listed.status_code == 201, listed.text
    person = client.post(f"{BASE}/watch-list", headers=h["police"], json={
        "kind": "person", "person": DRIVER, "reason": "wanted", "shared_with": ["customs"]})
    assert person.status_code == 201, person.text
    assert "Jovan" not in person.text and person.json()["shown"].startswith("ps1:e1:")

    seen = client.post("/api/v1/arrivals/crossings", headers=h["officer"], json={
        "point": "RS-HORGOS", "vehicle": "bg 900 zz", "driver": {**DRIVER, "name": "JOVAN "
                                                                  "Jovanovic"}})
    assert seen.status_code == 200, seen.text
    assert sorted((a["kind"], a["field"]) for a in seen.json()["alerts"]) == [
        ("person", "driver"), ("vehicle", "vehicle")]

    rooms = {who: sorted(a["kind"] for a in client.get(f"{BASE}/alerts", headers=h[who]).json())
             for who in ("officer", "police", "ph", "vet")}
    assert rooms == {"officer": ["person", "vehicle"], "police": ["person", "vehicle"],
                     "ph": ["vehicle"], "vet": []}
    ph_entries = client.get(f"{BASE}/watch-list", headers=h["ph"]).json()
    assert [e["kind"] for e in ph_entries] == ["vehicle"]
    person_alert = next(a for a in client.get(f"{BASE}/alerts", headers=h["officer"]).json()
                        if a["kind"] == "person")
    hidden = client.get(f"{BASE}/alerts/{person_alert['id']}", headers=h["ph"])
    assert (hidden.status_code, hidden.json()["code"]) == (404, "CW-BORDER-ALERT-NOT-FOUND")

    closed = client.post(f"{BASE}/alerts/{person_alert['id']}/close", headers=h["police"],
                         json={"reason": "driver questioned and released"})
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")


def test_crossing_points_are_read_by_the_border_and_kept_by_an_administrator(
        api: Any) -> None:
    client, h = api
    points = client.get(f"{BASE}/crossing-points", headers=h["ph"]).json()
    assert {p["code"] for p in points} >= {"RS-HORGOS", "RS-PRESEVO", "RS-BATROVCI"}
    assert all(p["office"].startswith("RS") for p in points)
    saved = client.put(f"{BASE}/crossing-points/RS-KELEBIJA", headers=h["admin"], json={
        "name": "Kelebija - Tompa", "office": "RS003001", "neighbour": "HU",
        "modes": ["road"], "agencies": ["PH", "BP"]})
    assert saved.status_code == 200, saved.text
    assert saved.json()["agencies"] == ["BP", "PH"]


@pytest.mark.parametrize(("who", "method", "path", "body", "status", "code"), [
    ("police", "post", "/border/watch-list", {"kind": "person", "person": DRIVER, "reason": "r",
                                       "shared_with": ["PH"]}, 422, "CW-BORDER-WATCH"),
    ("analyst", "post", "/border/watch-list", {"kind": "vehicle", "value": "--", "reason": "r"},
     422, "CW-BORDER-WATCH"),
    ("analyst", "post", "/border/watch-list", {"kind": "vehicle", "value": "B1", "reason": "r",
                                        "valid_from": "2026-12-02", "valid_to": "2026-12-01"},
     422, "CW-BORDER-WATCH"),
    ("analyst", "post", "/border/watch-list/99/end", {"reason": "r"}, 404,
     "CW-BORDER-WATCH-NOT-FOUND"),
    ("officer", "post", "/border/alerts/99/close", {"reason": ""}, 422, "CW-REASON-REQUIRED"),
    ("admin", "put", "/border/crossing-points/RS-X", {"name": "X", "office": "MK002001",
                                               "neighbour": "HU", "modes": ["road"]},
     422, "CW-BORDER-POINT"),
    ("admin", "put", "/border/crossing-points/RS-X", {"name": "X", "office": "RS003001",
                                               "neighbour": "HU", "modes": ["boat"]},
     422, "CW-BORDER-POINT"),
    ("officer", "post", "/arrivals/crossings", {"point": "XX-NOWHERE", "vehicle": "B1"},
     404, "CW-BORDER-POINT-NOT-FOUND"),
    ("officer", "post", "/arrivals/crossings", {"point": "RS-HORGOS", "vehicle": "B1",
                                                   "driver": {"name": "A", "document": "--"}},
     422, "CW-BORDER-DRIVER"),
])
def test_refusals_are_coded(api: Any, who: str, method: str, path: str, body: Any,
                            status: int, code: str) -> None:
    client, h = api
    answer = getattr(client, method)(f"/api/v1{path}", headers=h[who], json=body)
    assert (answer.status_code, answer.json().get("code")) == (status, code), answer.text


def test_the_crossings_of_a_declaration_give_their_times(api: Any) -> None:
    client, h = api
    for direction in ("entry", "exit"):
        done = client.post("/api/v1/arrivals/crossings", headers=h["police"], json={
            "point": "RS-PRESEVO", "vehicle": "BG1", "direction": direction,
            "declarations": ["26RS000000000009R1"]})
        assert done.status_code == 200, done.text
    found = client.get(f"{BASE}/crossings", params={"mrn": "26rs000000000009r1"},
                       headers=h["officer"]).json()
    assert [(c["direction"], c["office"], c["recorded_at"][:16]) for c in found] == [
        ("entry", "RS004002", NOW.isoformat()[:16]), ("exit", "RS004002",
                                                      NOW.isoformat()[:16])]
