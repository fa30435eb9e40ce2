"""ENS and EXS over HTTP: the carrier lodges, reads the outcome it was told, answers a request
for information; a security risk officer clears a do-not-load; the carrier's view never names
the officer nor the reason; every refusal coded, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.context import Context
from helpers import TRADER, make_token
from summary_helpers import summary, with_summary_rules

NAMELESS = {"id": "CN3206825541173", "address": {"country": "CN"}}
VAGUE = [{"sequence": 1, "hs6": "870830", "gross_mass": "500", "description": "spare parts"}]
REASON = "Screened by the port authority at Piraeus, seals intact, nothing found"
ROLES = {"carrier": ("trader", TRADER), "security": ("security_officer", None),
         "supervisor": ("supervisor", None), "officer": ("officer", None)}


@pytest.fixture
def api(ctx: Context, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    with_summary_rules(ctx, tmp_path)
    headers = {who: {"Authorization": f"Bearer {make_token(ctx, f'u-{who}', role, trader)}"}
               for who, (role, trader) in ROLES.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, headers


def lodge(client: TestClient, h: dict[str, Any], doc: dict[str, Any]) -> str:
    answer = client.post("/api/v1/declarations", json=doc, headers=h["carrier"])
    assert answer.status_code == 201, answer.text
    mrn: str = answer.json()["mrn"]
    return mrn


def test_do_not_load_cleared_by_the_security_officer(api: Any) -> None:
    client, h = api
    mrn = lodge(client, h, summary(route_countries=["SY"], items=VAGUE, consignor=NAMELESS))
    seen = client.get(f"/api/v1/summaries/{mrn}", headers=h["carrier"]).json()
    assert seen["outcome"] == "do_not_load"
    assert [t["kind"] for t in seen["told"]] == ["do_not_load"]
    body = {"outcome": "no_risk", "reason": REASON}
    refused = client.post(f"/api/v1/summaries/{mrn}/security-clearance", json=body,
                          headers=h["supervisor"])
    assert (refused.status_code, refused.json()["code"]) == (403, "CW-FORBIDDEN")
    waived = client.post(f"/api/v1/declarations/{mrn}/overrides", headers=h["officer"],
                         json={"kind": "waiver", "reason": REASON})
    assert (waived.status_code, waived.json()["code"]) == (409, "CW-OVERRIDE-SECURITY")
    cleared = client.post(f"/api/v1/summaries/{mrn}/security-clearance", json=body,
                          headers=h["security"])
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["outcome"] == "no_risk"
    carrier = client.get(f"/api/v1/summaries/{mrn}", headers=h["carrier"])
    assert carrier.json()["outcome"] == "no_risk" and carrier.json()["status"] == "released"
    assert [t["kind"] for t in carrier.json()["told"]] == ["do_not_load", "no_risk_identified"]
    assert REASON not in carrier.text and "u-security" not in carrier.text
    staff = client.get(f"/api/v1/summaries/{mrn}", headers=h["officer"]).json()
    assert staff["clearance"]["reason"] == REASON and staff["clearance"]["by"] == "u-security"
    again = client.post(f"/api/v1/summaries/{mrn}/security-clearance", json=body,
                        headers=h["security"])
    assert (again.status_code, again.json()["code"]) == (409, "CW-SECURITY-CLEAR")


def test_the_carrier_answers_a_request_for_information(api: Any) -> None:
    client, h = api
    mrn = lodge(client, h, summary(items=VAGUE))
    seen = client.get(f"/api/v1/summaries/{mrn}", headers=h["carrier"]).json()
    waiting = client.get("/api/v1/rfis", headers=h["officer"]).json()
    assert [(r["mrn"], r["status"]) for r in waiting] == [(mrn, "open")]
    (rfi,) = seen["rfis"]
    assert rfi["status"] == "open" and "precise description" in rfi["asked"][0]
    answer = client.post(f"/api/v1/summaries/{mrn}/rfi/answer", headers=h["carrier"],
                         json={"answer": "Brake pads for passenger cars, ceramic"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "closed" and answer.json()["answered_by"] == "text"
    assert client.get("/api/v1/rfis", headers=h["officer"]).json() == []
    again = client.post(f"/api/v1/summaries/{mrn}/rfi/answer", headers=h["carrier"],
                        json={"answer": "again"})
    assert (again.status_code, again.json()["code"]) == (409, "CW-RFI-NOT-OPEN")
    too_long = client.post(f"/api/v1/summaries/{mrn}/rfi/answer", headers=h["carrier"],
                           json={"answer": "x" * 5000})
    assert too_long.status_code == 422


def test_an_exs_is_lodged_assessed_and_answered(api: Any) -> None:
    client, h = api
    mrn = lodge(client, h, summary("EXS", lrn="EXS-1", route_countries=["SY"]))
    assert mrn[-2] == "C"  # the EXS procedure letter, before the check character
    seen = client.get(f"/api/v1/summaries/{mrn}", headers=h["carrier"]).json()
    assert (seen["declaration_type"], seen["outcome"]) == ("EXS", "high_risk_screening")
    notes = client.get("/api/v1/notifications", headers=h["carrier"]).json()["items"]
    mine = [n for n in notes if n["mrn"] == mrn]
    assert [n["kind"] for n in mine] == ["accepted", "high_risk_screening"]
    told = mine[-1]["payload"]
    assert told["outcome"] == "high_risk_screening" and told["office"] == "RS001002"
    assert "Channel" not in told["message"] and "channel" not in told


def test_a_filing_that_is_no_summary_answers_coded(api: Any) -> None:
    client, h = api
    seen = client.get("/api/v1/summaries/26RS000000000001R0", headers=h["officer"])
    assert (seen.status_code, seen.json()["code"]) == (404, "CW-NOT-FOUND")
