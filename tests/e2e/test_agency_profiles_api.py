"""An agency's own risk profiles over HTTP: its supervisor writes and activates them (the
agency filled in), its officers read them, another agency and customs' profiles stay out of
reach, and the active profile selects the agency's task on the next routed filing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from controls_world import module_context
from helpers import TRADER, import_doc, make_token

FRUIT = {"code": "PH-EG-FRUIT", "name": "Citrus from Egypt", "area": "health", "weight": 0.4,
         "min_channel": "yellow", "instructions": "sample for fruit fly",
         "when": {"all": [{"field": "hs4", "equals": "0805"},
                          {"field": "origin_country", "equals": "EG"}]}}
ORANGES = {"sequence": 1, "commodity_code": "080510", "description": "Oranges",
           "origin_country": "EG", "procedure": {"requested": "40", "previous": "00"},
           "net_mass": "1000", "gross_mass": "1100", "item_price": "900.00",
           "packages": [{"kind": "CT", "count": 50}],
           "documents": [{"code": "N851", "reference": "PC-2026-1"}]}


@pytest.fixture
def world(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    ctx = module_context(tmp_path, sqlite_template)
    tokens = {name: make_token(ctx, f"t-{name}", role, code) for name, role, code in (
        ("ph-chief", "agency_supervisor", "PH"), ("ph-officer", "agency_officer", "PH"),
        ("vet-chief", "agency_supervisor", "VET"), ("analyst", "risk_analyst", None),
        ("trader", "trader", TRADER))}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, {k: f"Bearer {v}" for k, v in tokens.items()}
    ctx.engine.dispose()


def test_an_agency_writes_activates_and_is_selected_by_its_own_profile(
        world: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = world

    def call(method: str, path: str, who: str, **kw: Any) -> Any:
        return client.request(method, f"/api/v1/{path}", headers={"Authorization": auth[who]},
                              **kw)

    made = call("POST", "agency-profiles", "ph-chief", json=FRUIT)
    assert made.status_code == 201, made.text
    assert (made.json()["agency"], made.json()["status"]) == ("PH", "draft")
    assert call("POST", "agency-profiles", "ph-officer", json=FRUIT).status_code == 403
    assert call("POST", "agency-profiles/PH-EG-FRUIT/activate", "ph-chief",
                json={}).status_code == 200
    assert [p["code"] for p in call("GET", "agency-profiles", "ph-officer").json()] == [
        "PH-EG-FRUIT"]
    # Another agency sees none of it, and cannot write for plant health
    assert call("GET", "agency-profiles", "vet-chief").json() == []
    hidden = call("GET", "agency-profiles/PH-EG-FRUIT", "vet-chief")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "CW-NOT-FOUND")
    theirs = call("POST", "agency-profiles", "vet-chief", json={**FRUIT, "code": "VET-X",
                                                                "agency": "PH"})
    assert (theirs.status_code, theirs.json()["code"]) == (403, "CW-FORBIDDEN")
    # Customs' profiles stay customs': not read, not overwritten through the agency routes
    assert call("POST", "profiles", "analyst", json={**FRUIT, "code": "CUS-1",
                                                     "owner": "risk"}).status_code == 201
    assert call("GET", "agency-profiles/CUS-1", "ph-chief").status_code == 404
    assert call("PUT", "agency-profiles/CUS-1", "ph-chief",
                json={**FRUIT, "code": "CUS-1"}).status_code == 404
    unknown = call("POST", "profiles", "analyst", json={**FRUIT, "code": "ZZ-1", "agency": "ZZ",
                                                        "owner": "risk"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "CW-AGENCY-UNKNOWN")
    # The next routed filing: every document declared, yet the profile selects the task
    lodged = call("POST", "declarations", "trader",
                  json=import_doc(lrn="AP-1", items=[ORANGES], item_count=1,
                                  invoice_amount="900.00", total_packages=50))
    assert lodged.status_code == 201, lodged.text
    (task,) = call("GET", "agency-tasks", "ph-officer").json()
    assert task["selected"] is True
    assert any("PH-EG-FRUIT v1" in why and "sample for fruit fly" in why
               for why in task["selection"]), task["selection"]


def test_the_agency_room_lists_its_own_profiles_only(
        world: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = world
    made = client.post("/api/v1/agency-profiles", json=FRUIT,
                       headers={"Authorization": auth["ph-chief"]})
    assert made.status_code == 201, made.text

    def room(who: str) -> Any:
        client.cookies.clear()
        client.cookies.set("cw_token", auth[who].removeprefix("Bearer "))
        return client.get("/console/agency/profiles")

    ours = room("ph-officer")
    assert ours.status_code == 200 and "PH-EG-FRUIT" in ours.text
    assert "sample for fruit fly" in ours.text and "always (yellow)" in ours.text
    theirs = room("vet-chief")
    assert theirs.status_code == 200 and "PH-EG-FRUIT" not in theirs.text
    assert 'id="agency-profiles-none"' in theirs.text
    assert room("analyst").status_code == 403
    client.cookies.clear()
