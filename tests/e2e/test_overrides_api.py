"""Four-eyes over HTTP: an officer asks, a second supervisor approves, nobody approves their
own request, and the trader learns the new channel only."""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.composition import rule_components
from clearway.config import Settings
from clearway.context import Context
from clearway.risk.engine.decision import Area, Hit, Source
from clearway.risk.knowledge import Component, KnowledgeCache
from helpers import TRADER, import_doc, make_token

REASON = "Seals intact and the invoice matches the contract we hold"


@dataclass(frozen=True)
class EveryImportRed:
    """A test rule: a heavy soft hit on every import item (non-AEO importers go red)."""

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        rows = frame.filter(pl.col("declaration_type") == "IM")
        return [(d, Hit(Source.PROFILE, "TEST v1", Area.VALUATION, "test rule", weight=0.9,
                        item=i)) for d, i in zip(rows["_decl"], rows["item"], strict=True)]


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, str]]]:
    prepare(ctx)
    settings = ctx.settings.model_copy(update={"random_share": 0.0,
                                               "risk_recheck_seconds": 0.0})

    def sig(session: Session, s: Settings) -> Hashable:
        return 1

    parts = [*rule_components(), Component("test", sig, lambda s, _: EveryImportRed())]
    ctx.risk = KnowledgeCache(ctx.read_sessions, settings, parts, refdata=ctx.refdata.get)
    tokens = {"trader": make_token(ctx, "t", "trader", TRADER),
              "officer": make_token(ctx, "olga", "officer"),
              "s1": make_token(ctx, "sam", "supervisor"),
              "s2": make_token(ctx, "sue", "supervisor"),
              "auditor": make_token(ctx, "ada", "auditor")}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def lodge_red(client: TestClient, token: str, lrn: str) -> str:
    doc = import_doc(lrn=lrn, offices={"lodgement": "RS001002"},
                     importer={"id": "RS101456782"})
    answer = client.post("/api/v1/declarations", content=json.dumps(doc), headers={
        **auth(token), "Content-Type": "application/json"})
    assert answer.status_code == 201, answer.text
    mrn: str = answer.json()["mrn"]
    decision = client.get(f"/api/v1/declarations/{mrn}/decision", headers=auth(token)).json()
    assert decision["channel"] == "red"
    return mrn


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"kind": "channel_change", "to_channel": "green", "reason": "ok"}, 422,
     "CW-OVERRIDE-REASON"),
    ({"kind": "channel_change", "reason": REASON}, 422, "CW-OVERRIDE-KIND"),
    ({"kind": "channel_change", "to_channel": "red", "reason": REASON}, 409,
     "CW-OVERRIDE-NOOP"),
    ({"kind": "waiver", "to_channel": "green", "reason": REASON}, 422, "CW-OVERRIDE-KIND"),
    ({"kind": "upgrade", "reason": REASON}, 422, "CW-REQUEST-INVALID"),
])
def test_bad_requests_get_coded_errors(api: Any, body: dict[str, Any], status: int,
                                       code: str) -> None:
    client, tok = api
    mrn = lodge_red(client, tok["trader"], "BAD-1")
    answer = client.post(f"/api/v1/declarations/{mrn}/overrides", json=body,
                         headers=auth(tok["officer"]))
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert client.get("/api/v1/overrides", headers=auth(tok["s1"])).json()["total"] == 0


