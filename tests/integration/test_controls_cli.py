"""`clearway controls` on a real database: roster add (which assigns waiting tasks) and list,
tasks, assign-waiting, and coded refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from clearway.cli import controls as controls_cli
from clearway.cli.main import app
from clearway.config import get_settings
from clearway.context import Context
from clearway.risk.engine.decision import Channel
from controls_world import OFFICE, force, lodge, office

runner = CliRunner()


@pytest.fixture
def cli_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    monkeypatch.setattr(controls_cli.out, "width", 200)  # whatever terminal runs the tests
    yield db_url
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, " ".join((result.stdout + result.stderr).split())


def test_roster_tasks_and_assignment(ctx: Context, cli_db: str) -> None:
    world = office(ctx, on_duty=False)
    force(ctx, Channel.RED, None)
    # the command line runs on the system clock: a shift around the real now
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    shift = ["--from", f"{now - timedelta(hours=1):%Y-%m-%dT%H:%M%z}",
             "--until", f"{now + timedelta(hours=7):%Y-%m-%dT%H:%M%z}"]
    row = lodge(ctx, world, "CLI-1")
    code, out = run("controls", "tasks", "--status", "awaiting_officer")
    assert code == 0 and row.mrn in out and "1 task(s)" in out
    assert run("controls", "assign-waiting") == (0, "0 task(s) assigned")
    code, out = run("controls", "roster", "add", str(world.qualified.id), OFFICE, *shift)
    assert code == 0 and "1 waiting task(s) assigned" in out, out
    code, out = run("controls", "roster", "list", "--office", OFFICE)
    assert code == 0 and OFFICE in out and "administrator" in out
    code, out = run("controls", "roster", "add", str(world.trader.id), OFFICE, *shift)
    assert code == 2 and "CW-ROSTER-NOT-OFFICER" in out
    code, out = run("controls", "roster", "add", "unq", OFFICE, *shift)  # by user name
    assert code == 0 and "officer unq at" in out, out
    code, out = run("controls", "roster", "add", "nobody-such", OFFICE, *shift)
    assert code != 0 and "nobody-such" in out and "Traceback" not in out, out
    code, out = run("controls", "tasks", "--office", OFFICE)
    assert code == 0 and "assigned" in out
