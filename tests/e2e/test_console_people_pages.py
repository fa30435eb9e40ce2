"""The officer's and supervisor's pages through the TestClient: a task list paged with its
total and filtered by status, waiting times, the goods on a task page; people shown by name;
pickers offering only the eligible; the supervisor's offices and the approvals history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clearance import overrides as four_eyes
from clearway.context import Context
from clearway.controls import repository as repo
from clearway.controls import service as controls
from clearway.overrides.model import Kind
from clearway.risk.engine.decision import Channel
from clearway.storage.orm_controls import ControlTaskRow
from clearway.users import service as users
from clearway.web.csrf import key_for
from controls_world import ELSEWHERE, OFFICE, World, force, lodge, office, staff
from helpers import make_token

Site = tuple[TestClient, World, dict[str, str]]


def sign(client: TestClient, token: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set("cw_token", token)
    client.headers["X-CSRF-Token"] = key_for(
        client.app.state.context.settings.secret_key, token)  # type: ignore[attr-defined]
    return client


@pytest.fixture
def site(ctx: Context, db_url: str) -> Iterator[Site]:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    prepare(ctx)
    force(ctx, Channel.RED)  # needs the valuation qualification: only "qual" may take it
    made = office(ctx)
    tokens = {"qual": make_token(ctx, "qual-login", "officer"),
              "sup": make_token(ctx, "boss", "supervisor"),
              "auditor": make_token(ctx, "audrey", "auditor")}
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, made, tokens


def own_tasks(ctx: Context, declaration_id: int, officer_id: int, statuses: list[str]
              ) -> None:
    """Tasks straight into storage, the n-th opened 30 + n minutes ago."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        for n, status in enumerate(statuses):
            repo.add_task(uow.session, declaration_id=declaration_id, reference=f"R{n:04}",
                          office=OFFICE, channel="yellow", kind="documentary", status=status,
                          qualifications=[], reasons=[], instructions=[],
                          random_selected=False, origin="decision", officer_id=officer_id,
                          created_at=now - timedelta(minutes=30 + n), assigned_at=now,
                          started_at=None, completed_at=None)
        uow.commit()


def rows_of(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-task="(\d+)" data-status="(\w+)">', html)


@pytest.mark.parametrize(("query", "shown", "statuses", "prev", "next"), [
    ("", "1\u201350 of 70", {"assigned", "in_progress"}, None, "status=open&amp;page=2"),
    ("?page=2", "51\u201370 of 70", {"assigned", "in_progress"}, "status=open&amp;page=1",
     None),
    ("?status=all&page=2", "51\u2013100 of 144", {"assigned", "in_progress", "done"},
     "status=all&amp;page=1", "status=all&amp;page=3"),
    ("?status=done", "1\u201350 of 74", {"done"}, None, "status=done&amp;page=2"),
    ("?status=bogus&page=x", "1\u201350 of 70", {"assigned", "in_progress"}, None,
     "status=open&amp;page=2"),
])
def test_the_task_list_is_paged_with_its_total(site: Site, ctx: Context, query: str,
                                               shown: str, statuses: set[str],
                                               prev: str | None, next: str | None) -> None:
    client, made, tokens = site
    officer_id = ctx_user_id(ctx, "qual-login")
    made_ = ["assigned", "in_progress", "done"] * 35 + ["done"] * 39  # 70 open, 74 done
    own_tasks(ctx, lodge(ctx, made, "LIST-1").id, officer_id, made_)
    page = sign(client, tokens["qual"]).get(f"/console/tasks{query}")
    assert page.status_code == 200
    count = re.search(r"id=\"result-count\">([^<]*)", page.text)
    assert count is not None and count.group(1) == f"{shown} tasks"
    rows = rows_of(page.text)
    first, last = (int(n) for n in shown.split(" of ")[0].split("\u2013"))
    assert {s for _, s in rows} == statuses and len(rows) == last - first + 1
    for link, rel in ((prev, "prev"), (next, "next")):
        found = re.search(rf'<a href="/console/tasks\?([^"]+)" rel="{rel}">', page.text)
        assert (found.group(1) if found else None) == link


def ctx_user_id(ctx: Context, name: str) -> int:
    found = users.user_id(ctx, name)
    assert users.names(ctx, [found]) == {found: name}
    return found


def test_task_page_names_the_officer_and_lists_the_goods(site: Site, ctx: Context) -> None:
    client, made, tokens = site
    lodge(ctx, made, "GOODS-1")
    with ctx.uow(read_only=True) as uow:
        task = uow.session.query(ControlTaskRow).one()
    page = sign(client, tokens["sup"]).get(f"/console/tasks/{task.id}")
    assert page.status_code == 200, page.text
    assert re.search(r'id="task-officer">qual<', page.text)
    assert "to qual by system" in page.text and "Officer 2" not in page.text
    goods = re.search(r'<table class="list" id="task-goods">.*?</table>', page.text, re.S)
    assert goods is not None
    items = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in
             re.findall(r"<tr data-item=.*?</tr>", goods.group(0))]
    assert items == [
        ["1", "<code>851010</code>", "Electric shavers", "CN", "20 CT", "120", "1000.00 USD"],
        ["2", "<code>610910</code>", "Cotton T-shirts", "BD", "10 CT", "55", "500.00 USD"]]


