"""The operator's side: the commands scripts depend on (`clearway exchange public-key`,
`partners add`, `agreements import`, `exchange deliver --once`) and the staff routes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from clearway.app import create_app
from clearway.cli.main import app
from clearway.config import get_settings
from clearway.context import Context
from clearway.exchange import service, signing
from clearway.storage.orm import AuditRow
from exchange_world import AGREEMENT_FILE, Pair, open_pair
from helpers import make_token

runner = CliRunner()


@pytest.fixture
def pair(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[Pair]:
    # The commands run with the system clock, as an operator's would: both sides start at the
    # real time, so what the command signs is inside the partner's time window.
    yield from open_pair(db_url, tmp_path, sqlite_template,
                         datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def as_rs(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    """The command line configured as RS (its database, secret and allow-list)."""
    settings = pair.rs.ctx.settings
    for name, value in (("DATABASE_URL", settings.database_url), ("ENVIRONMENT", "test"),
                        ("COUNTRY_CODE", "RS"), ("SECRET_KEY", settings.secret_key),
                        ("WEBHOOK_ALLOWED_NETWORKS", "127.0.0.1/32")):
        monkeypatch.setenv(f"CLEARWAY_{name}", value)
    get_settings.cache_clear()
    yield pair
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_public_key_partners_agreements_and_delivery_by_command(as_rs: Pair,
                                                                  tmp_path: Path) -> None:
    pair = as_rs
    code, printed = run("exchange", "public-key")
    assert code == 0 and printed == signing.public_pem(pair.rs.key)

    key_file = tmp_path / "mk.pem"
    key_file.write_text(signing.public_pem(pair.mk.key))
    code, printed = run("partners", "add", "MK", "--name", "Customs MK", "--url",
                        pair.mk.inbox_url, "--public-key", str(key_file))
    assert code == 0, printed
    assert "MK" in run("partners", "list")[1]
    code, printed = run("agreements", "import", str(AGREEMENT_FILE))
    assert code == 0 and "RS-MK-2026" in printed

    message_id = pair.send()
    code, printed = run("exchange", "deliver", "--once")
    assert code == 0 and "1 delivered" in printed, printed
    assert service.list_inbox(pair.mk.ctx)[0]["message_id"] == message_id
    assert "1 delivered" in run("exchange", "status")[1]
    with pair.rs.ctx.uow(read_only=True) as uow:
        actions = uow.session.execute(select(AuditRow.action).where(
            AuditRow.actor == "administrator:cli")).scalars().all()
    assert actions == ["partner.updated", "agreement.loaded"]


@pytest.mark.parametrize(("args", "code"), [
    (["XX1", "--url", "http://127.0.0.1:9/x"], "CW-EXCH-PARTNER"),
    (["AL", "--url", "ftp://example.org/inbox"], "CW-EXCH-PARTNER"),
    (["RS", "--url", "https://rs.example/inbox"], "CW-EXCH-PARTNER"),  # itself
])
def test_partners_add_refuses_what_cannot_work(as_rs: Pair, tmp_path: Path,
                                               args: list[str], code: str) -> None:
    key_file = tmp_path / "key.pem"
    key_file.write_text(signing.public_pem(as_rs.mk.key))
    exit_code, printed = run("partners", "add", args[0], "--name", "Somebody", *args[1:],
                             "--public-key", str(key_file))
    assert exit_code == 2 and code in printed


def test_a_partner_with_this_administrations_own_key_is_refused(as_rs: Pair,
                                                                tmp_path: Path) -> None:
    key_file = tmp_path / "own.pem"
    key_file.write_text(signing.public_pem(as_rs.rs.key))
    exit_code, printed = run("partners", "add", "AL", "--name", "Same secret", "--url",
                             "https://al.example/inbox", "--public-key", str(key_file))
    assert exit_code == 2 and "CW-EXCH-PARTNER" in printed and "own" in printed


def test_a_public_key_that_is_not_ed25519_is_refused(as_rs: Pair, tmp_path: Path) -> None:
    key_file = tmp_path / "key.pem"
    key_file.write_text("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    exit_code, printed = run("partners", "add", "AL", "--name", "Customs AL", "--url",
                             "https://customs.example/inbox", "--public-key", str(key_file))
    assert exit_code == 2 and "CW-EXCH-PARTNER" in printed


def test_agreements_import_lists_every_problem(as_rs: Pair, tmp_path: Path) -> None:
    bad = tmp_path / "bad-agreement.yaml"
    bad.write_text("- id: X\n  parties: [RS]\n")
    exit_code, printed = run("agreements", "import", str(bad))
    assert exit_code == 2 and "CW-EXCH-AGREEMENT" in printed


def test_staff_read_and_administrators_manage_over_the_api(ctx: Context) -> None:
    admin = {"Authorization": f"Bearer {make_token(ctx, 'x-admin', 'administrator')}"}
    auditor = {"Authorization": f"Bearer {make_token(ctx, 'x-auditor', 'auditor')}"}
    other = signing.public_pem(signing.exchange_key(ctx.settings.model_copy(
        update={"secret_key": "mk-" + "y" * 40})))
    with TestClient(create_app(ctx)) as client:
        saved = client.post("/api/v1/exchange/partners", headers=admin, json={
            "code": "MK", "name": "Customs MK", "inbox_url": "https://mk.example/inbox",
            "public_key_pem": other})
        assert saved.status_code == 200, saved.text
        loaded = client.post("/api/v1/exchange/agreements", headers={
            **admin, "Content-Type": "application/yaml"}, content=AGREEMENT_FILE.read_bytes())
        assert loaded.status_code == 200 and loaded.json()[0]["id"] == "RS-MK-2026"
        assert client.post("/api/v1/exchange/partners", headers=auditor,
                           json={}).status_code == 403
        partners = client.get("/api/v1/exchange/partners", headers=auditor).json()
        assert [p["code"] for p in partners] == ["MK"]
        (agreement,) = client.get("/api/v1/exchange/agreements", headers=auditor).json()
        assert "note" in agreement["purposes"]["risk-analysis"]
        assert client.get("/api/v1/exchange/outbox", headers=auditor).json() == {
            "counts": {}, "items": []}
        assert client.get("/api/v1/exchange/received", headers=auditor).json() == []
        key = client.get("/api/v1/exchange/public-key", headers=auditor)
        assert key.text == signing.public_pem(signing.exchange_key(ctx.settings))
