"""History at national scale, on a small database: the Parquet exports hold what the
database holds, and a back-test over exported part files gives the figures of the
database back-test (same declarations, hits, outcomes and sample)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from clearway.clearance import lodging
from clearway.cli.main import app
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Role, User
from clearway.profiles import service
from clearway.profiles.parse import parse_profile
from clearway.risk.learning.history_files import scan
from clearway.risk.learning.training import export_store, store_rows
from clearway.users.service import create_user
from helpers import TRADER, control_by, import_doc

TRADER_USER = User(id=1, name="t", role=Role.TRADER, trader_id=TRADER)
OFFICER = "olga"


def profile(when: dict[str, Any]) -> Any:
    return parse_profile({"code": "P-1", "name": "test", "area": "valuation", "weight": 0.5,
                          "min_channel": "yellow", "owner": "ana", "when": when})


@pytest.fixture
def lodged(ctx: Context, clock: FixedClock) -> list[str]:
    """Nine declarations over nine days (origins CN, BD, TR in turn), six controlled."""
    ctx.settings = ctx.settings.model_copy(update={"auto_release": False})
    with ctx.uow() as uow:
        create_user(uow.session, name=OFFICER, role="officer", trader_id=None,
                    now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    mrns = []
    for n in range(9):
        doc = import_doc(lrn=f"NS-{n}")
        doc["items"][1]["origin_country"] = ("CN", "BD", "TR")[n % 3]
        out = lodging.submit(ctx, json.dumps(doc).encode(), "application/json", TRADER_USER)
        assert out.kind == "created" and out.row.mrn, out.errors
        mrns.append(out.row.mrn)
        if n % 3 != 2:
            control_by(ctx, OFFICER, out.row.mrn, "irregular" if n % 2 else "regular")
        clock.advance(days=1)
    return mrns




ANY_CN = {"field": "origin_country", "in": ["CN"]}  # item 1 of every declaration
SHIRTS_BD = {"all": [{"field": "hs6", "prefix": ["6109"]},
                     {"field": "origin_country", "in": ["BD"]}]}
SEASONED = {"field": "trader_declarations", "range": {"min": 4}}  # the record as it stood
FLAGGED = {"field": "trader_irregular", "greater_than": 0}
ALL, MIDDLE = (0, 8), (2, 5)  # days after the first lodging
# profile, period, (hits, controlled, irregular) of the database back-test
CASES = [
    (ANY_CN, ALL, (9, 6, 3)), (SHIRTS_BD, ALL, (3, 3, 2)), (SEASONED, ALL, (5, 3, 1)),
    (FLAGGED, ALL, (7, 4, 2)), (ANY_CN, MIDDLE, (4, 2, 1)), (SHIRTS_BD, MIDDLE, (1, 1, 0)),
    (SEASONED, MIDDLE, (2, 1, 0)), (FLAGGED, MIDDLE, (4, 2, 1)),
]


@pytest.mark.parametrize(("when", "days", "figures"), CASES)
def test_backtest_over_part_files_is_the_database_backtest(
        ctx: Context, clock: FixedClock, lodged: list[str], tmp_path: Path,
        when: dict[str, Any], days: tuple[int, int], figures: tuple[int, int, int]) -> None:
    first = clock.now().date() - timedelta(days=9)
    start, end = first + timedelta(days=days[0]), first + timedelta(days=days[1])
    assert service.export_history(ctx, tmp_path, first, first + timedelta(days=9)) > 0
    want = service.backtest(ctx, profile(when), start, end)
    assert (want.hits, want.controlled, want.irregular) == figures
    assert want.declarations == days[1] - days[0] + 1
    assert service.backtest_history(profile(when), tmp_path, start, end) == want


def test_backtest_needs_part_files(ctx: Context, tmp_path: Path) -> None:
    today = ctx.clock.now().date()
    with pytest.raises(ClearwayError) as caught:
        service.backtest_history(profile(ANY_CN), tmp_path, today, today)
    assert caught.value.code == "CW-PROFILE-HISTORY"


def test_history_export_holds_the_label_store(ctx: Context, lodged: list[str],
                                              tmp_path: Path) -> None:
    rows = store_rows(ctx)
    assert export_store(ctx, tmp_path) == rows.height > 0
    assert rows["label_irregular"].count() > 0
    assert_frame_equal(scan(tmp_path).collect(), rows)




def test_the_commands_export_and_backtest(ctx: Context, clock: FixedClock, lodged: list[str],
                                          run: CliRunner, tmp_path: Path) -> None:
    service.create(ctx, profile(SHIRTS_BD), "risk_analyst:ana")
    start, end = (clock.now().date() - timedelta(days=9)).isoformat(), clock.now().isoformat()
    period = ["--from", start, "--to", end[:10]]
    exported = run.invoke(app, ["profiles", "export-history", str(tmp_path / "frames"), *period])
    assert exported.exit_code == 0, exported.output
    tested = run.invoke(app, ["profiles", "backtest", "P-1", "--history",
                              str(tmp_path / "frames"), *period])
    assert tested.exit_code == 0, tested.output
    figures = json.loads(tested.stdout)
    assert (figures["code"], figures["version"], figures["hits"], figures["irregular"]) == (
        "P-1", 1, 3, 2)
    history = run.invoke(app, ["risk", "export-history", str(tmp_path / "history")])
    assert history.exit_code == 0, history.output
    assert f"history exported: {store_rows(ctx).height} item rows" in history.stdout
    missing = run.invoke(app, ["profiles", "backtest", "P-1", "--history", str(tmp_path),
                               *period])
    assert missing.exit_code == 2 and "CW-PROFILE-HISTORY" in missing.output