def test_pickers_offer_only_eligible_people_by_name(site: Site, ctx: Context) -> None:
    client, made, tokens = site
    lodge(ctx, made, "PICK-1")  # assigned to "qual", the only qualified officer on duty
    force(ctx, Channel.RED, None)
    lodge(ctx, made, "PICK-2")  # needs nothing: "qual" or "unq"
    with ctx.uow(read_only=True) as uow:
        needing, free = uow.session.query(ControlTaskRow).order_by(ControlTaskRow.id).all()
    page = sign(client, tokens["sup"]).get(f"/console/office?office={OFFICE}")
    assert page.status_code == 200
    forms = dict(re.findall(r'data-task="(\d+)">(.*?)</form>', page.text, re.S))
    assert "Nobody else eligible is on duty now" in forms[str(needing.id)]
    offered = re.findall(r'<option value="(\d+)">(\w+)</option>', forms[str(free.id)])
    other = made.unqualified if free.officer_id == made.qualified.id else made.qualified
    assert offered == [(str(other.id), other.name)]
    shift_form = re.search(r'id="s-officer".*?</select>', page.text, re.S)
    assert shift_form is not None
    names = re.findall(r'<option value="\d+">([\w-]+)', shift_form.group(0))
    assert set(names) == {"sup", "qual", "unq", "far", "off", "qual-login", "boss"}
    assert "user number" not in page.text
    roster = re.search(r'<table class="list" id="shifts">.*?</table>', page.text, re.S)
    assert roster is not None and {"qual", "unq", "off"} <= set(
        re.findall(r'<tr data-officer="\d+"><td>(\w+)</td>', roster.group(0)))
    moved = client.post(f"/console/tasks/{free.id}/reassign",
                        data={"office": OFFICE, "officer_id": str(other.id),
                              "reason": "picked from the list"})
    assert moved.status_code == 303


def test_the_office_page_opens_on_the_supervisors_office(site: Site, ctx: Context) -> None:
    client, made, tokens = site
    boss = ctx_user_id(ctx, "boss")
    # no shift of their own: every office with a roster or a budget, the first opened
    page = sign(client, tokens["sup"]).get("/console/office")
    assert re.findall(r'<option value="(\w+)"( selected)?>', page.text)[:2] == [
        (OFFICE, " selected"), (ELSEWHERE, "")]
    assert f"Tasks at {OFFICE}" in page.text
    controls.add_shift(ctx, boss, ELSEWHERE, ctx.clock.now(),
                       ctx.clock.now() + timedelta(hours=4), made.supervisor)
    page = client.get("/console/office")
    assert re.findall(r'<select id="o-office" name="office">(.*?)</select>', page.text) == [
        f'<option value="{ELSEWHERE}" selected>{ELSEWHERE}</option>']
    assert f"Tasks at {ELSEWHERE}" in page.text


def test_integrity_case_picker_and_names(site: Site, ctx: Context) -> None:
    client, made, tokens = site
    sign(client, tokens["auditor"])
    page = client.get("/console/integrity")
    picker = re.search(r'id="c-officer".*?</select>', page.text, re.S)
    assert picker is not None
    offered = re.findall(r'<option value="\d+">([\w-]+) \(', picker.group(0))
    assert "trader" not in offered and {"qual", "sup", "audrey"} <= set(offered)
    opened = client.post("/console/integrity/cases", data={
        "allegation": "collusion", "source": "indicator", "officer_id": str(made.unqualified.id),
        "office": OFFICE, "description": "Gifts from a broker"})
    assert opened.status_code == 303
    row = re.search(r'<tr data-case="IC-[^"]+">(.*?)</tr>', client.get("/console/integrity").text)
    assert row is not None and "<td>unq</td>" in row.group(1)


def test_approvals_history_names_who_asked_and_who_decided(site: Site, ctx: Context) -> None:
    client, made, tokens = site
    second = staff(ctx, "sup2", "supervisor")
    for n, decider in enumerate((made.supervisor, second)):
        row = lodge(ctx, made, f"AH-{n}")
        asked = four_eyes.request(ctx, row.mrn or "", Kind.WAIVER, None,
                                  "Checked at the border post, all fine", made.qualified)
        ctx.clock.advance(minutes=3)  # type: ignore[attr-defined]
        four_eyes.approve(ctx, asked.id, "agreed", decider)
    page = sign(client, tokens["sup"]).get("/console/approvals")
    rows = re.findall(r'<tr data-override="(\d+)" data-outcome="(\w+)">(.*?)</tr>', page.text,
                      re.S)
    assert [(o, "sup2" in r, "<td>qual</td>" in r) for _, o, r in rows] == [
        ("approved", True, True), ("approved", False, True)]
    assert int(rows[0][0]) > int(rows[1][0]) and "1\u20132 of 2" in page.text
