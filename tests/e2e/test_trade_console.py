"""The console rooms of partnerships with trade and of whistleblowing through the
TestClient: the anonymous form needs no sign-in and shows the receipt code once; the code
opens the thread; the integrity auditor alone reads and answers; the MoU register and the
consultations (overdue actions flagged) are the supervisors', administrators', analysts'
and auditors'."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.identity import Role, User
from clearway.partnerships import service as partnerships
from clearway.partnerships.model import Member, Mou
from clearway.web.csrf import key_for
from helpers import TRADER, make_token

ROLES = ("auditor", "administrator", "supervisor", "officer", "risk_analyst", "trader")
SUPERVISOR = User(id=1, name="sup", role=Role.SUPERVISOR, trader_id=None)
TEXT = "Goods leave the yard before the control, every Friday."


@pytest.fixture
def world(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    prepare(ctx)
    tokens = {role: make_token(ctx, f"c-{role}", role, TRADER if role == "trader" else None)
              for role in ROLES}
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, tokens


def as_(client: TestClient, tokens: dict[str, str], who: str) -> None:
    client.cookies.clear()
    client.cookies.set("cw_token", tokens[who])
    client.headers["X-CSRF-Token"] = key_for(
        client.app.state.context.settings.secret_key, tokens[who])  # type: ignore[attr-defined]


def anonymous(client: TestClient) -> str:
    """A visitor without a session: the form's key from the page (bound to its pre-session
    cookie)."""
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    page = client.get("/console/report")
    assert page.status_code == 200 and 'id="wb-promise"' in page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_the_public_form_and_the_follow_up(world: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = world
    key = anonymous(client)
    sent = client.post("/console/report", data={"csrf_token": key, "topic": "fraud",
                                                "text": TEXT})
    assert sent.status_code == 201, sent.text
    code = re.search(r'id="wb-receipt">([A-Z2-7-]+)<', sent.text)
    assert code is not None
    receipt = code.group(1)
    opened = client.post("/console/report/follow-up", data={"csrf_token": key,
                                                            "receipt": receipt})
    assert opened.status_code == 200 and TEXT in opened.text and "received" in opened.text
    wrong = client.post("/console/report/follow-up", data={"csrf_token": key,
                                                           "receipt": "NOPE"})
    assert wrong.status_code == 404 and "CW-WHISTLE-RECEIPT" in wrong.text
    empty = client.post("/console/report", data={"csrf_token": key, "topic": "fraud",
                                                  "text": " "})
    assert empty.status_code == 422 and "CW-WHISTLE-INVALID" in empty.text
    # The auditor reads and asks; the reporter reads the question and answers.
    as_(client, tokens, "auditor")
    room = client.get("/console/whistleblowing")
    assert room.status_code == 200 and "to answer" in room.text
    ref = re.search(r'data-case="(IC-\d{4}-\d{4})"', room.text)
    assert ref is not None
    case = client.get(f"/console/whistleblowing/{ref.group(1)}")
    assert case.status_code == 200 and TEXT in case.text
    asked = client.post(f"/console/whistleblowing/{ref.group(1)}/answer",
                        data={"text": "Which yard?"})
    assert asked.status_code == 303
    key = anonymous(client)
    thread = client.post("/console/report/follow-up", data={"csrf_token": key,
                                                            "receipt": receipt})
    assert "Which yard?" in thread.text
    wrote = client.post("/console/report/follow-up/message",
                        data={"csrf_token": key, "receipt": receipt, "text": "Yard B"})
    assert wrote.status_code == 200 and "Yard B" in wrote.text


@pytest.mark.parametrize(("who", "status"), [
    ("auditor", 200), ("administrator", 403), ("supervisor", 403), ("officer", 403),
    ("trader", 403)])
def test_only_the_auditor_enters_the_whistleblowing_room(
        world: tuple[TestClient, dict[str, str]], who: str, status: int) -> None:
    client, tokens = world
    as_(client, tokens, who)
    assert client.get("/console/whistleblowing").status_code == status
    nav = client.get("/console/report" if who == "trader" else "/console/kpis")
    assert ('href="/console/whistleblowing"' in nav.text) is (who == "auditor")


@pytest.mark.parametrize(("who", "status", "forms"), [
    ("supervisor", 200, True), ("administrator", 200, True), ("risk_analyst", 200, False),
    ("auditor", 200, False), ("officer", 403, False), ("trader", 403, False)])
def test_the_partnerships_room(world: tuple[TestClient, dict[str, str]], ctx: Context,
                               who: str, status: int, forms: bool) -> None:
    client, tokens = world
    today = ctx.clock.now().date()
    partnerships.add_mou(ctx, Mou(
        code="MOU-AIR", title="Air carriers' advance data", kind="carrier",
        parties=("Customs", "Air Serbia"), scope="ENS data", obligations=(),
        facilitations=("Priority release",), contacts=(), valid_from=today,
        valid_to=None), user=SUPERVISOR)
    partnerships.add_member(ctx, "MOU-AIR", Member(TRADER, today), user=SUPERVISOR)
    c = partnerships.record_consultation(ctx, held_on=today, title="ICS2 readiness",
                                         participants=["Air Serbia"], topics=["ICS2"],
                                         outcomes="Tests in March", mou_code="MOU-AIR",
                                         user=SUPERVISOR)
    partnerships.add_action(ctx, c.reference, description="Share the test plan",
                            owner="supervisor:sup", due_on=today - timedelta(days=2),
                            user=SUPERVISOR)
    as_(client, tokens, who)
    page = client.get("/console/partnerships")
    assert page.status_code == status
    if status != 200:
        return
    assert 'data-mou="MOU-AIR"' in page.text and 'data-overdue="yes"' in page.text
    assert ("/console/partnerships/actions/1/done" in page.text) is forms
    if forms:
        done = client.post("/console/partnerships/actions/1/done",
                           data={"note": "sent", "consultation": c.reference})
        assert done.status_code == 303
        assert 'data-overdue="yes"' not in client.get("/console/partnerships").text
        bad = client.post(f"/console/partnerships/consultations/{c.reference}/actions",
                          data={"description": "x", "owner": "y", "due_on": "soon"})
        assert bad.status_code == 422 and "CW-REQUEST-INVALID" in bad.text
