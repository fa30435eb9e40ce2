"""The `clearway` command line on a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from clearway.cli.main import app
from clearway.config import get_settings
from helpers import TRADER, import_doc

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def cli_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def test_upgrade_refdata_user_submit_verify(cli_db: str, tmp_path: Path) -> None:
    assert run("db", "upgrade")[0] == 0
    code, out = run("refdata", "load")
    assert code == 0 and "hs_codes" in out
    code, out = run("users", "create", "alice", "--role", "trader", "--trader", TRADER)
    assert code == 0
    token = out.strip().splitlines()[-1]
    assert token.startswith("cw_") and " " not in token
    doc = tmp_path / "import.json"
    doc.write_text(json.dumps(import_doc()))
    code, out = run("submit", str(doc), "--token", token)
    assert code == 0, out
    assert json.loads(out)["status"] in ("released", "risk_assessed")  # decided at once
    code, out = run("audit", "verify")
    assert code == 0 and "intact" in out


def test_users_create_refuses_bad_roles(cli_db: str) -> None:
    run("db", "upgrade")
    assert run("users", "create", "bob", "--role", "wizard")[0] == 2
    assert run("users", "create", "bob", "--role", "trader")[0] == 2


def test_audit_verify_names_the_edited_entry(cli_db: str, tmp_path: Path) -> None:
    run("db", "upgrade")
    run("refdata", "load")
    token = run("users", "create", "carol", "--role", "trader", "--trader",
                TRADER)[1].strip().splitlines()[-1]
    for lrn in ("A-1", "A-2", "A-3"):
        doc = tmp_path / f"{lrn}.json"
        doc.write_text(json.dumps(import_doc(lrn=lrn)))
        assert run("submit", str(doc), "--token", token)[0] == 0
    from clearway.storage.db import make_engine

    engine = make_engine(cli_db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE id = 2"))
    engine.dispose()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "entry 2" in result.output


@pytest.mark.parametrize("name", ["import_3_items.edi"])
def test_convert_prints_canonical_json(name: str) -> None:
    code, out = run("declarations", "convert", str(FIXTURES / "cusdec" / name), "--to", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["declaration_type"] == "IM" and len(doc["items"]) == 3
    assert "mrn" not in doc and "status" not in doc


def test_convert_reports_coded_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<Declaration><unclosed></Declaration>")
    result = runner.invoke(app, ["declarations", "convert", str(bad)])
    assert result.exit_code == 2 and "CW-SYN-XML" in result.output
