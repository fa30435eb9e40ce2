"""The agencies over HTTP: an agency user needs an existing agency; a matrix version
uploaded as CSV by one analyst applies once another approves it; an agency officer decides
its task and the trader reads the decision."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from controls_world import module_context
from helpers import TRADER, import_doc, make_token

CSV = ("id,hs_prefix,agency,formality,declaration_types,procedures,origins,destinations,"
       "intended_use,documents,move_before_decision,valid_from,valid_to\n"
       "MS-SHAVERS,851010,MS,inspection,IM,40,,,,,no,,\n")


@pytest.fixture
def world(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    ctx = module_context(tmp_path, sqlite_template)
    tokens = {role: make_token(ctx, f"t-{role}", role, code) for role, code in (
        ("administrator", None), ("risk_analyst", None), ("supervisor", None),
        ("trader", TRADER))}
    tokens["analyst-2"] = make_token(ctx, "t-analyst-2", "risk_analyst")
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, {k: f"Bearer {v}" for k, v in tokens.items()}
    ctx.engine.dispose()


def test_agency_users_matrix_versions_and_a_decision_over_http(
        world: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = world

    def call(method: str, path: str, who: str, **kw: Any) -> Any:
        headers = {"Authorization": auth[who], **kw.pop("headers", {})}
        return client.request(method, path, headers=headers, **kw)

    unknown = call("POST", "/api/v1/users", "administrator",
                   json={"name": "zz-1", "role": "agency_officer", "trader_id": "ZZ"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "CW-AGENCY-UNKNOWN")
    made = call("POST", "/api/v1/users", "administrator",
                json={"name": "ms-1", "role": "agency_officer", "trader_id": "MS"})
    assert made.status_code == 201, made.text
    officer = {"Authorization": f"Bearer {made.json()['token']}"}
    proposed = call("POST", "/api/v1/agencies/matrix/versions?valid_from=2026-11-20",
                    "risk_analyst", content=CSV.encode(), headers={"Content-Type": "text/csv"})
    assert proposed.status_code == 201, proposed.text
    key = proposed.json()["id"]
    own = call("POST", f"/api/v1/agencies/matrix/versions/{key}/approve", "risk_analyst")
    assert (own.status_code, own.json()["code"]) == (403, "CW-FOUR-EYES")
    assert call("POST", f"/api/v1/agencies/matrix/versions/{key}/approve",
                "analyst-2").status_code == 200
    rules = call("GET", "/api/v1/agencies/matrix?on=2026-11-20", "supervisor").json()
    assert (rules["version"], [r["id"] for r in rules["rules"]]) == (key, ["MS-SHAVERS"])
    lodged = call("POST", "/api/v1/declarations", "trader", json=import_doc(lrn="API-MS"))
    assert lodged.status_code == 201, lodged.text
    (task,) = client.get("/api/v1/agency-tasks", headers=officer).json()
    assert [i["commodity_code"] for i in task["items"]] == ["851010"]
    decided = client.post(f"/api/v1/agency-tasks/{task['id']}/decision", headers=officer,
                          json={"decision": "request_document",
                                "text": "declaration of conformity (CE)"})
    assert decided.status_code == 200, decided.text
    notes = call("GET", "/api/v1/notifications", "trader").json()["items"]
    (asked,) = [n["payload"] for n in notes if n["kind"] == "agency_decision"]
    assert "declaration of conformity (CE)" in asked["message"]
    assert (asked["agency"], asked["agency_decision"]) == ("MS", "request_document")
    figures = {k["agency"]: k for k in call("GET", "/api/v1/agencies/kpis", "supervisor").json()}
    assert set(figures) >= {"PH", "VET", "PHA", "MS", "DUL"}
    assert (figures["MS"]["tasks"], figures["MS"]["selected"], figures["MS"]["open"]) == (1, 1, 1)
    assert figures["MS"]["target_minutes"] == 10 and figures["MS"]["p50_minutes"] is None