def test_officer_asks_a_second_supervisor_approves(api: Any) -> None:
    client, tok = api
    mrn = lodge_red(client, tok["trader"], "FE-1")
    url = f"/api/v1/declarations/{mrn}/overrides"
    body = {"kind": "channel_change", "to_channel": "green", "reason": REASON}
    assert client.post(url, json=body, headers=auth(tok["trader"])).status_code == 403
    asked = client.post(url, json=body, headers=auth(tok["officer"]))
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert (request["status"], request["requested_by"], request["from_channel"]) == (
        "pending", "olga", "red")
    again = client.post(url, json=body, headers=auth(tok["s1"]))
    assert (again.status_code, again.json()["code"]) == (409, "CW-OVERRIDE-PENDING")
    pending = client.get("/api/v1/overrides?status=pending", headers=auth(tok["s2"])).json()
    assert [o["id"] for o in pending["items"]] == [request["id"]]
    approve = f"/api/v1/overrides/{request['id']}/approve"
    assert client.post(approve, json={}, headers=auth(tok["officer"])).status_code == 403
    done = client.post(approve, json={"note": "agreed"}, headers=auth(tok["s2"]))
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["decided_by"]) == ("approved", "sue")
    # The trader sees the new channel and the release, never the reason or the persons.
    trader = auth(tok["trader"])
    decision = client.get(f"/api/v1/declarations/{mrn}/decision", headers=trader).json()
    assert set(decision) == {"channel", "decided_at"} and decision["channel"] == "green"
    assert client.get(f"/api/v1/declarations/{mrn}", headers=trader).json()["status"] == (
        "released")
    seen = json.dumps([client.get("/api/v1/notifications", headers=trader).json(),
                       client.get(f"/api/v1/declarations/{mrn}/events", headers=trader).json()])
    assert REASON not in seen and "officer:olga" not in seen and "agreed" not in seen
    # Staff see the override in the decision.
    staff = client.get(f"/api/v1/declarations/{mrn}/decision", headers=auth(tok["s1"])).json()
    assert (staff["override"]["original_channel"], staff["override"]["reason"]) == (
        "red", REASON)


def test_nobody_approves_their_own_request(api: Any) -> None:
    client, tok = api
    mrn = lodge_red(client, tok["trader"], "FE-2")
    asked = client.post(f"/api/v1/declarations/{mrn}/overrides", headers=auth(tok["s1"]),
                        json={"kind": "waiver", "reason": REASON}).json()
    base = f"/api/v1/overrides/{asked['id']}"
    for action, body in (("approve", {}), ("reject", {"note": "changed my mind on this"})):
        answer = client.post(f"{base}/{action}", json=body, headers=auth(tok["s1"]))
        assert (answer.status_code, answer.json()["code"]) == (403, "CW-FOUR-EYES")
    short = client.post(f"{base}/reject", json={"note": "no"}, headers=auth(tok["s2"]))
    assert (short.status_code, short.json()["code"]) == (422, "CW-OVERRIDE-REASON")
    rejected = client.post(f"{base}/reject", json={"note": "the control must go ahead"},
                           headers=auth(tok["s2"]))
    assert rejected.json()["status"] == "rejected"
    assert client.get(f"/api/v1/declarations/{mrn}/decision",
                      headers=auth(tok["trader"])).json()["channel"] == "red"


def test_who_reads_which_requests(api: Any) -> None:
    client, tok = api
    mine = lodge_red(client, tok["trader"], "RD-1")
    theirs = lodge_red(client, tok["trader"], "RD-2")
    for who, mrn in (("officer", mine), ("s1", theirs)):
        assert client.post(f"/api/v1/declarations/{mrn}/overrides", headers=auth(tok[who]),
                           json={"kind": "cancellation", "reason": REASON}).status_code == 201
    own = client.get("/api/v1/overrides", headers=auth(tok["officer"])).json()
    assert [o["declaration"] for o in own["items"]] == [mine]
    everyone = client.get("/api/v1/overrides", headers=auth(tok["s2"])).json()
    assert everyone["total"] == 2
    audit = client.get("/api/v1/audit/overrides", headers=auth(tok["auditor"])).json()
    assert {o["declaration"] for o in audit["items"]} == {mine, theirs}
    other = {o["declaration"]: o["id"] for o in everyone["items"]}[theirs]
    assert client.get(f"/api/v1/overrides/{other}",
                      headers=auth(tok["officer"])).status_code == 404
    assert client.get(f"/api/v1/overrides/{other}", headers=auth(tok["s2"])).status_code == 200
    filtered = client.get(f"/api/v1/overrides?declaration={mine}", headers=auth(tok["s2"]))
    assert filtered.json()["total"] == 1
