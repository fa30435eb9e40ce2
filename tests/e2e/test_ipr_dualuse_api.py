"""IPR applications and the dual-use list over HTTP: staff read, analysts manage, all coded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.audit import repository as audit_repo
from clearway.bootstrap import prepare
from clearway.context import Context
from helpers import TRADER, make_token

IPR = "/api/v1/ipr-applications"
DUAL = "/api/v1/dual-use"
HEADER = "control_number,description,codes,valid_from,valid_to\n"


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    prepare(ctx)
    tokens = {"analyst": make_token(ctx, "ana", "risk_analyst"),
              "officer": make_token(ctx, "off", "officer"),
              "trader": make_token(ctx, "tra", "trader", TRADER)}
    headers = {k: {"Authorization": f"Bearer {t}"} for k, t in tokens.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, headers


def body(**changes: Any) -> dict[str, Any]:
    return {"reference": "AFA-RS-1", "right_holder": "Velotrax Sports GmbH",
            "contact": "ipr@velotrax.example", "goods_description": "Running shoes",
            "brands": ["Velotrax"], "keywords": ["triple arrow"], "hs_codes": ["6403 99"],
            "valid_from": "2026-01-15", "valid_to": "2027-01-14", **changes}


def test_application_life_cycle(api: Any, ctx: Context) -> None:
    client, h = api
    created = client.post(IPR, json=body(), headers=h["analyst"])
    assert created.status_code == 201, created.text
    assert created.json()["hs_codes"] == ["640399"] and created.json()["status"] == "active"
    listed = client.get(IPR, params={"on": "2026-11-20"}, headers=h["officer"]).json()
    assert [a["reference"] for a in listed] == ["AFA-RS-1"]
    assert client.get(IPR, params={"on": "2027-01-15"}, headers=h["officer"]).json() == []
    renewal = {k: v for k, v in body(valid_from="2027-01-15", valid_to="2028-01-14").items()
               if k != "reference"}
    renewed = client.put(f"{IPR}/AFA-RS-1", json=renewal, headers=h["analyst"])
    assert renewed.status_code == 200 and renewed.json()["valid_to"] == "2028-01-14"
    withdrawn = client.post(f"{IPR}/AFA-RS-1/withdraw", json={"reason": "on request"},
                            headers=h["analyst"])
    assert withdrawn.json()["status"] == "withdrawn"
    again = client.post(f"{IPR}/AFA-RS-1/withdraw", json={}, headers=h["analyst"])
    assert (again.status_code, again.json()["code"]) == (409, "CW-IPR-WITHDRAWN")
    one = client.get(f"{IPR}/AFA-RS-1", headers=h["officer"]).json()
    assert one["status"] == "withdrawn" and one["created_at"] <= one["updated_at"]
    with ctx.uow(read_only=True) as uow:
        trail = [(e.actor, e.action) for e in audit_repo.iter_entries(uow.session)
                 if e.object_type == "ipr_application"]
    assert trail == [("risk_analyst:ana", "ipr_application.created"),
                     ("risk_analyst:ana", "ipr_application.updated"),
                     ("risk_analyst:ana", "ipr_application.withdrawn")]


@pytest.mark.parametrize(("method", "path", "payload", "status", "codes"), [
    ("post", IPR, body(valid_to="2027-01-15"), 422, ["CW-DOC-INVALID", "CW-IPR-VALIDITY"]),
    ("post", IPR, body(brands=[], keywords=[]), 422, ["CW-DOC-INVALID", "CW-IPR-TERMS"]),
    ("post", IPR, body(hs_codes=["64x3"]), 422, ["CW-DOC-INVALID", "CW-IPR-CODE"]),
    ("post", IPR, body(reference="a/b"), 422, ["CW-REQUEST-INVALID", "CW-REQUEST-INVALID"]),
    ("post", IPR, body(status="withdrawn"), 422, ["CW-REQUEST-INVALID", "CW-REQUEST-INVALID"]),
    ("post", IPR, body(), 409, ["CW-IPR-EXISTS"]),
    ("put", f"{IPR}/NOPE", {k: v for k, v in body().items() if k != "reference"}, 404,
     ["CW-NOT-FOUND"]),
    ("post", f"{IPR}/NOPE/withdraw", {}, 404, ["CW-NOT-FOUND"]),
    ("get", f"{IPR}/NOPE", None, 404, ["CW-NOT-FOUND"]),
    ("get", f"{IPR}?on=someday", None, 422, ["CW-REQUEST-INVALID", "CW-REQUEST-INVALID"]),
])
def test_refusals_are_coded(api: Any, method: str, path: str, payload: Any, status: int,
                            codes: list[str]) -> None:
    client, h = api
    assert client.post(IPR, json=body(), headers=h["analyst"]).status_code == 201
    answer = client.request(method.upper(), path, json=payload, headers=h["analyst"])
    found = answer.json()
    assert answer.status_code == status, answer.text
    assert [found["code"], *(e["code"] for e in found["errors"])] == codes


@pytest.mark.parametrize(("role", "method", "path", "allowed"), [
    ("officer", "GET", IPR, True), ("trader", "GET", IPR, False),
    ("officer", "POST", IPR, False), ("officer", "GET", DUAL, True),
    ("trader", "GET", DUAL, False), ("officer", "POST", DUAL, False),
])
def test_who_may(api: Any, role: str, method: str, path: str, allowed: bool) -> None:
    client, h = api
    answer = client.request(method, path, json=body(), headers=h[role])
    assert (answer.status_code != 403) is allowed


def test_dual_use_list_and_load(api: Any, ctx: Context) -> None:
    client, h = api
    packaged = client.get(DUAL, headers=h["officer"]).json()
    assert packaged["total"] >= 12
    chips = client.get(DUAL, params={"code": "85423190"}, headers=h["officer"]).json()
    assert [e["control_number"] for e in chips["entries"]] == ["3A001"]
    loaded = client.post(DUAL, content=HEADER + "9A012,UAVs,8806|880621,2026-01-01,\n",
                         headers={**h["analyst"], "Content-Type": "text/csv"})
    assert loaded.status_code == 200, loaded.text
    assert (loaded.json()["entries"], loaded.json()["replaced"]) == (1, packaged["total"])
    assert client.get(DUAL, headers=h["officer"]).json()["entries"] == [
        {"control_number": "9A012", "description": "UAVs", "codes": ["8806", "880621"],
         "valid_from": "2026-01-01", "valid_to": None}]


@pytest.mark.parametrize(("content", "codes"), [
    (HEADER + "3A01,x,8542,,\n", ["CW-DOC-INVALID", "CW-DU-CONTROL-NUMBER"]),
    (HEADER + "3A001,x,8542,,\n3A001,y,8541,,\n", ["CW-DOC-INVALID", "CW-DU-DUPLICATE"]),
    (b"\xff\xfe", ["CW-DOC-INVALID", "CW-DU-FILE"]),
    ("{}", ["CW-DOC-INVALID", "CW-DU-FILE"]),
])
def test_bad_lists_change_nothing(api: Any, content: Any, codes: list[str]) -> None:
    client, h = api
    before = client.get(DUAL, headers=h["officer"]).json()
    answer = client.post(DUAL, content=content, headers={**h["analyst"],
                                                          "Content-Type": "text/csv"})
    assert answer.status_code == 422
    assert [answer.json()["code"], *(e["code"] for e in answer.json()["errors"])] == codes
    assert client.get(DUAL, headers=h["officer"]).json() == before
