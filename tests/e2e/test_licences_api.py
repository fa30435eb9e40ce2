"""The licence register over HTTP: an agency registers, a trader's declaration draws the
licence down and the trader reads its balance; the dual-use "FAKE-0000" export is refused;
the console page shows each reader its own licences with what is left."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.risk.engine.decision import Channel
from controls_world import force
from helpers import OTHER_TRADER, TRADER, make_token
from licences_world import LISTED_END_USER, declaring, licence_data


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, str]]]:
    prepare(ctx)
    force(ctx, Channel.GREEN, None)
    tokens = {"agency": make_token(ctx, "a-dul", "agency_officer", "DUL"),
              "vet": make_token(ctx, "a-vet", "agency_officer", "VET"),
              "trader": make_token(ctx, "t-1", "trader", TRADER),
              "other": make_token(ctx, "t-2", "trader", OTHER_TRADER),
              "officer": make_token(ctx, "o-1", "officer")}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, tokens


def test_register_draw_down_and_read_the_balance(api: Any) -> None:
    client, tokens = api
    made = client.post("/api/v1/licences", headers=bearer(tokens["agency"]),
                       json=licence_data())
    assert made.status_code == 201, made.text
    assert made.json()["agency"] == "DUL"
    key = made.json()["id"]
    lodged = client.post("/api/v1/declarations", headers=bearer(tokens["trader"]),
                         json=declaring())
    assert lodged.status_code == 201, lodged.text
    mine = client.get(f"/api/v1/licences/{key}", headers=bearer(tokens["trader"])).json()
    assert mine["lines"][0]["remaining_quantity"] == "300"
    assert [(w["mrn"], w["item"], w["quantity"]) for w in mine["write_offs"]] == [
        (lodged.json()["mrn"], 1, "100")]
    assert client.get(f"/api/v1/licences/{key}", headers=bearer(tokens["other"])
                      ).status_code == 404
    assert client.get("/api/v1/licences", headers=bearer(tokens["other"])).json() == []
    assert client.post(f"/api/v1/licences/{key}/suspend", headers=bearer(tokens["vet"]),
                       json={"reason": "not ours"}).status_code == 404
    suspended = client.post(f"/api/v1/licences/{key}/suspend", headers=bearer(tokens["agency"]),
                            json={"reason": "checking the holder"})
    assert suspended.json()["status"] == "suspended"
    refused = client.post("/api/v1/declarations", headers=bearer(tokens["trader"]),
                          json=declaring(lrn="LIC-2"))
    assert refused.status_code == 422
    assert [e["code"] for e in refused.json()["errors"]] == ["CW-LIC-SUSPENDED"]


def test_dual_use_export_with_fake_licence_is_refused(api: Any) -> None:
    client, tokens = api
    doc = declaring("X002", "FAKE-0000", lrn="DU-HTTP", commodity_code="840140",
                    description="Parts of nuclear reactors", origin_country="RS")
    doc.update(declaration_type="EX", exporter={"id": TRADER}, importer=None,
               consignee=LISTED_END_USER, destination_country="IR", dispatch_country="RS")
    answer = client.post("/api/v1/declarations", headers=bearer(tokens["trader"]), json=doc)
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["errors"]
    assert (error["code"], error["pointer"], error["element"]) == (
        "CW-LIC-UNKNOWN", "/items/0/documents/0", "DE 2/3")


@pytest.mark.parametrize(("who", "shown"), [("officer", True), ("agency", True),
                                            ("vet", False), ("trader", True),
                                            ("other", False)])
def test_console_page_shows_each_reader_its_own(api: Any, who: str, shown: bool) -> None:
    client, tokens = api
    assert client.post("/api/v1/licences", headers=bearer(tokens["agency"]),
                       json=licence_data()).status_code == 201
    assert client.post("/api/v1/declarations", headers=bearer(tokens["trader"]),
                       json=declaring()).status_code == 201
    page = client.get("/console/licences", headers={"Cookie": f"cw_token={tokens[who]}"})
    assert page.status_code == 200, page.text
    assert ('data-licence="L001 IMP-1"' in page.text) is shown
    if shown:
        assert "300.0 of 400.0 kg" in page.text and "<meter" in page.text
