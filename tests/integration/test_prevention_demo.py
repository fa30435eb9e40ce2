"""`make demo`'s prevention story: a declared link keeps officer2 from the cigarettes'
control (the task's log counts one officer left out), and the sensitive post warns."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from clearway.demo import prevention
from clearway.demo.run import prepare_side
from clearway.rotation import service as rotation
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_controls import ControlTaskRow, TaskAssignmentRow


def test_demo_shows_a_conflict_excluding_an_officer_and_a_rotation_warning(
        tmp_path: Path) -> None:
    side = prepare_side(tmp_path / "demo.db", 0, "RS")
    ctx = side.ctx
    warned = rotation.warnings(ctx, prevention.OFFICE)
    assert {e.officer for e in warned} == {"officer", "officer2", "officer3"}
    assert {e.tenure.status for e in warned} == {"warning"}
    with ctx.uow(read_only=True) as uow:
        decl = uow.session.execute(select(DeclarationRow).where(
            DeclarationRow.lrn == "DEMO-COI-0001")).scalar_one()
        task = uow.session.execute(select(ControlTaskRow).where(
            ControlTaskRow.declaration_id == decl.id)).scalar_one()
        (assigned,) = uow.session.execute(select(TaskAssignmentRow).where(
            TaskAssignmentRow.task_id == task.id)).scalars()
    assert task.officer_id not in (None, side.users["officer2"][2].id)
    assert assigned.excluded == {"relative": 1}
    ctx.engine.dispose()
