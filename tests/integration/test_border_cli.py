"""`clearway border points` on a real database: the packaged points loaded once, listed, and
an administrator's change (audited as administrator:cli; a wrong office refused, coded)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from clearway.cli.main import app
from clearway.config import get_settings

runner = CliRunner()


@pytest.fixture
def cli_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    monkeypatch.setenv("CLEARWAY_COUNTRY_CODE", "RS")
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), terminal_width=200)
    return result.exit_code, result.output


def test_points_are_loaded_listed_and_changed(cli_db: str) -> None:
    assert run("db", "upgrade")[0] == 0
    assert run("refdata", "load")[0] == 0
    assert run("border", "points", "load") == (0, "points loaded: 4\n")
    assert run("border", "points", "load") == (0, "points loaded: 0\n")
    code, out = run("border", "points", "set", "RS-KELEBIJA", "--name", "Kelebija",
                    "--office", "RS003001", "--neighbour", "HU", "--modes", "road",
                    "--agencies", "PH,BP")
    assert code == 0, out
    code, out = run("border", "points", "list")
    assert code == 0 and "Kelebija" in out and "Horgos" in out
    code, out = run("border", "points", "set", "RS-X", "--name", "X", "--office", "MK002001",
                    "--neighbour", "HU", "--modes", "road")
    assert code != 0 and "CW-BORDER-POINT" in out
    engine = create_engine(cli_db)
    with engine.connect() as conn:
        actors = conn.execute(text("select actor from audit_entries where action = "
                                   "'border.point'")).scalars().all()
    engine.dispose()
    assert actors == ["administrator:cli"]
