"""The instructions room in Chromium: an officer finds a new instruction waiting, reads it,
acknowledges it; a new version asks again; the supervisor's room shows the rates by office
and the training manager's plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from clearway.controls import service as controls
from clearway.instructions import service as instructions
from clearway.instructions.model import InstructionIn
from controls_world import OFFICE
from helpers import make_token


@pytest.mark.browser
def test_an_officer_acknowledges_each_version(new_page: Any, sign_in: Any,
                                              shared_console: Any, screenshot: Any) -> None:
    ctx = shared_console.ctx
    officer_token = make_token(ctx, "ack-officer", "officer")
    shared_console.tokens["ack-sup"] = make_token(ctx, "ack-sup", "supervisor")
    shared_console.tokens["ack-officer"] = officer_token
    sup, officer = shared_console.user("ack-sup"), shared_console.user("ack-officer")
    now = ctx.clock.now()
    controls.add_shift(ctx, officer.id, OFFICE, now - timedelta(hours=1),
                       now + timedelta(hours=7), sup)
    text = InstructionIn(code="BRW-608", title="Goods suspected of infringing an IPR",
                         body="Detain, then notify the right-holder within one working day.",
                         owner="IPR unit", valid_from=now.date(), offices=[OFFICE])
    instructions.publish(ctx, text, sup)

    page = new_page()
    sign_in(page, officer_token)
    page.get_by_role("link", name="Instructions").click()
    row = page.locator("#my-instructions tr[data-code='BRW-608']")
    row.get_by_role("link", name="BRW-608").click()
    assert "notify the right-holder" in page.locator("#instruction-body").inner_text()
    page.get_by_role("button", name="I have read version 1: acknowledge").click()
    page.locator("#acknowledged").wait_for()
    assert row.get_by_text("acknowledged").count() == 1
    screenshot(page, "console-instructions-acknowledged.png")

    instructions.publish(ctx, text.model_copy(update={"body": text.body + " Photograph."}),
                         sup)
    page.reload()
    row.get_by_role("button", name="Acknowledge version 2").click()
    page.locator("#acknowledged").wait_for()
    assert row.get_by_role("button").count() == 0

    boss = new_page()
    sign_in(boss, shared_console.tokens["ack-sup"])
    boss.get_by_role("link", name="Instructions").click()
    assert boss.locator(f"#ack-rates tr[data-office='{OFFICE}']").count() == 1
    boss.get_by_role("link", name="Training").click()
    boss.locator("#plan-totals").wait_for()
    screenshot(boss, "console-training-plan.png")
