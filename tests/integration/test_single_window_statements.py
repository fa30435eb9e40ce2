"""What the single window adds to an acceptance's transaction, statement by statement: the
agency tasks, their steps and the hold one insert each (no read of the agencies, which the
matrix cache keeps, nor of the tasks just written), and the licence register one locking
read, one line update and one write-off insert. A guard on the path's statements (the
benchmark `benchmarks/single_window.py` times it), with the rows it writes checked too."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, select

from agency_world import BEEF, ORANGES, agency_world, lodge, tasks
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import EventRow
from clearway.storage.orm_agencies import AgencyHoldRow, AgencyStepRow
from controls_world import force
from licences_world import balance, declaring, register
from licences_world import lodge as lodge_licensed


def kind(statement: str) -> tuple[str, str] | None:
    words = statement.split()
    verb = words[0].upper()
    if verb == "INSERT":
        return verb, words[2]
    if verb == "UPDATE":
        return verb, words[1]
    if verb == "SELECT" and "FROM" in words:
        return verb, words[words.index("FROM") + 1].split(".")[0]
    return None


@contextmanager
def counted(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[Any]]:
    """The statements run inside the block, the matrix cache held still (its own rechecks,
    every few seconds in its own session, are not the acceptance's)."""
    matrix = ctx.matrix.get()
    monkeypatch.setattr(ctx.matrix, "get", lambda: matrix)
    got: Counter[Any] = Counter()

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        got[kind(statement)] += 1

    event.listen(ctx.engine, "before_cursor_execute", count)
    try:
        yield got
    finally:
        event.remove(ctx.engine, "before_cursor_execute", count)


def test_routing_writes_tasks_steps_and_hold_once_each(
        ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    world = agency_world(ctx)
    lodge(ctx, world, "SW-WARM", [BEEF])   # the caches filled
    with counted(ctx, monkeypatch) as got:
        row = lodge(ctx, world, "SW-STMT", [BEEF, ORANGES])
    mine = {k: n for k, n in got.items() if k is not None and k[1].startswith("agenc")}
    assert mine == {("INSERT", "agency_tasks"): 1, ("INSERT", "agency_task_steps"): 1,
                    ("INSERT", "agency_holds"): 1, ("UPDATE", "agency_holds"): 1}
    found = tasks(ctx, row)
    assert {a: (t.selected, t.status) for a, t in found.items()} == {
        "PH": (True, "open"), "VET": (True, "open")}
    with ctx.uow(read_only=True) as uow:
        s = uow.session
        steps = s.execute(select(AgencyStepRow).order_by(AgencyStepRow.id)).scalars().all()
        hold = s.get(AgencyHoldRow, row.id)
        cleared = s.execute(select(EventRow).where(EventRow.declaration_id == row.id,
                                                   EventRow.kind == "customs_cleared")).scalar()
    ours = [(st.task_id, st.step, st.detail) for st in steps
            if st.task_id in {t.id for t in found.values()}]
    assert ours == [(found["PH"].id, "routed", {"items": [2], "selected": True}),
                    (found["VET"].id, "routed", {"items": [1], "selected": True})]
    assert hold is not None and hold.customs_cleared_at is not None
    assert cleared is not None and cleared.detail["waiting_for"] == ["PH", "VET"]


def test_a_licence_is_read_locked_drawn_and_written_off_in_three_statements(
        ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare(ctx)
    force(ctx, Channel.GREEN, None)
    register(ctx)
    lodge_licensed(ctx, declaring(lrn="LIC-WARM", net_mass="100"))
    with counted(ctx, monkeypatch) as got:
        out = lodge_licensed(ctx, declaring(lrn="LIC-STMT", net_mass="60"))
    assert out.kind == "created"
    mine = {k: n for k, n in got.items() if k is not None and k[1].startswith("licence")}
    assert mine == {("SELECT", "licences"): 1, ("UPDATE", "licence_lines"): 1,
                    ("INSERT", "licence_write_offs"): 1}
    assert balance(ctx) == (Decimal("240"), None)
