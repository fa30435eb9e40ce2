"""Control tasks on a real database: opened in the decision's transaction, assigned by the
rule to an eligible officer on duty, waiting when nobody is, reassigned with a reason,
closed by waiver or cancellation; every step audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from clearway.audit import repository as audit_repo
from clearway.audit.service import verify
from clearway.clearance import officer_actions
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.controls import service as controls
from clearway.controls.tasks import close_open_tasks
from clearway.errors import ClearwayError
from clearway.risk.engine.decision import Channel
from clearway.storage.orm_controls import ControlTaskRow, TaskAssignmentRow
from controls_world import OFFICE, QUAL, force, lodge, office, put_on_duty


def tasks(ctx: Context) -> list[ControlTaskRow]:
    with ctx.uow(read_only=True) as uow:
        return list(uow.session.execute(select(ControlTaskRow).order_by(ControlTaskRow.id))
                    .scalars())


def actions(ctx: Context, prefix: str) -> list[tuple[str, dict[str, Any]]]:
    with ctx.uow(read_only=True) as uow:
        return [(e.action, e.detail) for e in audit_repo.iter_entries(uow.session)
                if e.action.startswith(prefix)]


@pytest.mark.parametrize(("channel", "kind"), [
    (Channel.RED, "physical"), (Channel.YELLOW, "documentary"), (Channel.BLUE, "audit"),
])
def test_a_controlling_decision_opens_an_assigned_task(ctx: Context, channel: Channel,
                                                       kind: str) -> None:
    world = office(ctx)
    force(ctx, channel)
    row = lodge(ctx, world, "T-1")
    (task,) = tasks(ctx)
    assert (task.declaration_id, task.channel, task.kind, task.status, task.office) == (
        row.id, str(channel), kind, "assigned", OFFICE)
    assert task.officer_id == world.qualified.id  # the only eligible one
    assert task.qualifications == [QUAL] and task.origin == "decision"
    assert "weigh every carton" in task.instructions
    assert any("forced for the test" in r for r in task.reasons)
    (assigned,) = actions(ctx, "control_task.")
    assert assigned[0] == "control_task.assigned" and assigned[1]["eligible"] == 1
    assert verify(ctx)[0] is None


def test_green_opens_no_task(ctx: Context) -> None:
    world = office(ctx)
    force(ctx, Channel.GREEN, None)
    lodge(ctx, world, "T-G")
    assert tasks(ctx) == []


def test_without_an_eligible_officer_the_task_waits_then_a_shift_assigns_it(
        ctx: Context, clock: FixedClock) -> None:
    world = office(ctx, on_duty=False)
    force(ctx, Channel.RED)
    lodge(ctx, world, "T-W")
    assert [t.status for t in tasks(ctx)] == ["awaiting_officer"]
    assert [a for a, _ in actions(ctx, "control_task.")] == ["control_task.awaiting_officer"]
    assert controls.assign_waiting(ctx) == 0
    put_on_duty(ctx, world)  # adding shifts assigns what waits
    (task,) = tasks(ctx)
    assert (task.status, task.officer_id) == ("assigned", world.qualified.id)


def test_workload_balances_between_equally_eligible_officers(ctx: Context) -> None:
    world = office(ctx)
    force(ctx, Channel.RED, None)  # no qualification needed: both here are eligible
    for n in range(6):
        lodge(ctx, world, f"T-B{n}")
    got = [t.officer_id for t in tasks(ctx)]
    assert sorted(got.count(o) for o in (world.qualified.id, world.unqualified.id)) == [3, 3]
    assert world.elsewhere.id not in got and world.off_duty.id not in got


def test_reassignment_needs_a_reason_and_an_eligible_officer(ctx: Context) -> None:
    world = office(ctx)
    force(ctx, Channel.RED, None)
    lodge(ctx, world, "T-R")
    (task,) = tasks(ctx)
    other = world.unqualified if task.officer_id == world.qualified.id else world.qualified
    for officer_id, reason, code in ((other.id, " ", "CW-REASON-REQUIRED"),
                                     (world.elsewhere.id, "sick", "CW-TASK-INELIGIBLE"),
                                     (world.off_duty.id, "sick", "CW-TASK-INELIGIBLE"),
                                     (task.officer_id, "sick", "CW-TASK-INELIGIBLE")):
        with pytest.raises(ClearwayError) as err:
            controls.reassign(ctx, task.id, officer_id, reason, world.supervisor)
        assert err.value.code == code
    controls.reassign(ctx, task.id, other.id, "officer called away", world.supervisor)
    with ctx.uow(read_only=True) as uow:
        rows = list(uow.session.execute(select(TaskAssignmentRow.by, TaskAssignmentRow.reason)
                                        .order_by(TaskAssignmentRow.id)))
    assert rows == [("system", None), (world.supervisor.actor, "officer called away")]
    (_, detail), = actions(ctx, "control_task.reassigned")
    assert detail["reason"] == "officer called away" and detail["officer_id"] == other.id


def test_close_open_tasks_waives_them_audited(ctx: Context) -> None:
    world = office(ctx)
    force(ctx, Channel.RED)
    row = lodge(ctx, world, "T-C")
    with ctx.uow() as uow:
        closed = close_open_tasks(uow.session, declaration_id=row.id, status="waived",
                                  now=ctx.clock.now(), actor="supervisor:sup",
                                  reason="four-eyes waiver 1")
        again = close_open_tasks(uow.session, declaration_id=row.id, status="cancelled",
                                 now=ctx.clock.now(), actor="supervisor:sup", reason="x")
        uow.commit()
    assert (closed, again) == (1, 0)
    assert [t.status for t in tasks(ctx)] == ["waived"]
    (_, detail), = actions(ctx, "control_task.waived")
    assert detail["reason"] == "four-eyes waiver 1"


def test_start_control_goes_through_the_task(ctx: Context) -> None:
    world = office(ctx)
    force(ctx, Channel.RED)
    row = lodge(ctx, world, "T-S")
    assert row.mrn is not None
    with pytest.raises(ClearwayError) as err:
        officer_actions.officer_action(ctx, row.mrn, "start-control", None, world.unqualified)
    assert err.value.code == "CW-TASK-REQUIRED"
    started = officer_actions.officer_action(ctx, row.mrn, "start-control", None,
                                          world.qualified)
    assert started.status == "under_control"
    assert [t.status for t in tasks(ctx)] == ["in_progress"]
    released = officer_actions.officer_action(ctx, row.mrn, "release", None, world.qualified,
                                           outcome="regular")
    assert released.status == "released" and [t.status for t in tasks(ctx)] == ["done"]


def test_release_of_a_control_without_task_records_a_manual_one(ctx: Context,
                                                                clock: FixedClock) -> None:
    world = office(ctx)
    force(ctx, Channel.GREEN, None)
    row = lodge(ctx, world, "T-M")
    assert row.mrn is not None
    officer_actions.officer_action(ctx, row.mrn, "start-control", None, world.unqualified)
    clock.advance(minutes=30)
    officer_actions.officer_action(ctx, row.mrn, "release", None, world.unqualified,
                                outcome="irregular")
    (task,) = tasks(ctx)
    assert (task.origin, task.status, task.officer_id) == ("manual", "done",
                                                           world.unqualified.id)
    assert task.completed_at == task.started_at + timedelta(minutes=30)
