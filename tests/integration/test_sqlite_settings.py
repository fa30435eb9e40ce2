"""SQLite connection settings: WAL and the durability level chosen by configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from clearway.composition import build_context
from clearway.storage.db import make_engine

# PRAGMA synchronous answers a number: 1 NORMAL, 2 FULL, 3 EXTRA.
CASES = [("NORMAL", 1), ("FULL", 2), ("EXTRA", 3)]


@pytest.mark.parametrize(("level", "number"), CASES)
def test_every_connection_runs_in_wal_with_the_configured_synchronous_level(
        tmp_path: Path, level: str, number: int) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", sqlite_synchronous=level)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == number
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_an_unknown_synchronous_level_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="NORMAL, FULL or EXTRA"):
        make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", sqlite_synchronous="OFF")


def test_the_context_takes_the_level_from_clearway_sqlite_synchronous(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clearway.config import Settings

    monkeypatch.setenv("CLEARWAY_SQLITE_SYNCHRONOUS", "FULL")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    ctx = build_context(settings)
    with ctx.engine.connect() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
    ctx.engine.dispose()
