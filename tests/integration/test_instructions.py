"""Instructions officers acknowledge, on a real database: who must acknowledge what (by
qualification and roster office), a new version asks for a new acknowledgement, every step
audited, the rates by office, and the instructions shown on a control task."""

from __future__ import annotations

from datetime import date

import pytest

from clearway.audit import repository as audit_repo
from clearway.audit.service import verify
from clearway.context import Context
from clearway.controls import service as controls
from clearway.errors import ClearwayError
from clearway.identity import User
from clearway.instructions import service
from clearway.instructions.model import InstructionIn
from clearway.risk.engine.decision import Channel
from controls_world import ELSEWHERE, OFFICE, World, force, lodge, office

START = date(2026, 1, 1)


def publish(ctx: Context, world: World, code: str, **terms: object) -> int:
    body = InstructionIn.model_validate({"code": code, "title": f"About {code}",
                                         "body": "Do it so.", "owner": "HQ",
                                         "valid_from": START, **terms})
    return service.publish(ctx, body, world.supervisor).version


def library(ctx: Context, world: World) -> None:
    publish(ctx, world, "COC-1")                                   # all staff
    publish(ctx, world, "VAL-7", qualifications=["valuation"], areas=["valuation"])
    publish(ctx, world, "PORT-1", offices=[OFFICE])
    publish(ctx, world, "FAR-1", offices=[ELSEWHERE])
    publish(ctx, world, "IPR-608", qualifications=["ipr"], areas=["ipr"])
    publish(ctx, world, "OLD-1", valid_to=date(2026, 6, 30))       # lapsed


def codes(ctx: Context, user: User) -> list[tuple[str, bool]]:
    return [(o.instruction.code, o.acknowledged) for o in service.mine(ctx, user)]


@pytest.mark.parametrize(("who", "expected"), [
    # Holds valuation, on duty here.
    ("qualified", ["COC-1", "PORT-1", "VAL-7"]),
    ("unqualified", ["COC-1", "PORT-1"]),
    # Holds valuation, on duty at the other office.
    ("elsewhere", ["COC-1", "FAR-1", "VAL-7"]),
    # Holds valuation, on the roster here later today: the roster counts, not the hour.
    ("off_duty", ["COC-1", "PORT-1", "VAL-7"]),
    ("supervisor", ["COC-1"]),  # on no roster, holds nothing
])
def test_who_must_acknowledge_what(ctx: Context, who: str, expected: list[str]) -> None:
    world = office(ctx)
    library(ctx, world)
    assert codes(ctx, getattr(world, who)) == [(c, False) for c in expected]


def test_a_new_version_asks_for_a_new_acknowledgement(ctx: Context) -> None:
    world = office(ctx)
    library(ctx, world)
    officer = world.qualified
    assert service.acknowledge(ctx, officer, "VAL-7", 1)[1] is True
    assert service.acknowledge(ctx, officer, "VAL-7", 1)[1] is False  # once is enough
    assert ("VAL-7", True) in codes(ctx, officer)
    assert publish(ctx, world, "VAL-7", qualifications=["valuation"]) == 2
    assert ("VAL-7", False) in codes(ctx, officer)
    with pytest.raises(ClearwayError) as caught:
        service.acknowledge(ctx, officer, "VAL-7", 1)
    assert (caught.value.code, caught.value.status) == ("CW-INSTRUCTION-VERSION", 409)
    service.acknowledge(ctx, officer, "VAL-7", 2)
    assert ("VAL-7", True) in codes(ctx, officer)
    with ctx.uow(read_only=True) as uow:
        trail = [(e.action, e.object_id, e.actor) for e in audit_repo.iter_entries(uow.session)
                 if e.action.startswith("instruction.") and "VAL-7" in e.object_id]
    assert trail == [("instruction.published", "VAL-7 v1", world.supervisor.actor),
                     ("instruction.acknowledged", "VAL-7 v1", officer.actor),
                     ("instruction.published", "VAL-7 v2", world.supervisor.actor),
                     ("instruction.acknowledged", "VAL-7 v2", officer.actor)]
    assert verify(ctx)[0] is None


@pytest.mark.parametrize(("code", "version", "error"), [
    ("OLD-1", 1, "CW-NOT-FOUND"),      # no longer in force
    ("NONE-1", 1, "CW-NOT-FOUND"),
    ("COC-1", 2, "CW-INSTRUCTION-VERSION"),
])
def test_only_the_version_in_force_is_acknowledged(ctx: Context, code: str, version: int,
                                                   error: str) -> None:
    world = office(ctx)
    library(ctx, world)
    with pytest.raises(ClearwayError) as caught:
        service.acknowledge(ctx, world.qualified, code, version)
    assert caught.value.code == error


def test_rates_by_office(ctx: Context) -> None:
    world = office(ctx)
    library(ctx, world)
    service.acknowledge(ctx, world.qualified, "COC-1", 1)
    service.acknowledge(ctx, world.qualified, "PORT-1", 1)
    service.acknowledge(ctx, world.elsewhere, "COC-1", 1)
    rates = {r.office: (r.officers, r.due, r.acknowledged) for r in service.office_rates(ctx)}
    # Here: qualified (3 due, 2 given), unqualified (2, 0), off_duty (3, 0).
    assert rates == {OFFICE: (3, 8, 2), ELSEWHERE: (1, 3, 1)}


def test_the_task_shows_its_instructions_and_what_its_officer_has_not_acknowledged(
        ctx: Context) -> None:
    world = office(ctx)
    library(ctx, world)
    publish(ctx, world, "CARTON-1", body="Weighing.")  # cited by nothing: for all staff
    publish(ctx, world, "CITED-1", offices=["XX01"])
    force(ctx, Channel.RED)
    lodge(ctx, world, "INSTR-1")
    task = controls.list_tasks(ctx, world.qualified, office=None, status=None)[0]
    assert task.officer_id == world.qualified.id

    def shown() -> tuple[list[str], list[str]]:
        found = service.for_task(ctx, declaration_id=task.declaration_id, office=task.office,
                                 qualifications=list(task.qualifications),
                                 texts=[*task.instructions, "then see CITED-1"],
                                 officer_id=task.officer_id)
        return [i.code for i in found.linked], [i.code for i in found.unacknowledged]

    # VAL-7 by the hit's area and the task's qualification; CITED-1 by citation;
    # PORT-1 concerns the task's office; COC-1 is no instruction of this control.
    assert shown() == (["CITED-1", "VAL-7"], ["CITED-1", "PORT-1", "VAL-7"])
    service.acknowledge(ctx, world.qualified, "VAL-7", 1)
    assert shown() == (["CITED-1", "VAL-7"], ["CITED-1", "PORT-1"])
