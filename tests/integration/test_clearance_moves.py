"""Every transition of a declaration's life cycle goes through the one move function
(`clearance.moves.move`) and writes its event, the trader's notification and the audit entry in
the same unit of work. The table names each transition (from, to) with the use case that makes
it; together they cover every transition the life cycle allows."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from clearway.agencies import service as agencies
from clearway.agencies.model import AgencyDecision, DecisionIn
from clearway.clearance import (
    acceptance,
    agency_work,
    changes,
    control_work,
    lodging,
    moves,
    officer_actions,
    overrides,
)
from clearway.clearance import agencies as single_window
from clearway.context import Context
from clearway.controls import repository as controls_repo
from clearway.controls.model import ControlResult, Seizure
from clearway.declarations.lifecycle import TRANSITIONS
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.overrides.model import Kind
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import AuditRow, DeclarationRow, EventRow, NotificationRow
from controls_world import World, force, lodge, office, staff
from helpers import VALID_IMPORT, import_doc

USE_CASE_MODULES = (lodging, changes, acceptance, control_work, officer_actions, overrides,
                    single_window)
SEIZED = (Seizure(1, "counterfeit shavers", Decimal("20"), "pcs"),)
Step = Callable[[Context, World], int]


def _red(ctx: Context, world: World, lrn: str) -> DeclarationRow:
    force(ctx, Channel.RED)
    return lodge(ctx, world, lrn)


def _green(ctx: Context, world: World, lrn: str, *, auto_release: bool = False
           ) -> DeclarationRow:
    force(ctx, Channel.GREEN, None)
    ctx.settings = ctx.settings.model_copy(update={"auto_release": auto_release})
    return lodge(ctx, world, lrn)


def _task_id(ctx: Context, row: DeclarationRow) -> int:
    with ctx.uow(read_only=True) as uow:
        (task,) = controls_repo.open_tasks_of(uow.session, row.id)
        return task.id


def _under_control(ctx: Context, world: World, lrn: str) -> tuple[DeclarationRow, int]:
    row = _red(ctx, world, lrn)
    task = _task_id(ctx, row)
    control_work.start_task(ctx, task, world.qualified)
    return row, task


def _detained(ctx: Context, world: World, lrn: str) -> DeclarationRow:
    row, task = _under_control(ctx, world, lrn)
    control_work.record_result(ctx, task, ControlResult("irregular", "detain", ("drugs",)),
                               world.qualified)
    return row


def _spot_checked(ctx: Context, world: World, lrn: str) -> DeclarationRow:
    """Green goods an officer puts under control from the declaration (no task yet)."""
    row = _green(ctx, world, lrn)
    officer_actions.officer_action(ctx, _mrn(row), "start-control", None, world.qualified)
    return row


def _accepted(ctx: Context, world: World, lrn: str) -> DeclarationRow:
    """A filing accepted but not yet decided (the life cycle allows every move from there)."""
    row = _green(ctx, world, lrn)
    with ctx.uow() as uow:
        uow.session.execute(update(DeclarationRow).where(DeclarationRow.id == row.id)
                            .values(status=S.ACCEPTED))
        uow.commit()
    return row


def _refused(ctx: Context, world: World, lrn: str, *, then: str | None = None
             ) -> DeclarationRow:
    """Oranges without their certificate, refused by plant health: at once (green goods),
    or once under control or detained (`then`)."""
    with ctx.uow() as uow:
        agencies.load_packaged_if_empty(uow.session, now=ctx.clock.now(), actor="system")
        uow.commit()
    ctx.matrix.invalidate()
    items = json.loads(json.dumps(VALID_IMPORT["items"]))
    items[0]["commodity_code"] = "080510"
    if then is None:
        force(ctx, Channel.GREEN, None)
        row = lodge(ctx, world, lrn, items=items)
    else:
        force(ctx, Channel.RED)
        row = lodge(ctx, world, lrn, items=items)
        task = _task_id(ctx, row)
        control_work.start_task(ctx, task, world.qualified)
        if then == S.DETAINED:
            control_work.record_result(ctx, task, ControlResult("irregular", "detain",
                                                                ("drugs",)), world.qualified)
    (found,) = agency_work.list_tasks(ctx, staff(ctx, f"ph-{lrn}".lower(), "agency_supervisor",
                                                 "PH"))
    agency_work.decide(ctx, found.id, DecisionIn(AgencyDecision.REFUSE, "pest found: "
                                                 "citrus black spot"),
                       staff(ctx, f"ph-o-{lrn}".lower(), "agency_officer", "PH"))
    return row


def refused(then: str | None) -> Step:
    def step(ctx: Context, world: World) -> int:
        return _refused(ctx, world, f"MV-REF-{then or 'green'}".upper(), then=then).id
    return step


def _mrn(row: DeclarationRow) -> str:
    assert row.mrn is not None
    return row.mrn


def lodged_valid(ctx: Context, world: World) -> int:
    return lodge(ctx, world, "MV-ACC").id


def lodged_invalid(ctx: Context, world: World) -> int:
    doc = json.dumps(import_doc(lrn="MV-REJ", item_count=7)).encode()
    out = lodging.submit(ctx, doc, "application/json", world.trader)
    assert out.kind == "rejected"
    return out.row.id


def decided(ctx: Context, world: World) -> int:
    return _red(ctx, world, "MV-DEC").id


def released_at_once(ctx: Context, world: World) -> int:
    return _green(ctx, world, "MV-AUTO", auto_release=True).id


def started(ctx: Context, world: World) -> int:
    return _under_control(ctx, world, "MV-START")[0].id


def result(action: str) -> Step:
    def step(ctx: Context, world: World) -> int:
        row, task = _under_control(ctx, world, f"MV-R-{action}")
        outcome = ControlResult("regular", "release") if action == "release" else \
            ControlResult("irregular", action, ("ipr_infringement",),
                          seizures=SEIZED if action == "seize" else ())
        control_work.record_result(ctx, task, outcome, world.qualified)
        return row.id
    return step


def officer(action: str, setup: Callable[[Context, World, str], Any],
            **extra: Any) -> Step:
    def step(ctx: Context, world: World) -> int:
        made = setup(ctx, world, f"O-{action[:3]}-{setup.__name__[1:7]}".replace("_", "").upper())
        row = made[0] if isinstance(made, tuple) else made
        reason = "goods never arrived" if action in ("invalidate", "seize") else None
        officer_actions.officer_action(ctx, _mrn(row), action, reason, world.qualified,
                                       **extra)
        return row.id
    return step


def trader_cancels(setup: Callable[[Context, World, str], DeclarationRow]) -> Step:
    def step(ctx: Context, world: World) -> int:
        row = setup(ctx, world, f"C-{setup.__name__[1:6]}".upper())
        changes.cancel(ctx, _mrn(row), "lodged twice", world.trader)
        return row.id
    return step


def four_eyes(kind: Kind, setup: Callable[[Context, World, str], Any]) -> Step:
    def step(ctx: Context, world: World) -> int:
        made = setup(ctx, world, f"MV-4-{kind}")
        row = made[0] if isinstance(made, tuple) else made
        asked = overrides.request(ctx, _mrn(row), kind, None, "a written reason, checked",
                                  world.qualified)
        overrides.approve(ctx, asked.id, None, world.supervisor)
        return row.id
    return step


MOVES: list[tuple[str, str, str, Step]] = [
    (S.LODGED, S.ACCEPTED, "lodging.submit", lodged_valid),
    (S.LODGED, S.REJECTED, "lodging.submit", lodged_invalid),
    (S.ACCEPTED, S.RISK_ASSESSED, "acceptance.decide_on_acceptance", decided),
    (S.ACCEPTED, S.UNDER_CONTROL, "officer_actions start-control",
     officer("start-control", _accepted)),
    (S.ACCEPTED, S.RELEASED, "officer_actions release", officer("release", _accepted)),
    (S.ACCEPTED, S.CANCELLED, "changes.cancel", trader_cancels(_accepted)),
    (S.ACCEPTED, S.INVALIDATED, "officer_actions invalidate",
     officer("invalidate", _accepted)),
    (S.RISK_ASSESSED, S.UNDER_CONTROL, "control_work.start_task", started),
    (S.RISK_ASSESSED, S.RELEASED, "acceptance, automatic release", released_at_once),
    (S.RISK_ASSESSED, S.CANCELLED, "changes.cancel", trader_cancels(_green)),
    (S.RISK_ASSESSED, S.INVALIDATED, "officer_actions invalidate",
     officer("invalidate", _green)),
    (S.UNDER_CONTROL, S.RELEASED, "control_work.record_result", result("release")),
    (S.UNDER_CONTROL, S.DETAINED, "control_work.record_result", result("detain")),
    (S.UNDER_CONTROL, S.SEIZED, "control_work.record_result", result("seize")),
    (S.UNDER_CONTROL, S.CANCELLED, "overrides.approve (cancellation)",
     four_eyes(Kind.CANCELLATION, _under_control)),
    (S.UNDER_CONTROL, S.INVALIDATED, "officer_actions invalidate",
     officer("invalidate", _under_control)),
    (S.DETAINED, S.RELEASED, "officer_actions release", officer("release", _detained)),
    (S.DETAINED, S.SEIZED, "officer_actions seize", officer("seize", _detained)),
    (S.DETAINED, S.INVALIDATED, "officer_actions invalidate", officer("invalidate", _detained)),
    (S.RISK_ASSESSED, S.REFUSED, "agency_work.decide (refusal)", refused(None)),
    (S.UNDER_CONTROL, S.REFUSED, "agency_work.decide (refusal)", refused(S.UNDER_CONTROL)),
    (S.DETAINED, S.REFUSED, "agency_work.decide (refusal)", refused(S.DETAINED)),
    (S.REFUSED, S.SEIZED, "officer_actions seize", officer("seize", _refused)),
    (S.REFUSED, S.INVALIDATED, "officer_actions invalidate", officer("invalidate", _refused)),
]
# The same transitions made by other use cases, checked the same way.
MORE: list[tuple[str, str, str, Step]] = [
    (S.RISK_ASSESSED, S.RELEASED, "overrides.approve (waiver)", four_eyes(Kind.WAIVER, _red)),
    (S.RISK_ASSESSED, S.RELEASED, "officer_actions release", officer("release", _green)),
    (S.RISK_ASSESSED, S.UNDER_CONTROL, "officer_actions start-control",
     officer("start-control", _green)),
    (S.UNDER_CONTROL, S.RELEASED, "officer_actions release with the outcome",
     officer("release", _spot_checked, outcome="regular")),
]


def test_the_table_covers_the_whole_life_cycle() -> None:
    allowed = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert {(a, b) for a, b, _, _ in MOVES} == allowed


@pytest.mark.parametrize(("source", "target", "use_case", "step"), MOVES + MORE,
                         ids=[f"{a}->{b} by {u}" for a, b, u, _ in MOVES + MORE])
def test_each_transition_goes_through_the_one_move(
        ctx: Context, monkeypatch: pytest.MonkeyPatch, source: str, target: str,
        use_case: str, step: Step) -> None:
    world = office(ctx)
    made: list[tuple[str, str, int]] = []
    real = moves.move

    def spy(session: Any, row: DeclarationRow, to: str, **kw: Any) -> str:
        left = real(session, row, to, **kw)
        made.append((left, to, row.id))
        return left

    for module in USE_CASE_MODULES:
        monkeypatch.setattr(module, "move", spy)
    declaration = step(ctx, world)
    assert (source, target, declaration) in made, made
    with ctx.uow(read_only=True) as uow:
        s = uow.session
        row = s.get(DeclarationRow, declaration)
        assert row is not None
        key = row.mrn or str(row.id)
        events = s.execute(select(EventRow.kind).where(
            EventRow.declaration_id == declaration, EventRow.from_status == source,
            EventRow.to_status == target)).scalars().all()
        notices = s.execute(select(NotificationRow.kind).where(
            NotificationRow.declaration_id == declaration)).scalars().all()
        audited = s.execute(select(AuditRow.action).where(
            AuditRow.object_id == key)).scalars().all()
    assert events == [target]
    assert target in notices
    assert f"declaration.{target}" in audited
