"""The command line finds the running demo through var/clearway.env, and a missing or
unmigrated database, or an invalid setting, is one coded line with its own exit code."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from clearway.cli.group import EXIT_BAD_SETTINGS, EXIT_NO_DATABASE, EXIT_UNREACHABLE
from clearway.config import get_settings
from clearway.storage.migrate import upgrade

runner = CliRunner()
COMMANDS = [
    ["audit", "verify"],
    ["notifications", "deliver"],
    ["users", "create", "ann", "--role", "officer"],
    ["users", "revoke", "ann"],
    ["model", "train-store", "--registry", "models"],
    ["risk", "budgets"],
    ["risk", "rebuild-trader-records"],
    ["exchange", "status"],
    ["integrity", "indicators"],
    ["valuation", "rebuild"],
]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working folder whose settings come only from what each test writes."""
    for key in [k for k in os.environ if k.startswith("CLEARWAY_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def invoke(*args: str) -> tuple[int, str, str]:
    from clearway.cli.main import app

    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def assert_one_line(code: int, stderr: str, expected: int, *words: str) -> None:
    assert code == expected, stderr
    # Long commands announce their phase first ("valuation rebuild: ... ..."): progress.
    lines = [x for x in stderr.strip().splitlines() if not x.endswith(" ...")]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    for word in words:
        assert word in lines[0], lines[0]


def _exists(args: list[str]) -> None:
    """A renamed command would otherwise fail for the wrong reason."""
    assert invoke(*args[:2], "--help")[0] == 0, args


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
@pytest.mark.parametrize("state", ["missing", "empty"])
def test_no_database_is_one_line(here: Path, args: list[str], state: str) -> None:
    _exists(args)
    path = here / "var" / "clearway.db"
    if state == "empty":
        path.parent.mkdir()
        sqlite3.connect(path).close()
    code, stdout, stderr = invoke(*args)
    assert_one_line(code, stderr, EXIT_NO_DATABASE, "CW-DATABASE", "no Clearway database",
                    "sqlite:///var/clearway.db", "clearway db upgrade")
    assert stdout == ""
    assert not path.exists()  # the failed attempt left no empty file to mislead the next one


@pytest.mark.parametrize("args", COMMANDS[:4], ids=lambda a: " ".join(a[:2]))
def test_unmigrated_database_is_one_line(here: Path, args: list[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{here / 'old.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:  # as if the code had moved on to a newer migration
        conn.execute(text("DROP TABLE audit_entries"))
        conn.execute(text("DROP TABLE users"))
        conn.execute(text("DROP TABLE notifications"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", url)
    code, _, stderr = invoke(*args)
    assert_one_line(code, stderr, EXIT_NO_DATABASE, "not migrated", url, "clearway db upgrade")
    assert (here / "old.db").exists()


def test_invalid_setting_is_one_line(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARWAY_RANDOM_SHARE", "3")
    code, _, stderr = invoke("exchange", "status")
    assert_one_line(code, stderr, EXIT_BAD_SETTINGS, "CW-SETTINGS", "CLEARWAY_RANDOM_SHARE")


def _env_file(here: Path, **values: str) -> None:
    (here / "var").mkdir(exist_ok=True)
    (here / "var" / "clearway.env").write_text(
        "".join(f"CLEARWAY_{k.upper()}={v}\n" for k, v in values.items()))


def _users(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM users")]
    conn.close()
    return names


def test_the_demo_settings_file_is_read_and_the_environment_wins(
        here: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo, other = here / "var" / "demo.db", here / "other.db"
    demo.parent.mkdir()
    shutil.copy(sqlite_template, demo)
    shutil.copy(sqlite_template, other)
    _env_file(here, database_url="sqlite:///var/demo.db", environment="test")
    code, stdout, stderr = invoke("users", "create", "ann", "--role", "officer")
    assert code == 0, stderr
    assert stdout.strip().splitlines()[-1].startswith("cw_")
    assert _users(demo) == ["ann"] and "CLEARWAY_DATABASE_URL" not in os.environ
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", f"sqlite:///{other}")
    assert invoke("users", "create", "bob", "--role", "officer")[0] == 0
    assert _users(other) == ["bob"] and _users(demo) == ["ann"]


def test_a_named_settings_file_and_off(here: Path, sqlite_template: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(sqlite_template, here / "named.db")
    (here / "elsewhere.env").write_text(f"CLEARWAY_DATABASE_URL=sqlite:///{here}/named.db\n")
    _env_file(here, database_url="sqlite:///var/none.db")
    monkeypatch.setenv("CLEARWAY_ENV_FILE", str(here / "elsewhere.env"))
    assert invoke("users", "create", "cy", "--role", "officer")[0] == 0
    assert _users(here / "named.db") == ["cy"]
    monkeypatch.setenv("CLEARWAY_ENV_FILE", "off")  # neither file: the default database, missing
    code, _, stderr = invoke("users", "create", "di", "--role", "officer")
    assert code == EXIT_NO_DATABASE and "sqlite:///var/clearway.db" in stderr


def test_submit_posts_to_the_demo_address(here: Path) -> None:
    _env_file(here, public_url="http://127.0.0.1:9")  # the discard port: nobody answers
    doc = here / "import.json"
    doc.write_text("{}")
    code, stdout, stderr = invoke("submit", str(doc), "--token", "cw_x")
    assert_one_line(code, stderr, EXIT_UNREACHABLE, "CW-UNREACHABLE", "http://127.0.0.1:9")
    assert stdout == ""


def test_the_demo_itself_does_not_start_from_the_previous_file(here: Path) -> None:
    import typer

    from clearway.cli import envfile
    from clearway.cli.main import app

    _env_file(here, public_url="http://127.0.0.1:8001")
    group = typer.main.get_command(app)
    context = group.make_context("clearway", ["demo", "--help"], resilient_parsing=True)
    group.resolve_command(context, ["demo"])
    assert "CLEARWAY_PUBLIC_URL" not in os.environ
    group.resolve_command(context, ["audit"])
    try:
        assert os.environ["CLEARWAY_PUBLIC_URL"] == "http://127.0.0.1:8001"
    finally:
        envfile.restore(group._added)  # type: ignore[attr-defined]
    assert "CLEARWAY_PUBLIC_URL" not in os.environ


@pytest.mark.parametrize("args", [["notifications", "deliver"], ["audit", "verify"]])
def test_a_real_process_prints_one_line_too(here: Path, args: list[str]) -> None:
    """Outside pytest's log capture: no warning or traceback joins the line."""
    env = {**os.environ, "CLEARWAY_ENV_FILE": "off"}
    done = subprocess.run([sys.executable, "-m", "clearway.cli", *args], cwd=here, env=env,
                          capture_output=True, text=True, timeout=120)
    assert_one_line(done.returncode, done.stderr, EXIT_NO_DATABASE, "CW-DATABASE")
    assert done.stdout == ""
