"""The operator's commands of data protection: a new pseudonym key entry that both sides add
to their keys file, a check of the file that never prints a secret, and the sweep."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from clearway.cli.main import app
from clearway.config import get_settings
from clearway.context import Context
from clearway.exchange.service import import_agreements
from exchange_world import AGREEMENT_FILE

runner = CliRunner()


@pytest.fixture
def configured(ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    keys = tmp_path / "keys.yaml"
    for name, value in (("DATABASE_URL", ctx.settings.database_url), ("ENVIRONMENT", "test"),
                        ("COUNTRY_CODE", "RS"), ("PSEUDONYM_KEYS_FILE", str(keys))):
        monkeypatch.setenv(f"CLEARWAY_{name}", value)
    get_settings.cache_clear()
    yield keys
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_a_new_key_goes_into_the_file_and_the_check_lists_it_without_its_secret(
        configured: Path) -> None:
    code, first = run("privacy", "keys", "new", "--agreement", "RS-MK-2026", "--id", "k2026",
                      "--from", "2020-01-01")
    assert code == 0, first
    code, second = run("privacy", "keys", "new", "--agreement", "RS-MK-2026", "--id", "k2027",
                       "--from", "2099-01-01")
    (one,), (two,) = yaml.safe_load(first), yaml.safe_load(second)
    assert len(base64.b64decode(one["secret"])) == 32 and one["secret"] != two["secret"]
    configured.write_text(first + second)

    code, listed = run("privacy", "keys", "check")

    assert code == 0, listed
    assert "k2026" in listed and "k2027" in listed and "current" in listed
    assert one["secret"] not in listed and two["secret"] not in listed


@pytest.mark.parametrize(("args", "shown"), [
    (("--id", "bad id!", "--from", "2026-01-01"), "CW-PRIV-KEYS"),
    (("--id", "k1", "--from", "June"), "Invalid value"),
])
def test_a_malformed_key_request_is_refused(configured: Path, args: tuple[str, ...],
                                            shown: str) -> None:
    code, printed = run("privacy", "keys", "new", "--agreement", "RS-MK-2026", *args)
    assert code == 2 and shown in printed


def test_a_broken_keys_file_is_a_coded_failure(configured: Path) -> None:
    configured.write_text("- agreement: RS-MK-2026\n  id: k\n  secret: short\n"
                          "  valid_from: 2026-01-01\n")
    code, printed = run("privacy", "keys", "check")
    assert code == 2 and "CW-PRIV-KEYS" in printed


def test_the_sweep_reports_per_agreement(ctx: Context, configured: Path) -> None:
    assert "nothing to sweep" in run("privacy", "sweep")[1]
    import_agreements(ctx, AGREEMENT_FILE.read_text(), "administrator:test")
    code, printed = run("privacy", "sweep")
    assert code == 0 and "agreement RS-MK-2026: 0 received message(s) erased" in printed
