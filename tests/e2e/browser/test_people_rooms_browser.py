"""The officer's and supervisor's rooms in Chromium at 1280x800: the task list paged with its
total, filtered by status, with waiting times, and a task's goods items (item 8); people by
name and pickers of eligible people (item 9); the office page opening on the supervisor's
office and the approvals history (item 10). Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from clearway.clearance import overrides as four_eyes
from clearway.controls import repository as repo
from clearway.controls import service as controls
from clearway.identity import User
from clearway.overrides.model import Kind
from clearway.risk.engine.decision import Channel
from clearway.storage.orm_controls import ControlTaskRow
from clearway.users.service import authenticate
from controls_world import OFFICE, force, staff
from helpers import import_doc, make_token

SCREEN = {"width": 1280, "height": 800}
EXTRA = 130  # tasks put straight into storage for the officer, half open: over a page


def user_of(ctx: Any, token: str) -> User:
    with ctx.uow(read_only=True) as uow:
        return authenticate(uow.session, token, ctx.clock.now())


@pytest.fixture(scope="module")
def rooms(shared_console: Any) -> dict[str, Any]:
    """Two officers on duty at OFFICE, a supervisor who worked there yesterday, three red
    tasks and many older tasks of the first officer (half of them done)."""
    ctx = shared_console.ctx
    force(ctx, Channel.RED, None)
    one = shared_console.user("officer")
    olga = staff(ctx, "olga", "officer")
    tokens = {"sue": make_token(ctx, "sue", "supervisor"),
              "sam": make_token(ctx, "sam", "supervisor"),
              "audrey": make_token(ctx, "audrey", "auditor")}
    now, sue = ctx.clock.now(), user_of(ctx, tokens["sue"])
    for officer in (one, olga):
        controls.add_shift(ctx, officer.id, OFFICE, now - timedelta(hours=1),
                           now + timedelta(hours=7), sue)
    # Sue worked at OFFICE yesterday: the office page opens there.
    controls.add_shift(ctx, sue.id, OFFICE, now - timedelta(days=1),
                       now - timedelta(hours=16), sue)
    lodged = [shared_console.lodge("trader", import_doc(lrn=f"PPL-{n}",
                                                        offices={"lodgement": OFFICE}))
              for n in range(3)]
    with ctx.uow() as uow:
        for n in range(EXTRA):
            repo.add_task(uow.session, declaration_id=lodged[1].row.id, reference=f"OLD{n}",
                          office=OFFICE, channel="yellow", kind="documentary",
                          status="done" if n % 2 else "assigned", qualifications=[],
                          reasons=[], instructions=[], random_selected=False,
                          origin="decision", officer_id=one.id,
                          created_at=now - timedelta(hours=3, minutes=n), assigned_at=now,
                          started_at=None, completed_at=None)
        uow.commit()
    return {"tokens": tokens, "lodged": lodged, "one": one, "olga": olga}


def fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SCREEN["width"], f"{page.url} is {width} px wide"


@pytest.mark.browser
def test_officer_pages_through_tasks_and_reads_the_goods(
        new_page: Any, sign_in: Any, shared_console: Any, rooms: dict[str, Any],
        screenshot: Any) -> None:
    ctx = shared_console.ctx
    with ctx.uow(read_only=True) as uow:
        mine = uow.session.query(ControlTaskRow).filter_by(officer_id=rooms["one"].id)
        open_count = sum(1 for t in mine if t.status in ("assigned", "in_progress"))
        total = uow.session.query(ControlTaskRow).filter_by(officer_id=rooms["one"].id).count()
    page = new_page(viewport=SCREEN)
    sign_in(page, shared_console.tokens["officer"])
    page.get_by_role("link", name="Tasks").click()
    assert page.locator("#result-count").inner_text() == f"1\u201350 of {open_count} tasks"
    assert page.locator("#tasks tr[data-status='done']").count() == 0
    assert re.fullmatch(r"\d+ h( \d+ min)?", page.locator("#tasks td.waiting").last.inner_text())
    fits(page)
    screenshot(page, "console-tasks-open-paged.png")
    page.locator("#task-pager").locator("a[rel=next]").click()
    page.wait_for_url("**page=2**")
    assert page.locator("#result-count").inner_text().startswith("51\u2013")
    page.get_by_label("Status").select_option("all")  # htmx swaps the results
    page.wait_for_url("**status=all**")
    page.locator("#result-count", has_text=f"of {total} tasks").wait_for()
    statuses = page.locator("#tasks tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.status)")
    assert len(statuses) == 50 and "done" not in statuses  # open ones first, 65 done later
    page.get_by_label("Status").select_option("done")
    page.locator("#result-count", has_text=f"of {EXTRA // 2} tasks").wait_for()
    # the least loaded draws: one of the first two red tasks went to this officer
    refs = [o.row.mrn for o in rooms["lodged"]]
    with ctx.uow(read_only=True) as uow:
        task = uow.session.query(ControlTaskRow).filter(
            ControlTaskRow.reference.in_(refs),
            ControlTaskRow.officer_id == rooms["one"].id).order_by(ControlTaskRow.id).first()
    assert task is not None
    page.goto(f"/console/tasks/{task.id}")
    goods = page.locator("#task-goods tbody tr")
    assert goods.count() == 2
    assert goods.first.locator("td").all_inner_texts() == [
        "1", "851010", "Electric shavers", "CN", "20 CT", "120", "1000.00 USD"]
    officer = page.locator("#task-officer").inner_text()
    assert officer == "officer-one"
    fits(page)
    screenshot(page, "console-task-goods.png")
    assert page.problems == []


@pytest.mark.browser
def test_supervisor_picks_people_by_name(new_page: Any, sign_in: Any, shared_console: Any,
                                        rooms: dict[str, Any], screenshot: Any) -> None:
    page = new_page(viewport=SCREEN)
    sign_in(page, rooms["tokens"]["sue"])
    page.get_by_role("link", name="Office").click()  # opens on an office, no code typed
    assert page.get_by_label("Office", exact=True).input_value() == OFFICE
    mrn = rooms["lodged"][2].row.mrn
    form = page.locator("form.reassign", has_text=mrn)
    current = form.locator("p .muted").inner_text()
    choices = form.get_by_label("New officer").locator("option").all_inner_texts()
    names = {"officer-one", "olga"}
    assert [c for c in choices if c in names] == sorted(names - {current.strip("()")})
    assert "user number" not in page.content()
    shift_choices = page.get_by_label("Officer", exact=True).locator("option").all_inner_texts()
    assert {"officer-one", "olga", "sue (supervisor)"} <= set(shift_choices)
    assert "trader-one" not in " ".join(shift_choices)
    fits(page)
    screenshot(page, "console-office-pickers.png")
    new = next(iter(names - {current.strip("()")}))
    form.get_by_label("New officer").select_option(label=new)
    form.get_by_label("Reason (kept in the record)").fill("leaves early today")
    form.get_by_role("button").click()
    page.locator("#office-message").wait_for()
    row = page.locator("#office-tasks tr", has_text=mrn)
    assert new in row.inner_text()

    audit = new_page(viewport=SCREEN)
    sign_in(audit, rooms["tokens"]["audrey"])
    audit.goto("/console/integrity")
    audit.get_by_label("Officer", exact=True).select_option(label="olga (officer)")
    audit.locator("#c-office").fill(OFFICE)
    audit.locator("#c-description").fill("A broker's gifts, reported by a colleague")
    audit.get_by_role("button", name="Open case").click()
    audit.locator("#case-opened").wait_for()
    assert "olga" in audit.locator("#cases tbody tr").first.inner_text()
    fits(audit)
    screenshot(audit, "console-integrity-case-picker.png")
    assert page.problems == [] and audit.problems == []


@pytest.mark.browser
def test_supervisor_reads_the_approvals_history(new_page: Any, sign_in: Any,
                                               shared_console: Any, rooms: dict[str, Any],
                                               screenshot: Any) -> None:
    ctx = shared_console.ctx
    asked = four_eyes.request(ctx, rooms["lodged"][0].row.mrn, Kind.WAIVER, None,
                              "Seals intact, documents checked at the post",
                              shared_console.user("officer"))
    four_eyes.approve(ctx, asked.id, "agreed", user_of(ctx, rooms["tokens"]["sam"]))
    page = new_page(viewport=SCREEN)
    sign_in(page, rooms["tokens"]["sue"])
    page.get_by_role("link", name="Approvals").click()
    row = page.locator("#approval-history tr[data-override]").first
    cells = row.locator("td").all_inner_texts()
    assert cells[3] == "officer-one" and cells[5] == "sam" and cells[7] == "approved"
    assert "Seals intact" in cells[8] and "agreed" in cells[8]
    assert "1\u20131 of 1" in page.locator("#history-pager").inner_text()
    fits(page)
    screenshot(page, "console-approvals-history.png")
    assert page.problems == []
