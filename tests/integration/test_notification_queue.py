"""A trader's notification queue stays cheap however much was already read: pull and
acknowledge find the unacknowledged ones through their own partial index."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, text
from sqlalchemy.orm import Session

from clearway.context import Context
from clearway.notifications import service
from clearway.storage.orm import NotificationRow

READ, UNREAD = 500, 3


def _fill(ctx: Context) -> list[int]:
    """READ acknowledged and UNREAD open notifications for T-A, and open ones for T-B."""
    now = ctx.clock.now()
    rows = [dict(trader_id=trader, mrn=None, lrn=f"L{i}", kind="accepted", format="json",
                 created_at=now, payload={}, body=None, attempts=0,
                 acknowledged_at=now - timedelta(hours=1) if acked else None)
            for i, (trader, acked) in enumerate(
                [("T-A", True)] * READ + [("T-B", False)] * 2 + [("T-A", False)] * UNREAD)]
    with ctx.uow() as uow:
        uow.session.execute(insert(NotificationRow), rows)
        uow.commit()
    with ctx.uow(read_only=True) as uow:
        return [n.id for n in service.pull(uow.session, "T-A", after=0, limit=50,
                                           include_acknowledged=False)]


def _plans(ctx: Context, use: Callable[[Session], Any]) -> list[str]:
    """SQLite's query plan of every statement `use` runs against notifications."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if "notifications" in sql and not sql.startswith("EXPLAIN"):
            statements.append((sql, params))

    event.listen(ctx.engine, "before_cursor_execute", capture)
    try:
        with ctx.uow() as uow:
            use(uow.session)
            plans = [" ".join(str(r[-1]) for r in uow.session.connection().exec_driver_sql(
                f"EXPLAIN QUERY PLAN {sql}", params)) for sql, params in statements]
    finally:
        event.remove(ctx.engine, "before_cursor_execute", capture)
    return plans


def test_pull_and_acknowledge_skip_what_was_read(ctx: Context) -> None:
    unread = _fill(ctx)
    assert len(unread) == UNREAD
    with ctx.uow() as uow:
        changed = service.acknowledge(uow.session, "T-A", up_to=max(unread),
                                      at=ctx.clock.now())
        uow.commit()
    assert changed == UNREAD
    with ctx.uow(read_only=True) as uow:
        assert service.pull(uow.session, "T-A", after=0, limit=50,
                            include_acknowledged=False) == []
        assert len(service.pull(uow.session, "T-B", after=0, limit=50,
                                include_acknowledged=False)) == 2
        everything = service.pull(uow.session, "T-A", after=0, limit=1000,
                                  include_acknowledged=True)
    assert len(everything) == READ + UNREAD


CASES = [
    ("pull", lambda s: service.pull(s, "T-A", after=0, limit=50, include_acknowledged=False)),
    ("acknowledge up to", lambda s: service.acknowledge(s, "T-A", up_to=10**9, at=None)),
]


@pytest.mark.parametrize(("what", "use"), CASES)
def test_the_queue_queries_use_the_unacknowledged_index(ctx: Context, what: str,
                                                        use: Callable[[Session], Any]) -> None:
    if ctx.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's planner picks by statistics; the plan is SQLite's")
    _fill(ctx)
    with ctx.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
    plans = _plans(ctx, use)
    assert plans, what
    assert all("ix_notifications_unacknowledged" in p for p in plans), plans
