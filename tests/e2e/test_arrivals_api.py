"""The entry side over HTTP (RS receiving from MK): a booth record, the arrivals announced
with what arrived, the tolerances; every refusal coded, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.exchange import service as exchange
from clearway.exchange import signing
from clearway.exchange.inbound import Incoming
from clearway.prearrival.arrivals import receive_announcement
from clearway.privacy import repository as privacy_repo
from conftest import NOW
from exchange_world import AGREEMENT_FILE, envelope
from helpers import make_token

BASE = "/api/v1/arrivals"
ROLES = ("officer", "risk_analyst", "auditor")
MK_MRN = "26MK0000000000012A"


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    prepare(ctx)
    exchange.add_partner(ctx, "MK", "Customs MK", "https://mk.example/api/v1/exchange/inbox",
                         signing.public_pem(Ed25519PrivateKey.generate()), "administrator:t")
    exchange.import_agreements(ctx, AGREEMENT_FILE.read_text(encoding="utf-8"),
                               "administrator:t")
    headers = {r: {"Authorization": f"Bearer {make_token(ctx, r, r)}"} for r in ROLES}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, headers


def announce(ctx: Context, **transport: Any) -> None:
    env = envelope(NOW, from_party="MK", to_party="RS", action="anticipated-arrival",
                   payload_type="anticipated-arrival")
    payload = {"mrn": MK_MRN, "exit_at": (NOW - timedelta(minutes=30)).isoformat(),
               "office_of_exit": "MK002001", "office_of_entry": "RS004002",
               "transport": transport}
    with ctx.uow() as uow:
        receive_announcement(uow.session, ctx.settings, Incoming(env, payload, NOW))
        uow.commit()


def test_a_booth_record_matches_an_announcement_read_with_its_alarms(
        api: Any, ctx: Context) -> None:
    client, h = api
    announce(ctx, vehicle="SK-123-AB", seals=["A1"])
    (listed,) = client.get(BASE, params={"status": "expected"}, headers=h["officer"]).json()

    seen = client.post(f"{BASE}/crossings", headers=h["officer"], json={
        "office": "RS004002", "vehicle": "sk 123 ab", "seals": ["A2"], "from_country": "MK"})

    assert seen.status_code == 200, seen.text
    assert seen.json()["arrival_id"] == listed["id"]
    assert [a["kind"] for a in seen.json()["alarms"]] == ["seals-different"]
    detail = client.get(f"{BASE}/{listed['id']}", headers=h["auditor"]).json()
    assert detail["status"] == "arrived" and detail["matched_kind"] == "crossing"
    assert detail["announcement"]["mrn"] == MK_MRN
    assert detail["crossings"][0]["seals"] == ["A2"]
    assert detail["alarms"][0]["evidence"]["seals"] == {"announced": ["A1"], "arrived": ["A2"]}


def test_reading_an_announcement_or_its_alarm_is_in_the_access_log(api: Any,
                                                                   ctx: Context) -> None:
    client, h = api
    announce(ctx, vehicle="SK-123-AB", seals=["A1"])
    (listed,) = client.get(BASE, params={"status": "expected"}, headers=h["officer"]).json()
    client.post(f"{BASE}/crossings", headers=h["officer"], json={
        "office": "RS004002", "vehicle": "SK123AB", "seals": ["A2"], "from_country": "MK"})
    (alarm,) = client.get(f"{BASE}/alarms", headers=h["officer"]).json()

    assert client.get(f"{BASE}/{listed['id']}", headers=h["auditor"]).status_code == 200
    assert client.get(f"{BASE}/alarms/{alarm['id']}", headers=h["officer"]).status_code == 200

    with ctx.uow(read_only=True) as uow:
        logged = privacy_repo.access_log(uow.session)
    reads = [(e["actor"].split(":")[0], e["action"], e["record"], e["purpose"])
             for e in logged if e["action"] == "read"]
    assert sorted(reads) == [("auditor", "read", f"arrival:{listed['id']}", "risk-analysis"),
                             ("officer", "read", f"alarm:{alarm['id']}", "risk-analysis")]


def test_an_unannounced_vehicle_from_a_partner_raises_no_exit_record(api: Any) -> None:
    client, h = api
    seen = client.post(f"{BASE}/crossings", headers=h["officer"],
                       json={"office": "RS004002", "vehicle": "SK-999-ZZ", "from_country": "MK"})
    assert seen.status_code == 200, seen.text
    assert [a["kind"] for a in seen.json()["alarms"]] == ["no-exit-record"]
    assert seen.json()["arrival_id"] is None


def test_tolerances_are_the_analysts(api: Any) -> None:
    client, h = api
    body = {"mass_pct": 3, "packages": 1, "value_pct": 12.5}
    assert client.put(f"{BASE}/tolerances/61", json=body, headers=h["officer"]).status_code == 403
    done = client.put(f"{BASE}/tolerances/61", json=body, headers=h["risk_analyst"])
    assert done.status_code == 200, done.text
    assert client.get(f"{BASE}/tolerances", headers=h["officer"]).json() == [
        {"hs_chapter": "61", "mass_pct": 3.0, "packages": 1, "value_pct": 12.5}]


@pytest.mark.parametrize(("method", "path", "body", "status", "code"), [
    ("get", f"{BASE}/99", None, 404, "CW-PRE-ARRIVAL-NOT-FOUND"),
    ("post", f"{BASE}/crossings", {"office": "MK002001", "vehicle": "X1"}, 422,
     "CW-PRE-CROSSING"),
    ("post", f"{BASE}/crossings", {"office": "RS004002", "vehicle": " - "}, 422,
     "CW-PRE-CROSSING"),
    ("post", f"{BASE}/crossings", {"office": "RS004002", "vehicle": "X1",
                                   "containers": ["C" * 40]}, 422, "CW-PRE-CROSSING"),
    ("put", f"{BASE}/tolerances/6", {"mass_pct": 1, "packages": 0, "value_pct": 1}, 422,
     "CW-PRE-TOLERANCE"),
    ("put", f"{BASE}/tolerances/61", {"mass_pct": -1, "packages": 0, "value_pct": 1}, 422,
     "CW-PRE-TOLERANCE"),
    ("put", f"{BASE}/tolerances/61", {"mass_pct": 1, "packages": -2, "value_pct": 1}, 422,
     "CW-PRE-TOLERANCE"),
])
def test_refusals_are_coded(api: Any, method: str, path: str, body: Any, status: int,
                            code: str) -> None:
    client, h = api
    who = "risk_analyst" if method == "put" else "officer"
    answer = client.request(method.upper(), path, json=body, headers=h[who])
    assert (answer.status_code, answer.json()["code"]) == (status, code)
