"""What a green acceptance does inside its write transaction: the writes, the capacity read,
the trader's record and the audit head; the assessment is made before it (`clearance/early`)
and the declaration row is updated once (MRN and last status together), the events and the
notifications are one insert each. A guard on the path's statement count, not a timing."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import event

from clearway.bootstrap import prepare
from clearway.clearance import acceptance, early, lodging
from clearway.context import Context
from clearway.identity import Role, User
from helpers import TRADER, import_doc

TRADER_USER = User(id=1, name="t", role=Role.TRADER, trader_id=TRADER)

# (statement kind, table): how many times inside the acceptance's transaction.
EXPECTED = {
    ("INSERT", "declarations"): 1, ("INSERT", "declaration_items"): 1,
    ("INSERT", "declaration_parties"): 1, ("INSERT", "declaration_versions"): 1,
    ("SELECT", "arrival_containers"): 1,  # pre-arrival matching: the filing has a container
    ("SELECT", "trader_records"): 1, ("INSERT", "risk_decisions"): 1,
    ("UPDATE", "declarations"): 1, ("INSERT", "declaration_events"): 1,
    ("INSERT", "notifications"): 1, ("INSERT", "trader_records"): 1,
    ("SELECT", "audit_head"): 1, ("INSERT", "audit_entries"): 1, ("UPDATE", "audit_head"): 1,
    # the shared watch lists: one indexed lookup of the filing's parties, containers and
    # means of transport (docs/border.md); no alert, so nothing written
    ("SELECT", "watch_keys"): 1,
}


def kind(statement: str) -> tuple[str, str] | None:
    words = statement.split()
    verb = words[0].upper()
    if verb == "INSERT":
        return verb, words[2]
    if verb == "UPDATE":
        return verb, words[1]
    if verb == "SELECT":
        return verb, words[words.index("FROM") + 1].split(".")[0] if "FROM" in words else ""
    return None  # BEGIN, COMMIT, SAVEPOINT: not the use case's own


def test_a_green_acceptance_writes_each_thing_once(
        ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare(ctx)
    ctx.settings = ctx.settings.model_copy(update={"random_share": 0.0})
    # A first filing: on an emptied database it re-creates the audit chain's head.
    lodging.submit(ctx, json.dumps(import_doc(lrn="STMT-0")).encode(), "application/json",
                   TRADER_USER)
    data = json.dumps(import_doc(lrn="STMT-1")).encode()
    parsed, checked = lodging.prepare(ctx, data, "application/json", TRADER_USER)
    assert checked is not None and checked.early is not None
    inside: list[tuple[str, str] | None] = []
    assessed: list[Any] = []
    monkeypatch.setattr(acceptance, "assess", lambda *a, **k: assessed.append(a))
    monkeypatch.setattr(early, "assess", lambda *a, **k: assessed.append(a))

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        inside.append(kind(statement))

    event.listen(ctx.engine, "before_cursor_execute", count)
    try:
        out = lodging.submit(ctx, data, "application/json", TRADER_USER, parsed, checked)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", count)
    assert out.kind == "created" and out.row.status == "released"
    assert not assessed  # the early assessment stood: no engine call under the lock
    got = Counter(k for k in inside if k is not None)
    assert dict(got) == EXPECTED
