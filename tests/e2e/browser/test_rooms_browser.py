"""The control loop through the console in Chromium: a supervisor puts an officer on duty,
a declaration goes red, the officer finds the task, starts it and records an irregular
result with revenue; the supervisor's office page, the auditor's integrity dashboard and the
KPI page (an inline SVG chart) show it."""

from __future__ import annotations

from typing import Any

import pytest

from clearway.risk.engine.decision import Channel
from controls_world import OFFICE, force
from helpers import import_doc, make_token


@pytest.mark.browser
def test_a_red_declaration_goes_from_roster_to_result_and_shows_everywhere(
        new_page: Any, sign_in: Any, shared_console: Any, screenshot: Any) -> None:
    ctx = shared_console.ctx
    force(ctx, Channel.RED, None)  # a red rule that needs no qualification
    supervisor = make_token(ctx, "sue", "supervisor")
    auditor = make_token(ctx, "audrey", "auditor")
    officer_id = shared_console.user("officer").id

    boss = new_page()
    sign_in(boss, supervisor)
    boss.get_by_role("link", name="Office").click()
    boss.get_by_label("Officer", exact=True).select_option(label="officer-one")
    boss.get_by_label("At office").fill(OFFICE)
    boss.get_by_role("button", name="Add shift").click()
    boss.locator("#office-message").wait_for()
    assert "officer-one" in boss.locator("#shifts").inner_text()

    lodged = shared_console.lodge("trader", import_doc(lrn="ROOM-1",
                                                       offices={"lodgement": OFFICE}))
    assert lodged.kind == "created"
    mrn = lodged.row.mrn

    officer = new_page()
    sign_in(officer, shared_console.tokens["officer"])
    officer.get_by_role("link", name="Tasks").click()
    officer.locator("#tasks").get_by_role("link", name=mrn).wait_for()
    officer.locator("#tasks tr", has_text=mrn).get_by_role("link").first.click()
    assert "weigh every carton" in officer.locator("#task-instructions").inner_text()
    officer.get_by_role("button", name="Start").click()
    officer.locator("#result-form").wait_for()
    officer.get_by_label("Irregular").check()
    officer.get_by_label("undervaluation").check()
    officer.get_by_label("Additional duties and taxes assessed").fill("250.00")
    officer.get_by_label("Goods", exact=True).select_option("detain")
    officer.get_by_role("button", name="Record result").click()
    officer.locator("#result-outcome").wait_for()
    assert officer.locator("#result-outcome").inner_text() == "irregular"
    assert officer.locator("#result-revenue").inner_text() == "250.00"
    screenshot(officer, "console-task-result.png")

    boss.goto(f"/console/office?office={OFFICE}")
    assert boss.locator("#office-tasks tr[data-status='done']", has_text=mrn).count() == 1

    audit = new_page()
    sign_in(audit, auditor)
    audit.goto("/console/integrity")
    audit.locator("#chain-status[data-intact='yes']").wait_for()
    assert audit.locator(f"#indicators tr[data-officer='{officer_id}']").count() == 1
    audit.goto("/console/kpis")
    assert audit.locator("svg.chart").count() == 5  # four per day, one per profile
    assert audit.locator("#kpi-revenue").inner_text() == "250.00 EUR"
    assert boss.problems == [] and officer.problems == [] and audit.problems == []
