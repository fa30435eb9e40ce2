"""`clearway --help` stays fast: the command line's entry module imports no heavy library, and
the lazily loaded groups still list, help and run like the eager ones did."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from clearway.cli.group import LAZY_GROUPS, load_group
from clearway.cli.main import app

HEAVY = ("fastapi", "starlette", "sqlalchemy", "alembic", "lightgbm", "polars", "numpy",
         "pydantic", "pydantic_settings", "httpx", "jinja2", "clearway.config",
         "clearway.bootstrap", "clearway.composition")
runner = CliRunner()


def test_importing_the_cli_loads_no_heavy_module() -> None:
    code = ("import json, sys; import clearway.cli.main; "
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout) == []


def test_top_level_help_imports_no_group() -> None:
    code = ("import sys; from typer.testing import CliRunner; from clearway.cli.main import app; "
            "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output; "
            "print([m for m in sys.modules if m.startswith('clearway.cli.') and "
            "m.rsplit('.', 1)[1] in " + repr([m.rsplit('.', 1)[1] for m, _, _ in
                                              LAZY_GROUPS.values()]) + "])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("name", list(LAZY_GROUPS))
def test_listing_help_matches_the_group(name: str) -> None:
    """The help line shown by `clearway --help` is the group's own (no drift)."""
    assert load_group(name).info.help == LAZY_GROUPS[name][2]


def test_every_group_is_listed_and_has_help() -> None:
    listing = runner.invoke(app, ["--help"], terminal_width=200)
    assert listing.exit_code == 0
    for name in [*LAZY_GROUPS, "db", "users", "submit", "declarations"]:
        assert f" {name} " in listing.stdout
    for name in LAZY_GROUPS:
        result = runner.invoke(app, [name, "--help"], terminal_width=200)
        assert result.exit_code == 0, (name, result.output)
        assert "--install-completion" not in result.stdout  # a nested group, not a root


def test_nested_command_help_and_unknown_group() -> None:
    result = runner.invoke(app, ["controls", "roster", "--help"])
    assert result.exit_code == 0 and "Officers on duty" in result.stdout
    result = runner.invoke(app, ["model", "evaluate", "--help"], terminal_width=200)
    assert result.exit_code == 0 and "--train-until" in result.stdout
    assert runner.invoke(app, ["no-such-group"]).exit_code == 2
