"""The feedback room over HTTP: trader records, profile effectiveness, the non-compliance
estimate and the KPI figures, from control results stored as the controls room stores them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.feedback.model import wilson
from feedback_data import decide, declaration, result
from helpers import OTHER_TRADER, TRADER, import_doc, make_token

# (lrn, random_selected, profiles, outcome or None, revenue): decided two days ago
CONTROLS = [
    ("R1", True, (), "irregular", "40.00"), ("R2", True, (), "regular", None),
    ("R3", True, ("P1",), "regular", None), ("R4", True, (), "irregular", "20.00"),
    ("S1", False, ("P1", "P2"), "irregular", "100.00"), ("S2", False, ("P1",), "regular", None),
    ("N1", False, (), None, None), ("N2", False, (), None, None),
]


@pytest.fixture
def api(ctx: Context, clock: FixedClock) -> Iterator[tuple[TestClient, dict[str, str]]]:
    prepare(ctx)
    day = clock.now() - timedelta(days=2)
    with ctx.uow() as uow:
        for lrn, random_selected, profiles, outcome, revenue in CONTROLS:
            decl = declaration(uow.session, lrn, trader=TRADER, at=day)
            decide(uow.session, decl, at=day, profiles=profiles,
                   random_selected=random_selected, channel="red" if outcome else "green")
            if outcome:
                result(uow.session, decl, at=day + timedelta(hours=2), outcome=outcome,
                       revenue=revenue, random_selected=random_selected)
        uow.commit()
    tokens = {role: make_token(ctx, role, role, TRADER if role == "trader" else None)
              for role in ("trader", "officer", "risk_analyst")}
    tokens["other"] = make_token(ctx, "other", "trader", OTHER_TRADER)
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, tokens


def get(client: TestClient, token: str, path: str) -> Any:
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(("who", "trader", "status"), [
    ("officer", TRADER, 200), ("risk_analyst", TRADER, 200), ("trader", TRADER, 200),
    ("trader", OTHER_TRADER, 404), ("other", TRADER, 404), ("officer", "RS999999999", 404),
    ("other", OTHER_TRADER, 200),
])
def test_who_reads_which_trader_record(api: Any, who: str, trader: str, status: int) -> None:
    client, tok = api
    answer = get(client, tok[who], f"/api/v1/traders/{trader}/record")
    assert answer.status_code == status, answer.text


def test_trader_record_counts_and_compliance_interval(api: Any) -> None:
    client, tok = api
    record = get(client, tok["officer"], f"/api/v1/traders/{TRADER}/record").json()
    controlled = [c for c in CONTROLS if c[3]]
    bad = [c for c in controlled if c[3] == "irregular"]
    ci = wilson(len(controlled) - len(bad), len(controlled))
    assert ci is not None
    assert (record["declarations"], record["controls"], record["irregular"]) == (
        len(CONTROLS), len(controlled), len(bad))
    assert record["revenue_assessed"] == sum(float(c[4] or 0) for c in controlled)
    assert record["compliance_rate"] == pytest.approx(1 - len(bad) / len(controlled))
    assert record["compliance_ci"]["low"] == pytest.approx(ci.low, abs=1e-6)
    assert record["last_irregularity"]["types"] == []


def test_profile_effectiveness_for_analysts_only(api: Any) -> None:
    client, tok = api
    assert get(client, tok["officer"], "/api/v1/profiles/effectiveness").status_code == 403
    rows = get(client, tok["risk_analyst"], "/api/v1/profiles/effectiveness").json()
    by_code = {p["code"]: p for p in rows["profiles"]}
    assert (by_code["P1"]["controls"], by_code["P1"]["hits"]) == (3, 1)
    assert by_code["P1"]["revenue_per_control"] == pytest.approx(100 / 3, abs=0.01)
    assert (by_code["P2"]["hit_rate"], by_code["P2"]["revenue_per_control"]) == (1.0, 100.0)
    assert [p["code"] for p in rows["profiles"]] == ["P2", "P1"]  # best hit rate first


def test_compliance_estimate_uses_random_controls_only(api: Any) -> None:
    client, tok = api
    answer = get(client, tok["officer"], "/api/v1/feedback/compliance-estimate").json()
    total = answer["total"]
    revenues = [float(c[4] or 0) for c in CONTROLS if c[1] and c[3]]
    assert (total["controls"], total["irregular"], total["declarations"]) == (
        len(revenues), 2, len(CONTROLS))
    assert total["non_compliance_rate"] == 0.5
    assert total["revenue_gap"] == pytest.approx(sum(revenues) / len(revenues) * len(CONTROLS))
    assert [o["office"] for o in answer["by_office"]] == ["RS001"]
    assert get(client, tok["officer"], "/api/v1/feedback/compliance-estimate?from=2026-99-01"
               ).status_code == 422


def test_kpis_per_day_and_total(api: Any, ctx: Context, clock: FixedClock) -> None:
    client, tok = api
    doc = import_doc(lrn="KPI-1", offices={"lodgement": "RS001002"})
    lodged = client.post("/api/v1/declarations", content=json.dumps(doc), headers={
        "Authorization": f"Bearer {tok['trader']}", "Content-Type": "application/json"})
    assert lodged.status_code == 201, lodged.text
    answer = get(client, tok["officer"], "/api/v1/kpis?from=2026-11-17&to=2026-11-20").json()
    assert [d["day"] for d in answer["days"]] == [f"2026-11-{d}" for d in (17, 18, 19, 20)]
    two_days_ago = answer["days"][1]
    assert two_days_ago["declarations"] == len(CONTROLS)
    assert two_days_ago["channel_counts"]["red"] == sum(1 for c in CONTROLS if c[3])
    assert two_days_ago["controls"] == sum(1 for c in CONTROLS if c[3])
    assert two_days_ago["hit_rate"] == pytest.approx(3 / 6, abs=1e-4)
    totals = answer["totals"]
    assert totals["declarations"] == len(CONTROLS) + 1
    assert totals["revenue_assessed"] == 160.0
    assert sum(totals["channel_shares"].values()) == pytest.approx(1.0, abs=1e-3)
    if lodged.json()["status"] == "released":
        assert totals["released"] == 1 and totals["release_minutes_p50"] == 0.0
    assert get(client, tok["trader"], "/api/v1/kpis").status_code == 403
