"""The audit chain verifies, and names the first entry after any direct edit."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from clearway.audit import repository
from clearway.audit.service import verify
from clearway.composition import build_context
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


def test_writers_racing_on_an_emptied_head_number_entries_without_gaps(ctx: Context) -> None:
    """With the head row gone (an emptied table), concurrent first writers re-create it once
    and still number their entries 1, 2, ... (the loser's insert does nothing, then waits)."""
    import threading

    with ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_head"))
    start, errors = threading.Barrier(4), []

    def writer(i: int) -> None:
        try:
            start.wait()
            with ctx.uow() as uow:
                repository.append(uow.session, at=ctx.clock.now(), actor="system",
                                  action="test.race", object_type="test", object_id=str(i))
                uow.commit()
        except Exception as exc:  # reported below with the thread's number
            errors.append((i, repr(exc)))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    broken, count = verify(ctx)
    assert broken is None and count == 4


def test_a_rolled_back_use_case_leaves_no_entry(ctx: Context) -> None:
    with ctx.uow() as uow:
        repository.append(uow.session, at=ctx.clock.now(), actor="system", action="test.lost",
                          object_type="test", object_id="1")
        # no commit: the unit of work rolls back
    with ctx.uow() as uow:
        repository.append(uow.session, at=ctx.clock.now(), actor="system", action="test.gone",
                          object_type="test", object_id="2")
        uow.session.rollback()   # the same session goes on after a rollback
        repository.append(uow.session, at=ctx.clock.now(), actor="system", action="test.kept",
                          object_type="test", object_id="3")
        uow.commit()
    with ctx.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, action FROM audit_entries ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, "test.kept")]
    assert verify(ctx) == (None, 1)


def test_an_open_use_case_does_not_hold_the_head(ctx: Context, db_url: str) -> None:
    """An entry queued in a transaction still open does not keep another process's writer
    from committing: the head is locked only as a transaction commits (PostgreSQL; SQLite
    has one writer at a time anyway)."""
    import threading

    if db_url.startswith("sqlite"):
        pytest.skip("SQLite writers are serialised by the database itself")
    other = build_context(ctx.settings, clock=ctx.clock)
    try:
        with ctx.uow() as slow:
            repository.append(slow.session, at=ctx.clock.now(), actor="system",
                              action="test.slow", object_type="test", object_id="slow")
            slow.session.flush()
            done = threading.Event()

            def quick() -> None:
                with other.uow() as uow:
                    repository.append(uow.session, at=ctx.clock.now(), actor="system",
                                      action="test.quick", object_type="test",
                                      object_id="quick")
                    uow.commit()
                done.set()

            writer = threading.Thread(target=quick)
            writer.start()
            assert done.wait(10), "the open transaction held the audit head"
            writer.join()
            slow.commit()
    finally:
        other.engine.dispose()
    with ctx.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, action FROM audit_entries ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, "test.quick"), (2, "test.slow")]
    assert verify(ctx)[0] is None
