"""The KPI page at the widths officers' screens have (1280 and 1400 pixels): the chart grid
fits without a horizontal scroll, the axes write 20k rather than 2e+04, revenue carries its
currency, release times read in hours and minutes, and the profiles' hit rates are drawn."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from clearway.storage.orm import EventRow
from feedback_data import decide, declaration, result
from helpers import TRADER, make_token

PROFILES = ("VAL-TEXTILES-ASIA", "PRH-CIGARETTES-AE")
E_NOTATION = r"/\d(\.\d+)?e[+-]?\d/i"


def _event(session: Any, declaration_id: int, kind: str, at: Any) -> None:
    session.add(EventRow(declaration_id=declaration_id, at=at, kind=kind, from_status=None,
                         to_status=kind, actor="system", detail={}))


@pytest.fixture(scope="module")
def auditor(shared_console: Any) -> str:
    """An auditor's token, after six days of controls with revenue in the tens of thousands
    (the figures whose axis once read 2e+04) and releases hours after lodgement."""
    now = shared_console.ctx.clock.now()
    with shared_console.ctx.uow() as uow:
        for day in range(1, 7):
            at = now - timedelta(days=day)
            made = declaration(uow.session, f"KPI-{day}", trader=TRADER, at=at)
            decide(uow.session, made, at=at, profiles=PROFILES[: 1 + day % 2])
            result(uow.session, made, at=at, outcome="irregular" if day % 3 else "regular",
                   revenue=f"{9000 + 3500 * day}.00", irregularities=("undervaluation",))
            _event(uow.session, made, "lodged", at - timedelta(minutes=90 + 40 * day))
            _event(uow.session, made, "released", at)
        uow.commit()
    return make_token(shared_console.ctx, "auditor-kpi", "auditor")


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1400, 900)])
def test_the_kpi_page_fits_and_its_axes_read_as_numbers(
        new_page: Any, sign_in: Any, screenshot: Any, auditor: str, width: int,
        height: int) -> None:
    page = new_page(viewport={"width": width, "height": height})
    sign_in(page, auditor)
    page.goto("/console/kpis")
    charts = page.locator("svg.chart")
    assert charts.count() == 5  # shares, hit rate, revenue, release time, per profile
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # every chart inside its panel, every panel inside the window
    assert page.evaluate("""() => [...document.querySelectorAll('#charts > section')].every(
        panel => { const p = panel.getBoundingClientRect();
                   const c = panel.querySelector('svg.chart').getBoundingClientRect();
                   return p.right <= window.innerWidth && c.right <= p.right + 0.5
                          && c.left >= p.left - 0.5; })""")
    # two charts side by side at these widths, not one long column
    tops = page.evaluate("[...document.querySelectorAll('#charts > section')]"
                         ".map(s => Math.round(s.getBoundingClientRect().top))")
    assert tops[0] == tops[1]
    texts = page.locator("svg.chart text").all_text_contents()
    assert texts and not any(page.evaluate(f"t => {E_NOTATION}.test(t)", t) for t in texts)
    revenue_axis = page.locator("section[aria-labelledby='h-c-revenue'] svg text")
    assert {"25k", "50k"} <= set(revenue_axis.all_text_contents())  # 12,500 to 30,000 a day
    assert page.locator("#h-c-revenue").inner_text() == "Revenue assessed (EUR)"
    assert page.locator("#kpi-revenue").inner_text() == "127,500.00 EUR"
    release = page.locator("#kpi-release").inner_text()
    assert " h " in release and "min" in release
    release_axis = page.locator("section[aria-labelledby='h-c-release'] svg text")
    assert {"5 h", "10 h"} <= set(release_axis.all_text_contents())  # 2 h 10 to 5 h 30
    profiles = page.locator("#profile-chart svg").text_content() or ""
    assert all(code in profiles for code in PROFILES)
    assert page.problems == []
    screenshot(page, f"console-kpis-{width}.png")
