"""Partnerships with trade over HTTP: a supervisor registers an MoU and its member, records a
consultation with a follow-up action; an analyst reads the register and the facilitation
figures; officers and traders read nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from helpers import TRADER, make_token

BASE = "/api/v1/partnerships"
ROLES = ("supervisor", "risk_analyst", "officer", "trader")


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, dict[str, str]], Any]]:
    prepare(ctx)
    tokens = {r: make_token(ctx, f"p-{r}", r, TRADER if r == "trader" else None)
              for r in ROLES}
    h = {r: {"Authorization": f"Bearer {t}"} for r, t in tokens.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, h, ctx.clock.now().date()


def test_the_register_and_the_consultation_record(api: Any) -> None:
    client, h, today = api
    mou = {"code": "mou-ffa", "title": "Data quality", "kind": "trade_association",
           "parties": ["Customs", "FFA"], "scope": "ENS data",
           "facilitations": ["Fewer documentary checks"],
           "contacts": [{"name": "Ana", "organisation": "FFA", "email": "ana@ffa.example"}],
           "valid_from": str(today - timedelta(days=30)), "next_review_on": str(today)}
    made = client.post(f"{BASE}/mous", json=mou, headers=h["supervisor"])
    assert made.status_code == 201, made.text
    assert made.json()["code"] == "MOU-FFA" and made.json()["review_due"] is True
    again = client.post(f"{BASE}/mous", json=mou, headers=h["supervisor"])
    assert (again.status_code, again.json()["code"]) == (409, "CW-MOU-EXISTS")
    bad = client.post(f"{BASE}/mous", json={**mou, "code": "X", "kind": "club"},
                      headers=h["supervisor"])
    assert (bad.status_code, bad.json()["code"]) == (422, "CW-MOU-INVALID")
    member = client.post(f"{BASE}/mous/MOU-FFA/members", headers=h["supervisor"],
                         json={"trader_id": TRADER.lower(), "valid_from": str(today)})
    assert member.status_code == 201 and member.json()["members"][0]["trader_id"] == TRADER
    read = client.get(f"{BASE}/mous/mou-ffa", headers=h["risk_analyst"]).json()
    assert read["members_today"] == 1
    figures = client.get(f"{BASE}/facilitation", headers=h["risk_analyst"]).json()
    assert set(figures) >= {"members", "non_members", "by_mou", "difference", "from", "to"}
    held = client.post(f"{BASE}/consultations", headers=h["supervisor"], json={
        "held_on": str(today), "title": "Quarterly", "participants": ["FFA"],
        "topics": ["ICS2"], "outcomes": "Test window asked", "mou_code": "mou-ffa"})
    assert held.status_code == 201, held.text
    ref = held.json()["reference"]
    acted = client.post(f"{BASE}/consultations/{ref}/actions", headers=h["supervisor"], json={
        "description": "Open a test window", "owner": "administrator",
        "due_on": str(today - timedelta(days=1))})
    action = acted.json()["actions"][0]
    assert action["overdue"] is True and acted.json()["overdue_actions"] == 1
    done = client.post(f"{BASE}/consultations/{ref}/actions/{action['id']}/done",
                       headers=h["supervisor"], json={"note": "opened"})
    assert done.json()["overdue_actions"] == 0 and done.json()["actions"][0]["done_note"] == \
        "opened"
    listed = client.get(f"{BASE}/consultations", headers=h["risk_analyst"]).json()
    assert [c["reference"] for c in listed] == [ref]
    ended = client.post(f"{BASE}/mous/MOU-FFA/members/{TRADER}/end", headers=h["supervisor"],
                        json={"on": str(today)})
    assert ended.json()["members"][0]["valid_to"] == str(today)


@pytest.mark.parametrize(("method", "path", "who"), [
    ("GET", "/mous", "officer"), ("GET", "/mous", "trader"),
    ("POST", "/mous", "risk_analyst"), ("GET", "/facilitation", "trader"),
    ("POST", "/consultations", "risk_analyst"), ("GET", "/consultations", "officer")])
def test_who_may_not(api: Any, method: str, path: str, who: str) -> None:
    client, h, _today = api
    answer = client.request(method, BASE + path, json={}, headers=h[who])
    assert (answer.status_code, answer.json()["code"]) == (403, "CW-FORBIDDEN")
