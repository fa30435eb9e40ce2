"""The audit chain verifies, and names the first entry after any direct edit."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from clearway.audit import repository
from clearway.audit.service import verify
from clearway.context import Context


def _fill(ctx: Context, n: int) -> None:
    with ctx.uow() as uow:
        for i in range(n):
            repository.append(uow.session, at=ctx.clock.now(), actor="officer:o1",
                              action="declaration.read", object_type="declaration",
                              object_id=f"D{i}", detail={"i": i})
        uow.commit()


def test_intact_chain_verifies(ctx: Context) -> None:
    _fill(ctx, 5)
    broken, count = verify(ctx)
    assert broken is None and count == 5


@pytest.mark.parametrize(("statement", "entry"), [
    ("UPDATE audit_entries SET actor = 'someone-else' WHERE id = 3", 3),
    ("UPDATE audit_entries SET detail = '{\"i\": 99}' WHERE id = 2", 2),
    ("DELETE FROM audit_entries WHERE id = 4", 4),
    ("DELETE FROM audit_entries WHERE id = 6", 6),
    ("INSERT INTO audit_entries (id, at, actor, action, object_type, object_id, detail, "
     "prev_hash, hash) SELECT 7, at, actor, action, object_type, object_id, detail, hash, "
     "'forged' FROM audit_entries WHERE id = 6", 7),
])
def test_direct_edits_are_detected(ctx: Context, statement: str, entry: int) -> None:
    _fill(ctx, 6)
    with ctx.engine.begin() as conn:
        conn.execute(text(statement))
    broken, _ = verify(ctx)
    assert broken is not None and broken.entry_id == entry, broken
