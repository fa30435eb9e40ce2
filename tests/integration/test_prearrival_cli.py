"""`clearway arrivals tolerances set|list` and `clearway arrivals sweep` on the entry side."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from clearway.cli.main import app
from clearway.config import get_settings
from clearway.storage.orm import AuditRow

runner = CliRunner()


@pytest.fixture
def cli_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def test_tolerances_are_set_listed_audited_and_refused_when_malformed(cli_db: str) -> None:
    done = runner.invoke(app, ["arrivals", "tolerances", "set", "61", "--mass-pct", "3",
                               "--packages", "1", "--value-pct", "12.5"])
    assert done.exit_code == 0, done.output
    assert "chapter 61: mass 3 %, packages 1, value 12.5 %" in done.stdout
    listed = runner.invoke(app, ["arrivals", "tolerances", "list"])
    assert listed.exit_code == 0 and "61" in listed.stdout and "12.5" in listed.stdout
    bad = runner.invoke(app, ["arrivals", "tolerances", "set", "6", "--mass-pct", "3",
                              "--packages", "1", "--value-pct", "1"])
    assert bad.exit_code != 0 and "CW-PRE-TOLERANCE" in bad.output
    engine = create_engine(cli_db)
    with engine.connect() as conn:
        actions = conn.execute(select(AuditRow.action, AuditRow.actor)).all()
    engine.dispose()
    assert [tuple(a) for a in actions] == [("arrival.tolerance", "administrator:cli")]


def test_the_sweep_reports_overdue_arrivals(cli_db: str) -> None:
    done = runner.invoke(app, ["arrivals", "sweep"])
    assert done.exit_code == 0, done.output
    assert "announced arrivals overdue: 0" in done.stdout
