"""`clearway risk`: the one command group of risk decisions (capacity budgets, the selectivity
report, trader records), on the same data as the API."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from clearway.cli.main import app
from clearway.context import Context
from clearway.risk import repository


def test_budgets_are_set_listed_and_removed(ctx: Context, run: CliRunner) -> None:
    result = run.invoke(app, ["risk", "budget", "RS001002", "red", "5"])
    assert result.exit_code == 0 and "RS001002 red: 5 per day" in result.stdout
    with ctx.uow(read_only=True) as uow:
        assert [(b.office, b.channel, b.per_day) for b in repository.budgets(uow.session)] \
            == [("RS001002", "red", 5)]
    listed = run.invoke(app, ["risk", "budgets"])
    assert listed.exit_code == 0 and "RS001002" in listed.stdout
    removed = run.invoke(app, ["risk", "budget", "RS001002", "red"])
    assert removed.exit_code == 0 and "unlimited" in removed.stdout
    with ctx.uow(read_only=True) as uow:
        assert repository.budgets(uow.session) == []


def test_the_selectivity_report_is_json(run: CliRunner) -> None:
    result = run.invoke(app, ["risk", "selectivity-report", "--from", "2026-01-01",
                              "--to", "2026-01-31"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["all"]["total"] == 0


def test_one_group_holds_every_risk_command(run: CliRunner) -> None:
    result = run.invoke(app, ["risk", "--help"])
    assert result.exit_code == 0
    for command in ("budget", "budgets", "selectivity-report", "rebuild-trader-records"):
        assert command in result.stdout
