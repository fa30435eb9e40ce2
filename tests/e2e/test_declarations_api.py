"""The declaration contract over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.declarations.mrn import is_valid_mrn
from clearway.storage.orm import AuditRow, DeclarationRow, EventRow, NotificationRow
from helpers import OTHER_TRADER, TRADER, import_doc, make_token


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, str]]]:
    prepare(ctx)
    # Green decisions wait here (risk_assessed) so that the life cycle can be exercised;
    # test_lodge_then_read covers the automatic release.
    ctx.settings.auto_release = False
    tokens = {
        "trader": make_token(ctx, "t1", "trader", TRADER),
        "other": make_token(ctx, "t2", "trader", OTHER_TRADER),
        "officer": make_token(ctx, "o1", "officer"),
        "auditor": make_token(ctx, "a1", "auditor"),
    }
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post(client: TestClient, token: str, doc: dict[str, Any]) -> Any:
    return client.post("/api/v1/declarations", content=json.dumps(doc),
                       headers={**auth(token), "Content-Type": "application/json"})


def count(ctx: Context, row: Any) -> int:
    with ctx.uow() as uow:
        return int(uow.session.execute(select(func.count()).select_from(row)).scalar_one())


def test_lodge_then_read(api: Any, ctx: Context) -> None:
    client, tok = api
    ctx.settings.auto_release = True
    answer = post(client, tok["trader"], import_doc())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert is_valid_mrn(body["mrn"]) and body["mrn"][2:4] == "RS"
    # Accepted, risk-assessed green and released in the same transaction.
    assert body["status"] == "released" and body["lrn"] == "LRN-0001"
    read = client.get(f"/api/v1/declarations/{body['mrn']}", headers=auth(tok["trader"])).json()
    assert read["declaration_type"] == "IM"
    assert [(i["commodity_code"], i["origin_country"]) for i in read["items"]] == [
        ("851010", "CN"), ("610910", "BD")]
    events = client.get(f"/api/v1/declarations/{body['mrn']}/events",
                        headers=auth(tok["trader"])).json()
    assert [e["kind"] for e in events] == ["lodged", "accepted", "risk_assessed", "released"]
    assert events[2]["detail"] == {"channel": "green"}  # a trader sees the channel only
    decision = client.get(f"/api/v1/declarations/{body['mrn']}/decision",
                          headers=auth(tok["trader"])).json()
    assert set(decision) == {"channel", "decided_at"}
    staff = client.get(f"/api/v1/declarations/{body['mrn']}/decision",
                       headers=auth(tok["officer"])).json()
    assert staff["channel"] == "green" and "scores" in staff and "reasons" in staff


def test_identical_retry_returns_original_and_creates_nothing(api: Any, ctx: Context) -> None:
    client, tok = api
    first = post(client, tok["trader"], import_doc())
    before = [count(ctx, t) for t in (DeclarationRow, EventRow, NotificationRow, AuditRow)]
    again = post(client, tok["trader"], import_doc())
    assert again.status_code == 200 and again.json()["mrn"] == first.json()["mrn"]
    assert [count(ctx, t) for t in (DeclarationRow, EventRow, NotificationRow, AuditRow)] == before


def test_same_lrn_other_document_is_conflict(api: Any) -> None:
    client, tok = api
    post(client, tok["trader"], import_doc())
    answer = post(client, tok["trader"], import_doc(invoice_amount="1499.00"))
    assert answer.status_code == 409 and answer.json()["code"] == "CW-LRN-CONFLICT"


INVALID_CASES = [
    # (change to the valid document, expected code, pointer)
    ({"items": [{**import_doc()["items"][0], "net_mass": "500"}], "item_count": 1,
      "invoice_amount": "1000.00", "total_packages": 20}, "CW-RULE-MASS", "/items/0/net_mass"),
    ({"dispatch_country": "QQ"}, "CW-CODE-COUNTRY", "/dispatch_country"),
    ({"item_count": 5}, "CW-RULE-ITEM-COUNT", "/item_count"),
    ({"invoice_currency": "XYZ"}, "CW-CODE-CURRENCY", "/invoice_currency"),
    ({"total_packages": 99}, "CW-RULE-PACKAGES", "/total_packages"),
    ({"declaration_date": "2031-01-01"}, "CW-RULE-DATE", "/declaration_date"),
    ({"authorisations": [{"type": "AEOC"}]}, "CW-RULE-AEO", "/authorisations/0/type"),
    ({"importer": None}, "CW-RULE-REQUIRED", "/importer"),
    ({"lrn": ""}, "CW-SYN-SCHEMA", "/lrn"),
    ({"unknown_field": 1}, "CW-SYN-SCHEMA", "/unknown_field"),
    ({"invoice_amount": "1e30"}, "CW-SYN-SCHEMA", "/invoice_amount"),
    ({"total_packages": 10**20}, "CW-SYN-SCHEMA", "/total_packages"),
    ({"items": [{**import_doc()["items"][0], "sequence": 10**20}]}, "CW-SYN-SCHEMA",
     "/items/0/sequence"),
]


@pytest.mark.parametrize(("change", "code", "pointer"), INVALID_CASES)
def test_invalid_documents_get_coded_errors(api: Any, change: dict[str, Any], code: str,
                                            pointer: str) -> None:
    client, tok = api
    answer = post(client, tok["trader"], import_doc(**change))
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert (code, pointer) in [(e["code"], e["pointer"]) for e in errors], errors
    assert all(e["message"] for e in errors)


def test_all_errors_are_returned_at_once(api: Any) -> None:
    client, tok = api
    doc = import_doc(dispatch_country="QQ", item_count=9, invoice_currency="XYZ")
    codes = {e["code"] for e in post(client, tok["trader"], doc).json()["errors"]}
    assert {"CW-CODE-COUNTRY", "CW-RULE-ITEM-COUNT", "CW-CODE-CURRENCY"} <= codes


def test_rejected_lrn_can_be_lodged_again_once_corrected(api: Any) -> None:
    client, tok = api
    assert post(client, tok["trader"], import_doc(item_count=9)).status_code == 422
    assert post(client, tok["trader"], import_doc()).status_code == 201


def test_trader_sees_only_own_filings(api: Any) -> None:
    client, tok = api
    mrn = post(client, tok["trader"], import_doc()).json()["mrn"]
    assert client.get(f"/api/v1/declarations/{mrn}", headers=auth(tok["other"])).status_code == 404
    assert client.get("/api/v1/declarations", headers=auth(tok["other"])).json()["total"] == 0
    assert client.get("/api/v1/declarations", headers=auth(tok["trader"])).json()["total"] == 1
    officer = client.get(f"/api/v1/declarations/{mrn}", headers=auth(tok["officer"]))
    assert officer.status_code == 200


def test_party_to_a_filing_may_read_it(api: Any) -> None:
    client, tok = api
    doc = import_doc(consignee={"id": OTHER_TRADER})
    mrn = post(client, tok["trader"], doc).json()["mrn"]
    assert client.get(f"/api/v1/declarations/{mrn}", headers=auth(tok["other"])).status_code == 200


def test_trader_cannot_lodge_for_another_declarant(api: Any) -> None:
    client, tok = api
    answer = post(client, tok["other"], import_doc())
    assert answer.status_code == 403 and answer.json()["code"] == "CW-NOT-DECLARANT"


def test_life_cycle_and_notifications(api: Any, ctx: Context) -> None:
    client, tok = api
    mrn = post(client, tok["trader"], import_doc()).json()["mrn"]
    officer = auth(tok["officer"])
    assert client.post(f"/api/v1/declarations/{mrn}/actions/release", json={},
                       headers=auth(tok["trader"])).status_code == 403
    assert client.post(f"/api/v1/declarations/{mrn}/actions/start-control", json={},
                       headers=officer).json()["status"] == "under_control"
    ending = client.post(f"/api/v1/declarations/{mrn}/actions/release", json={},
                         headers=officer)
    assert ending.status_code == 422 and ending.json()["code"] == "CW-OUTCOME-REQUIRED"
    assert client.post(f"/api/v1/declarations/{mrn}/actions/release",
                       json={"outcome": "irregular", "revenue": "120.50"},
                       headers=officer).json()["status"] == "released"
    late = client.post(f"/api/v1/declarations/{mrn}/cancel", json={"reason": "late"},
                       headers=auth(tok["trader"]))
    assert late.status_code == 409 and late.json()["code"] == "CW-STATE"
    page = client.get("/api/v1/notifications", headers=auth(tok["trader"])).json()
    assert [n["kind"] for n in page["items"]] == ["accepted", "risk_assessed", "under_control",
                                                  "released"]
    ack = client.post("/api/v1/notifications/ack", json={"up_to": page["items"][2]["id"]},
                      headers=auth(tok["trader"]))
    assert ack.json() == {"acknowledged": 3}
    rest = client.get("/api/v1/notifications", headers=auth(tok["trader"])).json()["items"]
    assert [n["kind"] for n in rest] == ["released"]
    assert client.get("/api/v1/notifications", headers=auth(tok["other"])).json()["items"] == []


def test_cancel_needs_a_reason(api: Any) -> None:
    client, tok = api
    mrn = post(client, tok["trader"], import_doc()).json()["mrn"]
    headers = auth(tok["trader"])
    assert client.post(f"/api/v1/declarations/{mrn}/cancel", json={"reason": ""},
                       headers=headers).status_code == 422
    done = client.post(f"/api/v1/declarations/{mrn}/cancel", json={"reason": "duplicate"},
                       headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "cancelled"


def test_amendment_is_versioned(api: Any) -> None:
    client, tok = api
    mrn = post(client, tok["trader"], import_doc()).json()["mrn"]
    changed = import_doc(nature_of_transaction="12")
    answer = client.put(f"/api/v1/declarations/{mrn}", content=json.dumps(changed),
                        headers={**auth(tok["trader"]), "Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 2 and answer.json()["nature_of_transaction"] == "12"
    events = client.get(f"/api/v1/declarations/{mrn}/events", headers=auth(tok["trader"])).json()
    assert events[-1]["kind"] == "amended"


@pytest.mark.parametrize(("path", "token", "status"), [
    ("/api/v1/declarations", None, 401),
    ("/api/v1/declarations", "bogus", 401),
    ("/api/v1/notifications", "officer", 403),
    ("/api/v1/users/me", "auditor", 200),
])
def test_authentication_and_roles(api: Any, path: str, token: str | None, status: int) -> None:
    client, tok = api
    headers = auth(tok.get(token, token)) if token else {}
    assert client.get(path, headers=headers).status_code == status


def test_nothing_is_stored_when_any_part_of_the_use_case_fails(
        api: Any, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    client, tok = api
    import clearway.clearance.moves as moves

    def broken(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("notification store unavailable")

    monkeypatch.setattr(moves, "notify", broken)
    audited = count(ctx, AuditRow)   # the start-up's own entries (packaged agencies, matrix)
    answer = post(client, tok["trader"], import_doc())
    assert answer.status_code == 500 and answer.json()["code"] == "CW-INTERNAL"
    assert count(ctx, DeclarationRow) == 0 and count(ctx, EventRow) == 0
    assert count(ctx, AuditRow) == audited
