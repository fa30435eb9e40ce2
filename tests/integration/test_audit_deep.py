"""`audit verify --deep`: business records edited behind the application's back (a direct
UPDATE, INSERT or DELETE) disagree with the audit chain, which stays intact, and the first
such record is named with its table, key and what differs. The world is the demo's seeded
history (lodged, decided, controlled, overridden, released, rejected) plus one declaration
amended twice, so that every kind of record exists."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from clearway.audit.service import verify_report
from clearway.clearance import changes, lodging
from clearway.cli.main import app
from clearway.config import get_settings
from clearway.context import Context
from clearway.demo.history import seed_history
from clearway.identity import Role, User
from clearway.users.service import register
from helpers import TRADER, import_doc

TRADERS = [TRADER, "RS101456782", "RS103890124", "RS104012345"]
AMENDED = "DEEP-AMENDED-1"


@pytest.fixture
def world(ctx: Context) -> Context:
    seed_history(ctx, TRADERS, declarations=40, days=5, seed=5, train=False, spot_checks=0.7)
    register(ctx, name="clerk", role="officer", trader_id=None, actor="administrator:cli")
    trader = User(id=0, name="t", role=Role.TRADER, trader_id=TRADER)
    ctx.settings.auto_release = False  # stays risk_assessed: it can be amended
    doc = import_doc(lrn=AMENDED)
    lodged = lodging.submit(ctx, json.dumps(doc).encode(), "application/json", trader)
    assert lodged.kind == "created", lodged.errors
    for n in (1, 2):
        doc["items"][0]["description"] = f"Cotton T-shirts, amended {n}"
        changes.amend_by_key(ctx, lodged.row.mrn or "", json.dumps(doc).encode(),
                                  "application/json", trader)
    return ctx


def _one(ctx: Context, query: str) -> Any:
    with ctx.engine.connect() as conn:
        found = conn.execute(text(query)).first()
    assert found is not None, query
    return found


def _run(ctx: Context, statement: str, **params: Any) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(text(statement), params)


def _json(ctx: Context) -> str:
    return "CAST(:v AS JSON)" if ctx.engine.dialect.name == "postgresql" else ":v"


def edit_document(*, rehash: bool) -> Callable[[Context], None]:
    def tamper(ctx: Context) -> None:
        row = _one(ctx, f"SELECT id, document FROM declarations WHERE lrn = '{AMENDED}'")
        doc = row.document if isinstance(row.document, dict) else json.loads(row.document)
        doc["items"][0]["description"] = "Nothing to see"
        _run(ctx, f"UPDATE declarations SET document = {_json(ctx)} WHERE id = :id",
             v=json.dumps(doc), id=row.id)
        if rehash:  # as a careful forger would: the row's own hash agrees again
            from clearway.audit.deep_records import document_hash
            _run(ctx, "UPDATE declarations SET content_hash = :h WHERE id = :id",
                 h=document_hash(doc), id=row.id)
    return tamper


def sql(statement: str) -> Callable[[Context], None]:
    return lambda ctx: _run(ctx, statement)


def edit_version_document(ctx: Context) -> None:
    row = _one(ctx, "SELECT declaration_id, version, document FROM declaration_versions "
               "ORDER BY declaration_id LIMIT 1")
    doc = row.document if isinstance(row.document, dict) else json.loads(row.document)
    doc["lrn"] = doc["lrn"] + "X"
    _run(ctx, f"UPDATE declaration_versions SET document = {_json(ctx)} WHERE "
         "declaration_id = :d AND version = :v2", v=json.dumps(doc), d=row.declaration_id,
         v2=row.version)


FIRST_RELEASED = "(SELECT MIN(id) FROM declarations WHERE status = 'released')"
FIRST_RESULT = "(SELECT MIN(task_id) FROM control_results)"

# (name, tampering, table named, field named)
TAMPERING: list[tuple[str, Callable[[Context], None], str, str]] = [
    ("declarations.document", edit_document(rehash=False), "declarations", "document"),
    ("declarations.document and its hash", edit_document(rehash=True), "declarations",
     "content_hash"),
    ("declarations.status", sql("UPDATE declarations SET status = 'cancelled' WHERE id = "
                                + FIRST_RELEASED), "declarations", "status"),
    ("declarations.version", sql("UPDATE declarations SET version = 1 WHERE lrn = "
                                 f"'{AMENDED}'"), "declarations", "version"),
    ("declaration_versions.raw", lambda ctx: _run(
        ctx, "UPDATE declaration_versions SET raw = :raw WHERE version = 2",
        raw=b'{"lrn": "what was really sent"}'), "declaration_versions", "raw"),
    ("declaration_versions.document", edit_version_document, "declaration_versions",
     "document"),
    ("declaration_versions deleted", sql("DELETE FROM declaration_versions WHERE version = 3"),
     "declaration_versions", "row"),
    ("declaration_events.actor", sql(
        "UPDATE declaration_events SET actor = 'officer:scapegoat' WHERE id = (SELECT MIN(id) "
        "FROM declaration_events WHERE kind = 'under_control')"), "declaration_events",
     "event"),
    ("declaration_events deleted", sql(
        "DELETE FROM declaration_events WHERE id = (SELECT MIN(id) FROM declaration_events "
        "WHERE kind = 'released')"), "declaration_events", "event"),
    ("declaration_events inserted", sql(
        "INSERT INTO declaration_events (declaration_id, at, kind, from_status, to_status, "
        "actor, detail) SELECT declaration_id, at, kind, from_status, to_status, actor, detail "
        "FROM declaration_events WHERE id = (SELECT MIN(id) FROM declaration_events)"),
     "declaration_events", "event"),
    ("control_results.outcome", sql(
        "UPDATE control_results SET outcome = CASE WHEN outcome = 'regular' THEN 'irregular' "
        f"ELSE 'regular' END WHERE task_id = {FIRST_RESULT}"), "control_results", "outcome"),
    ("control_results.revenue", sql("UPDATE control_results SET revenue = revenue + 1000 "
                                    f"WHERE task_id = {FIRST_RESULT}"), "control_results",
     "revenue"),
    ("control_results deleted", sql(f"DELETE FROM control_results WHERE task_id = "
                                    f"{FIRST_RESULT}"), "control_results", "row"),
    ("risk_decisions.channel", sql(
        "UPDATE risk_decisions SET channel = CASE WHEN channel = 'green' THEN 'red' ELSE "
        "'green' END WHERE declaration_id = (SELECT MIN(declaration_id) FROM risk_decisions)"),
     "risk_decisions", "channel"),
    ("users.role", sql("UPDATE users SET role = 'administrator' WHERE name = 'clerk'"), "users",
     "role"),
    ("users inserted", sql(
        "INSERT INTO users (name, role, trader_id, token_hash, created_at, expires_at) "
        "SELECT 'mallory', 'administrator', NULL, 'x', created_at, expires_at FROM users "
        "WHERE name = 'clerk'"), "users", "row"),
    ("users.revoked_at cleared", sql(
        "UPDATE users SET revoked_at = created_at WHERE name = 'clerk'"), "users", "revoked"),
]


def test_untouched_records_agree_with_the_chain(world: Context) -> None:
    report = verify_report(world, deep=True)
    assert report.broken is None, report.broken
    assert report.records > 40 and report.mismatch is None


@pytest.mark.parametrize(("tamper", "table", "field"), [t[1:] for t in TAMPERING],
                         ids=[t[0] for t in TAMPERING])
def test_each_edited_table_is_named(world: Context, tamper: Callable[[Context], None],
                                    table: str, field: str) -> None:
    tamper(world)
    assert verify_report(world).broken is None  # the chain alone cannot see it
    report = verify_report(world, deep=True)
    found = report.mismatch
    assert found is not None and report.broken is not None, "not caught"
    assert report.broken.kind == "record"
    assert (found.table, found.field) == (table, field), found


def test_cli_deep_exit_code(world: Context, db_url: str, monkeypatch: pytest.MonkeyPatch
                            ) -> None:
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        intact = runner.invoke(app, ["audit", "verify", "--deep"])
        assert intact.exit_code == 0 and "stored records agree" in intact.output
        _run(world, "UPDATE users SET role = 'administrator' WHERE name = 'clerk'")
        assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
        caught = runner.invoke(app, ["audit", "verify", "--deep"])
        assert caught.exit_code == 3, caught.output
        assert "users clerk: role is 'administrator'" in caught.output
    finally:
        get_settings.cache_clear()
