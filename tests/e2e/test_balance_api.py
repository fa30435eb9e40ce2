"""The balance report over HTTP and on the console: who may read it, the figures, the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clock import FixedClock
from clearway.context import Context
from feedback_data import decide, declaration, result
from helpers import TRADER, make_token

# (lrn, random draw, outcome or None), decided three days ago at RS001
DECISIONS = [("E1", True, "irregular"), ("E2", True, "regular"), ("E3", True, "regular"),
             ("E4", False, "irregular"), ("E5", False, None), ("E6", False, None)]


@pytest.fixture
def api(ctx: Context, clock: FixedClock) -> Iterator[tuple[TestClient, dict[str, str]]]:
    prepare(ctx)
    day = clock.now() - timedelta(days=3)
    with ctx.uow() as uow:
        for lrn, drawn, outcome in DECISIONS:
            decl = declaration(uow.session, lrn, trader=TRADER, at=day)
            decide(uow.session, decl, at=day, random_selected=drawn,
                   channel="red" if outcome else "green")
            if outcome:
                result(uow.session, decl, at=day + timedelta(hours=1), outcome=outcome,
                       random_selected=drawn)
        uow.commit()
    tokens = {role: make_token(ctx, role, role, TRADER if role == "trader" else None)
              for role in ("trader", "officer", "risk_analyst")}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, tokens


def get(client: TestClient, token: str, path: str) -> Any:
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(("who", "query", "status"), [
    ("risk_analyst", "", 200), ("officer", "?from=2026-11-01&to=2026-11-30", 200),
    ("trader", "", 403), ("risk_analyst", "?from=2026-13-01", 422),
    ("risk_analyst", "?from=1890-01-01", 422),  # CW-REQUEST-INVALID
])
def test_who_reads_it(api: Any, who: str, query: str, status: int) -> None:
    client, tok = api
    assert get(client, tok[who], f"/api/v1/reports/balance{query}").status_code == status


def test_the_figures(api: Any) -> None:
    client, tok = api
    answer = get(client, tok["risk_analyst"], "/api/v1/reports/balance").json()
    total = answer["total"]
    assert (total["declarations"], total["inspected"], total["irregular"]) == (6, 4, 2)
    assert (total["random_inspected"], total["random_irregular"]) == (3, 1)
    assert total["targeted_precision"] == 1.0 and total["lift"] == 3.0
    assert answer["by_month_office"][0]["month"] == "2026-11"
    assert answer["by_month_office"][0]["office"] == "RS001"


def test_the_console_page(api: Any) -> None:
    client, tok = api
    client.cookies.set("cw_token", tok["risk_analyst"])
    page = client.get("/console/balance")
    assert page.status_code == 200
    assert 'href="/console/balance" aria-current="page"' in page.text
    assert 'id="bal-declarations">6<' in page.text and 'data-month="2026-11"' in page.text
    assert "<svg" in page.text
    client.cookies.set("cw_token", tok["trader"])
    assert client.get("/console/balance").status_code == 403
