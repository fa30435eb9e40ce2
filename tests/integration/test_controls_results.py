"""Recording a control result is one unit of work: the result, the task, the declaration's
move, its notification, the audit entries and the feedback land together or not at all.
Post-clearance audits record their finding without moving the released goods."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from clearway.audit.service import verify
from clearway.clearance import control_work
from clearway.context import Context
from clearway.controls import service as controls
from clearway.controls.model import ControlResult, Seizure
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import DeclarationRow, NotificationRow
from clearway.storage.orm_controls import ControlResultRow, ControlTaskRow
from controls_world import force, lodge, office

SEIZED = (Seizure(1, "counterfeit shavers", Decimal("20"), "pcs"),)


def state(ctx: Context, declaration_id: int) -> dict[str, Any]:
    with ctx.uow(read_only=True) as uow:
        s = uow.session
        return {
            "declaration": s.get(DeclarationRow, declaration_id).status,  # type: ignore[union-attr]
            "tasks": list(s.execute(select(ControlTaskRow.status)).scalars()),
            "results": s.execute(select(func.count()).select_from(ControlResultRow)
                                 ).scalar_one(),
            "notes": list(s.execute(select(NotificationRow.kind)
                                    .order_by(NotificationRow.id)).scalars()),
        }


@pytest.mark.parametrize(("result", "status"), [
    (ControlResult("regular", "release"), "released"),
    (ControlResult("irregular", "release", ("undervaluation",), Decimal("10")), "released"),
    (ControlResult("irregular", "detain", ("drugs",)), "detained"),
    (ControlResult("irregular", "seize", ("ipr_infringement",), seizures=SEIZED), "seized"),
])
def test_a_result_moves_the_goods_and_notifies(ctx: Context, result: ControlResult,
                                               status: str) -> None:
    world = office(ctx)
    force(ctx, Channel.RED)
    row = lodge(ctx, world, "R-1")
    (task,) = controls.list_tasks(ctx, world.qualified, office=None, status=None)
    control_work.start_task(ctx, task.id, world.qualified)
    control_work.record_result(ctx, task.id, result, world.qualified)
    after = state(ctx, row.id)
    assert (after["declaration"], after["tasks"], after["results"]) == (status, ["done"], 1)
    assert after["notes"][-1] == status
    assert verify(ctx)[0] is None


def test_a_failure_inside_the_unit_of_work_leaves_nothing(ctx: Context,
                                                          monkeypatch: Any) -> None:
    world = office(ctx)
    force(ctx, Channel.RED)
    row = lodge(ctx, world, "R-2")
    (task,) = controls.list_tasks(ctx, world.qualified, office=None, status=None)
    control_work.start_task(ctx, task.id, world.qualified)
    before = state(ctx, row.id)

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("feedback store down")

    monkeypatch.setattr(control_work, "apply_result", broken)
    with pytest.raises(RuntimeError):
        control_work.record_result(ctx, task.id, ControlResult("irregular", "detain", ("drugs",)),
                               world.qualified)
    assert state(ctx, row.id) == before
    assert before["tasks"] == ["in_progress"] and before["results"] == 0
    assert verify(ctx)[0] is None


def test_a_post_clearance_audit_keeps_the_goods_released(ctx: Context) -> None:
    world = office(ctx)
    force(ctx, Channel.BLUE)
    ctx.settings.auto_release = True
    row = lodge(ctx, world, "R-3")
    (task,) = controls.list_tasks(ctx, world.qualified, office=None, status=None)
    assert task.kind == "audit" and state(ctx, row.id)["declaration"] == "released"
    control_work.start_task(ctx, task.id, world.qualified)
    control_work.record_result(ctx, task.id, ControlResult(
        "irregular", "release", ("undervaluation",), Decimal("77.00")), world.qualified)
    after = state(ctx, row.id)
    assert (after["declaration"], after["tasks"], after["results"]) == ("released", ["done"], 1)
    assert after["notes"][-1] == "post_clearance_finding"
