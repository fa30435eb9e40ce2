"""Risk decisions in the console (Chromium through Playwright): an officer opens a declaration
that an active profile sent red and sees the channel, the reasons and the control
instructions; the trader who lodged it sees the channel only. Both see the channel in the
declarations list."""

from __future__ import annotations

from typing import Any

import pytest

from clearway.profiles import service as profiles
from helpers import import_doc

NAME = "Counterfeit electric shavers from China"
INSTRUCTIONS = "Open the cartons and compare the shavers with the right holder's samples"
PROFILE = f"""- code: IPR-SHAVERS-CN
  name: {NAME}
  area: ipr
  weight: 0.9
  min_channel: red
  instructions: {INSTRUCTIONS}
  qualification: ipr
  when:
    all:
      - {{field: hs6, in: ["851010"]}}
      - {{field: origin_country, in: [CN]}}
"""


@pytest.fixture(scope="module")
def red_mrn(shared_console: Any) -> str:
    """A declaration of Chinese electric shavers, lodged once the profile is active."""
    saved = profiles.import_yaml(shared_console.ctx, PROFILE, "risk_analyst:ana", owner="ana",
                                 activate_all=True)
    assert [s.activated for s in saved] == [True]
    out = shared_console.lodge("trader", import_doc(lrn="RED-SHAVERS"))
    assert out.kind == "created", out.errors
    assert out.row.mrn is not None
    return out.row.mrn


# Channels are shown in capitals (CSS): the tests read the text, not the rendering.
def list_row(page: Any, mrn: str) -> Any:
    page.goto("/console")
    return page.locator("#declarations tbody tr", has_text=mrn)


@pytest.mark.browser
def test_the_officer_sees_the_channel_reasons_and_instructions(
        new_page: Any, shared_console: Any, red_mrn: str, sign_in: Any,
        screenshot: Any) -> None:
    page = new_page()
    sign_in(page, shared_console.tokens["officer"])
    row = list_row(page, red_mrn)
    assert row.locator(".channel").text_content() == "red"

    row.get_by_role("link", name=red_mrn).click()
    page.wait_for_url(f"**/console/declarations/{red_mrn}")
    decision = page.locator("#decision")
    assert "channel-red" in (decision.get_attribute("class") or "")
    assert page.locator("#channel").text_content() == "red"
    reasons = page.locator("#reasons li").all_inner_texts()
    assert any(NAME in r for r in reasons), reasons
    assert INSTRUCTIONS in page.locator("#instructions").inner_text()
    assert "Officer qualification needed: ipr" in decision.inner_text()
    assert page.problems == []
    screenshot(page, "decision-officer.png")


@pytest.mark.browser
def test_the_trader_sees_the_channel_but_not_the_reasons(
        new_page: Any, shared_console: Any, red_mrn: str, sign_in: Any,
        screenshot: Any) -> None:
    page = new_page()
    sign_in(page, shared_console.tokens["trader"])
    assert list_row(page, red_mrn).locator(".channel").text_content() == "red"

    page.goto(f"/console/declarations/{red_mrn}")
    assert page.locator("#channel").text_content() == "red"
    assert page.locator("#reasons").count() == 0
    assert page.locator("#instructions").count() == 0
    content = page.content()
    assert NAME not in content and INSTRUCTIONS not in content and "IPR-SHAVERS" not in content
    assert page.problems == []
    screenshot(page, "decision-trader.png")
