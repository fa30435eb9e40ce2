"""Declarations of interest in Chromium: an officer declares a link to a trader through the
form and sees it pending review; a supervisor reviews it in the prevention room and returns
it with a note, which the officer then reads on their own page."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import make_token


@pytest.mark.browser
def test_an_officer_declares_an_interest_and_a_supervisor_reviews_it(
        new_page: Any, sign_in: Any, shared_console: Any, screenshot: Any) -> None:
    officer = new_page()
    sign_in(officer, make_token(shared_console.ctx, "ines.officer", "officer"))
    officer.get_by_role("link", name="Interests").click()
    officer.locator("#no-interests").wait_for()
    officer.get_by_label("Kind of link").select_option("shareholding")
    officer.get_by_label("Party identifier (EORI)").fill("RS4455667")
    officer.get_by_label("Party name").fill("Danube Freight")
    officer.get_by_label("What the link is").fill("I hold 5 % of its shares")
    officer.get_by_role("button", name="Declare").click()
    officer.locator("#interest-done").wait_for()
    row = officer.locator("tr[data-status='pending']")
    assert "RS4455667" in row.inner_text()
    screenshot(officer, "console-interest-filed.png")

    supervisor = new_page()
    sign_in(supervisor, make_token(shared_console.ctx, "sara.supervisor", "supervisor"))
    supervisor.get_by_role("link", name="Prevention").click()
    review = supervisor.locator("#reviews tr", has_text="RS4455667")
    review.get_by_label("Note").fill("Say since when you hold the shares")
    review.get_by_role("button", name="Return").click()
    supervisor.locator("#prevention-done").wait_for()
    assert supervisor.locator("#reviews tr", has_text="RS4455667").count() == 0
    screenshot(supervisor, "console-interest-reviewed.png")

    officer.reload()
    returned = officer.locator("tr[data-status='returned']")
    assert "Say since when you hold the shares" in returned.inner_text()
