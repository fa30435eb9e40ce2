"""The ENS/EXS page of the console: the carrier sees what it was told and answers its request
for information; a security risk officer clears a do-not-load with a reason; a supervisor is
offered no clearance; the declarations citing the ENS are linked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.clearance import lodging
from clearway.context import Context
from clearway.web.csrf import key_for
from helpers import TRADER, import_doc, make_token
from summary_helpers import CARRIER, lodge, summary, with_summary_rules

NAMELESS = {"id": "CN3206825541173", "address": {"country": "CN"}}
VAGUE = [{"sequence": 1, "hs6": "870830", "gross_mass": "500", "description": "spare parts"}]
REASON = "Screened at Piraeus by the port authority, nothing found"


@pytest.fixture
def world(ctx: Context, db_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Any]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    with_summary_rules(ctx, tmp_path)
    tokens = {"carrier": make_token(ctx, "carrier-u", "trader", TRADER),
              "security": make_token(ctx, "sec-u", "security_officer"),
              "supervisor": make_token(ctx, "sup-u", "supervisor")}
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, {"tokens": tokens, "ctx": ctx}


def as_(client: TestClient, w: dict[str, Any], who: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set("cw_token", w["tokens"][who])
    client.headers["X-CSRF-Token"] = key_for(
        client.app.state.context.settings.secret_key, w["tokens"][who])  # type: ignore[attr-defined]
    return client


def test_the_carrier_answers_its_rfi_on_the_page(world: Any) -> None:
    client, w = world
    row = lodge(w["ctx"], summary(items=VAGUE))
    page = as_(client, w, "carrier").get(f"/console/summaries/{row.mrn}")
    assert page.status_code == 200
    assert "request for information" in page.text and "precise description" in page.text
    assert 'id="rfi-form"' in page.text and 'id="clear-form"' not in page.text
    sent = client.post(f"/console/summaries/{row.mrn}/rfi",
                       data={"answer": "Brake pads, ceramic, 40 cartons"})
    assert sent.status_code == 303
    after = client.get(f"/console/summaries/{row.mrn}").text
    assert "Brake pads, ceramic, 40 cartons" in after and 'id="rfi-form"' not in after
    again = client.post(f"/console/summaries/{row.mrn}/rfi", data={"answer": "once more"})
    assert again.status_code == 409 and "CW-RFI-NOT-OPEN" in again.text


def test_the_security_officer_clears_a_do_not_load_on_the_page(world: Any) -> None:
    client, w = world
    row = lodge(w["ctx"], summary(route_countries=["SY"], items=VAGUE, consignor=NAMELESS))
    offered = as_(client, w, "supervisor").get(f"/console/summaries/{row.mrn}").text
    assert "do not load" in offered and 'id="clear-form"' not in offered
    page = as_(client, w, "security").get(f"/console/summaries/{row.mrn}").text
    assert 'id="clear-form"' in page and 'value="high_risk_screening"' in page
    short = client.post(f"/console/summaries/{row.mrn}/security-clearance",
                        data={"outcome": "no_risk", "reason": "ok"})
    assert short.status_code == 422 and "CW-SECURITY-REASON" in short.text
    done = client.post(f"/console/summaries/{row.mrn}/security-clearance",
                       data={"outcome": "no_risk", "reason": REASON})
    assert done.status_code == 303
    staff = client.get(f"/console/summaries/{row.mrn}").text
    assert REASON in staff and "sec-u" in staff and "no risk identified" in staff
    carrier = as_(client, w, "carrier").get(f"/console/summaries/{row.mrn}").text
    assert REASON not in carrier and "sec-u" not in carrier and "may be loaded" in carrier


def test_the_page_links_the_declarations_of_its_goods(world: Any) -> None:
    client, w = world
    row = lodge(w["ctx"], summary())
    doc = import_doc(lrn="IM-LINK", previous_documents=[
        {"category": "Y", "type": "355", "reference": row.mrn}])
    out = lodging.submit(w["ctx"], json.dumps(doc).encode(), "application/json", CARRIER)
    page = as_(client, w, "supervisor").get(f"/console/summaries/{row.mrn}").text
    assert f'href="/console/declarations/{out.row.mrn}"' in page
    detail = client.get(f"/console/declarations/{row.mrn}").text
    assert f'href="/console/summaries/{row.mrn}"' in detail
