"""The Arrivals room and its API over HTTP: officers list the open alarms newest first and by
kind, read one with both sides side by side, and close it with a reason (htmx, CSRF); an
auditor reads only; a trader is refused; analysts set the weights, with coded refusals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clearway.app import create_app
from clearway.context import Context
from clearway.prearrival import arrivals_repository
from clearway.prearrival.model import Alarm, AlarmKind
from clearway.prearrival.payload import AnticipatedArrival, ArrivalItem, ArrivalTransport, Totals
from clearway.prearrival.repository import add_alarm
from clearway.storage.orm import AuditRow
from clearway.web.csrf import key_for
from helpers import TRADER, make_token

MRN = "26MK000000000042A1"
ROLES = ("officer", "supervisor", "auditor", "risk_analyst")


@pytest.fixture
def world(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    now = ctx.clock.now()
    announced = AnticipatedArrival(
        mrn=MRN, exit_at=now - timedelta(hours=3), office_of_exit="MK002001",
        office_of_entry="RS004002",
        transport=ArrivalTransport(vehicle="SK123AB", seals=("S1", "S2")),
        goods_items=(ArrivalItem(sequence=1, hs6="620342", description="trousers",
                                 gross_mass=1000),),
        totals=Totals(packages=10, gross_mass=1000))
    with ctx.uow() as uow:
        arrival = arrivals_repository.add(
            uow.session, partner="MK", agreement_id="RS-MK-2026", message_id="m-1",
            conversation_id="c-1", announced=announced, vehicle="SK123AB",
            deadline_at=now + timedelta(hours=20), received_at=now - timedelta(hours=3))
        ids = {
            "mass": add_alarm(uow.session, Alarm(
                kind=AlarmKind.GROSS_MASS, partner="MK", mrn=MRN, arrival_id=arrival.id,
                reason="Gross mass 1400 kg against 1000 kg announced",
                raised_at=now - timedelta(hours=2), declaration_id=7,
                evidence={"announced": 1000, "arrived": 1400, "tolerance_pct": 5})),
            "seals": add_alarm(uow.session, Alarm(
                kind=AlarmKind.SEALS, partner="MK", mrn=MRN, arrival_id=arrival.id,
                reason="The seals on arrival are not the ones announced",
                raised_at=now - timedelta(days=2),
                evidence={"seals": {"announced": ["S1", "S2"], "arrived": ["S9"]}})),
        }
        uow.commit()
    tokens = {role: make_token(ctx, role, role) for role in ROLES}
    tokens["trader"] = make_token(ctx, "trader", "trader", TRADER)
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, {"tokens": tokens, "ids": ids, "ctx": ctx}


def as_(client: TestClient, w: dict[str, Any], who: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set("cw_token", w["tokens"][who])
    client.headers["X-CSRF-Token"] = key_for(
        client.app.state.context.settings.secret_key, w["tokens"][who])  # type: ignore[attr-defined]
    return client


def bearer(w: dict[str, Any], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {w['tokens'][who]}"}


def listed(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-alarm="(\d+)"', html)]


@pytest.mark.parametrize("who", ROLES)
def test_staff_see_open_alarms_newest_first(world: Any, who: str) -> None:
    client, w = world
    answer = as_(client, w, who).get("/console/arrivals")
    assert answer.status_code == 200
    assert listed(answer.text) == [w["ids"]["mass"], w["ids"]["seals"]]
    assert 'href="/console/arrivals"' in answer.text.split("<main")[0]
    assert "2 h" in answer.text and "2 d" in answer.text  # ages
    assert MRN in answer.text and 'href="/console/declarations/7"' in answer.text


def test_filter_by_kind(world: Any) -> None:
    client, w = world
    as_(client, w, "officer")
    assert listed(client.get("/console/arrivals?kind=seals-different").text) == \
        [w["ids"]["seals"]]
    unknown = client.get("/console/arrivals?kind=nonsense")
    assert unknown.status_code == 200 and "No alarm kind" in unknown.text


def test_detail_shows_both_sides_side_by_side(world: Any) -> None:
    client, w = world
    page = as_(client, w, "officer").get(f"/console/arrivals/{w['ids']['mass']}").text
    sides = page.split('id="sides"')[1].split("</table>")[0]
    assert re.search(r'<td class="announced">1000</td><td class="arrived">1400</td>', sides)
    assert "tolerance pct" in page
    announcement = page.split('id="announcement"')[1].split("</table>")[0]
    assert "SK123AB" in announcement and "MK002001" in announcement and "620342" in announcement
    seals = as_(client, w, "officer").get(f"/console/arrivals/{w['ids']['seals']}").text
    assert re.search(r'<td class="announced">S1, S2</td><td class="arrived">S9</td>', seals)
    assert 'id="close-form"' in page


def test_close_needs_a_reason_then_closes(world: Any) -> None:
    client, w = world
    key = w["ids"]["mass"]
    as_(client, w, "officer")
    blank = client.post(f"/console/arrivals/{key}/close", data={"reason": "  "},
                        headers={"HX-Request": "true"})
    assert blank.status_code == 200 and "CW-REASON-REQUIRED" in blank.text
    done = client.post(f"/console/arrivals/{key}/close",
                       data={"reason": "weighbridge error at exit, confirmed by MK"},
                       headers={"HX-Request": "true"})
    assert done.headers.get("HX-Redirect") == f"/console/arrivals/{key}"
    page = client.get(f"/console/arrivals/{key}").text
    assert 'id="alarm-status">closed' in page and "weighbridge error" in page
    assert 'id="close-form"' not in page
    assert listed(client.get("/console/arrivals").text) == [w["ids"]["seals"]]
    assert key in listed(client.get("/console/arrivals?status=closed").text)
    again = client.post(f"/console/arrivals/{key}/close", data={"reason": "twice"})
    assert again.status_code == 409 and "CW-PRE-ALARM-CLOSED" in again.text
    with w["ctx"].uow() as uow:
        entry = uow.session.scalars(select(AuditRow).where(
            AuditRow.action == "arrival_alarm.closed")).one()
    assert entry.actor == "officer:officer" and entry.object_id == str(key)


def test_a_form_without_its_key_is_refused(world: Any) -> None:
    client, w = world
    as_(client, w, "officer")
    del client.headers["X-CSRF-Token"]
    answer = client.post(f"/console/arrivals/{w['ids']['mass']}/close", data={"reason": "x"})
    assert answer.status_code == 403


def test_auditor_reads_but_does_not_close(world: Any) -> None:
    client, w = world
    as_(client, w, "auditor")
    page = client.get(f"/console/arrivals/{w['ids']['mass']}").text
    assert 'id="sides"' in page and 'id="close-form"' not in page
    assert client.post(f"/console/arrivals/{w['ids']['mass']}/close",
                       data={"reason": "x"}).status_code == 403


def test_trader_and_strangers_are_kept_out(world: Any) -> None:
    client, w = world
    as_(client, w, "trader")
    assert client.get("/console/arrivals").status_code == 403
    assert client.get(f"/console/arrivals/{w['ids']['mass']}").status_code == 403
    assert 'href="/console/arrivals"' not in client.get("/console").text
    assert client.get("/api/v1/arrivals/alarms", headers=bearer(w, "trader")).status_code == 403
    client.cookies.clear()
    assert client.get("/console/arrivals").status_code == 303
    assert client.get("/console/arrivals/99999").status_code == 303


def test_missing_alarm_is_a_404_page(world: Any) -> None:
    client, w = world
    as_(client, w, "officer")
    assert client.get("/console/arrivals/99999").status_code == 404
    assert client.get("/console/arrivals/abc").status_code == 404


def test_the_api_lists_reads_and_closes(world: Any) -> None:
    client, w = world
    client.cookies.clear()
    officer = bearer(w, "officer")
    found = client.get("/api/v1/arrivals/alarms?status=open", headers=officer).json()
    assert [a["id"] for a in found] == [w["ids"]["mass"], w["ids"]["seals"]]
    one = client.get(f"/api/v1/arrivals/alarms/{w['ids']['seals']}", headers=officer).json()
    assert one["sides"] == [{"label": "seals", "announced": "S1, S2", "arrived": "S9"}]
    assert one["announcement"]["mrn"] == MRN
    url = f"/api/v1/arrivals/alarms/{w['ids']['seals']}/close"
    blank = client.post(url, json={"reason": ""}, headers=officer)
    assert (blank.status_code, blank.json()["code"]) == (422, "CW-REASON-REQUIRED")
    closed = client.post(url, json={"reason": "seal swap documented"}, headers=officer)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.post(url, json={"reason": "again"}, headers=officer).json()["code"] == \
        "CW-PRE-ALARM-CLOSED"
    assert client.post(url, json={"reason": "x"},
                       headers=bearer(w, "auditor")).status_code == 403
    assert client.get("/api/v1/arrivals/alarms/424242", headers=officer).status_code == 404


@pytest.mark.parametrize(("who", "kind", "body", "status", "code"), [
    ("risk_analyst", "value-difference", {"weight": 0.7}, 200, None),
    ("risk_analyst", "value-difference", {"weight": 0.2, "hard": True, "min_channel": "red"},
     200, None),
    ("risk_analyst", "no-such-kind", {"weight": 0.5}, 404, "CW-PRE-ALARM-KIND"),
    ("risk_analyst", "value-difference", {"weight": 2}, 422, "CW-PRE-ALARM-WEIGHT"),
    ("risk_analyst", "value-difference", {"weight": 0.5, "hard": True}, 422,
     "CW-PRE-ALARM-WEIGHT"),
    ("risk_analyst", "value-difference", {"weight": 0.5, "min_channel": "red"}, 422,
     "CW-PRE-ALARM-WEIGHT"),
    ("risk_analyst", "value-difference", {"weight": "heavy"}, 422, "CW-REQUEST-INVALID"),
    ("officer", "value-difference", {"weight": 0.5}, 403, "CW-FORBIDDEN"),
    ("auditor", "value-difference", {"weight": 0.5}, 403, "CW-FORBIDDEN"),
])
def test_analysts_set_weights(world: Any, who: str, kind: str, body: dict[str, Any],
                              status: int, code: str | None) -> None:
    client, w = world
    client.cookies.clear()
    answer = client.put(f"/api/v1/arrivals/alarm-weights/{kind}", json=body,
                        headers=bearer(w, who))
    assert answer.status_code == status, answer.text
    if code is not None:
        assert answer.json()["code"] == code
        return
    stored = client.get(f"/api/v1/arrivals/alarm-weights/{kind}",
                        headers=bearer(w, "officer")).json()
    assert stored["weight"] == body["weight"] and not stored["default"]
    assert stored["updated_by"] == "risk_analyst:risk_analyst"
    every = client.get("/api/v1/arrivals/alarm-weights", headers=bearer(w, "auditor")).json()
    assert {x["kind"] for x in every} == {str(k) for k in AlarmKind}
    defaults = {x["kind"]: x for x in every if x["default"]}
    assert defaults["no-exit-record"]["min_channel"] == "yellow"
