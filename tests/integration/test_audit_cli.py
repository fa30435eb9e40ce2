"""`clearway audit verify|checkpoint|public-key` through Typer: exit 0 intact, 1 broken."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from clearway.audit import repository
from clearway.cli.main import app
from clearway.config import get_settings
from clearway.context import Context

runner = CliRunner()


@pytest.fixture
def cli_ctx(ctx: Context, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Context]:
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    monkeypatch.setenv("CLEARWAY_AUDIT_CHECKPOINT_EVERY", "4")
    get_settings.cache_clear()
    ctx.settings = get_settings()
    repository.bind_settings(ctx.sessions, ctx.settings)
    with ctx.uow() as uow:
        for i in range(6):
            repository.append(uow.session, at=ctx.clock.now(), actor="supervisor:s1",
                              action="declaration.read", object_type="declaration",
                              object_id=f"D{i}")
        uow.commit()
    yield ctx
    get_settings.cache_clear()


def _sql(db_url: str, statement: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


@pytest.mark.parametrize(("statement", "code", "named"), [
    (None, 0, None),
    ("UPDATE audit_entries SET actor = 'x' WHERE id = 2", 1, "entry 2"),
    ("DELETE FROM audit_entries WHERE id = 3", 1, "entry 3"),
    ("UPDATE audit_checkpoints SET signature = 'AAAA' WHERE entry_id = 4", 1, "entry 4"),
])
def test_verify_exit_codes(cli_ctx: Context, db_url: str, statement: str | None, code: int,
                           named: str | None) -> None:
    if statement:
        _sql(db_url, statement)
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == code, result.output
    if named:
        assert named in result.output


def test_checkpoint_and_public_key(cli_ctx: Context, db_url: str, tmp_path: Path) -> None:
    made = runner.invoke(app, ["audit", "checkpoint"])
    assert made.exit_code == 0 and "entry 6" in made.output
    key = runner.invoke(app, ["audit", "public-key"])
    assert key.exit_code == 0 and "BEGIN PUBLIC KEY" in key.stdout
    pem = tmp_path / "audit.pem"
    pem.write_text(key.stdout)
    assert runner.invoke(app, ["audit", "verify", "--public-key", str(pem)]).exit_code == 0
    _sql(db_url, "UPDATE audit_entries SET detail = '{\"x\": 1}' WHERE id = 5")
    assert runner.invoke(app, ["audit", "verify", "--public-key", str(pem)]).exit_code == 1
    missing = runner.invoke(app, ["audit", "verify", "--public-key", str(tmp_path / "no.pem")])
    assert missing.exit_code == 2 and "CW-AUDIT-KEY" in missing.output
