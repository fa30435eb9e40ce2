"""The yearly training plan on a real database: needs from active profiles, the roster,
training records and tasks that waited; sessions planned and held (attendees get training
records, all audited); refusals; the figures the progress report reads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from clearway.audit import repository as audit_repo
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.profiles import service as profiles
from clearway.risk.engine.decision import Channel
from clearway.training import figures as training_figures
from clearway.training import plan_service
from clearway.training import service as training
from clearway.training.model import Course
from clearway.training.plan import HeldIn, SessionIn
from controls_world import ELSEWHERE, OFFICE, World, force, lodge, office, staff

PROFILE = """
- code: IPR-WATCHES
  name: Counterfeit watches
  area: ipr
  weight: 0.5
  min_channel: red
  qualification: ipr
  when: {field: hs4, in: ["9102"]}
"""


def needs(ctx: Context) -> dict[tuple[str, str], tuple[Any, ...]]:
    found = plan_service.training_needs(ctx)
    return {(n.office, n.qualification): (n.required_by, n.officers, n.holders, n.tasks,
                                          n.waited, n.to_train) for n in found.needs}


def world_with_ipr_demand(ctx: Context) -> World:
    world = office(ctx)
    profiles.import_yaml(ctx, PROFILE, "risk_analyst:ana", owner="ana", activate_all=True)
    training.save_course(ctx, Course(code="IPR-1", title="IPR border enforcement",
                                     qualification="ipr", validity_months=24),
                         world.supervisor)
    force(ctx, Channel.RED, "ipr")  # nobody holds ipr: the task waits
    lodge(ctx, world, "PLAN-1")
    return world


def session(**changes: Any) -> SessionIn:
    return SessionIn.model_validate({"course_code": "IPR-1", "planned_on": "2026-10-01",
                                     "seats": 2, "trainer": "IPR unit", "budget": "1200",
                                     **changes})


def test_needs_plan_execution_and_figures(ctx: Context) -> None:
    world = world_with_ipr_demand(ctx)
    assert needs(ctx) == {
        # qualified, unqualified and off_duty serve here; the task waited: three wanted.
        (OFFICE, "ipr"): (("IPR-WATCHES", "tasks"), 3, 0, 1, 1, 3),
        (ELSEWHERE, "ipr"): (("IPR-WATCHES",), 1, 0, 0, 0, 1)}
    planned = plan_service.plan_session(ctx, session(), world.supervisor)
    held = plan_service.record_held(ctx, planned.id, HeldIn(
        held_on=date(2026, 10, 2), spent=Decimal("950.50"),
        attendees=[world.qualified.id, world.unqualified.id]), world.supervisor)
    assert (held.held_on, held.attendees) == (date(2026, 10, 2), sorted(
        [world.qualified.id, world.unqualified.id]))
    assert "ipr" in training.officer_training(ctx, world.unqualified.id).qualifications
    assert needs(ctx)[(OFFICE, "ipr")] == (("IPR-WATCHES", "tasks"), 3, 2, 1, 1, 1)
    plan = plan_service.plan_of(ctx, 2026)
    assert [s.id for s in plan.sessions] == [planned.id] and plan.seats_for("ipr") == 2
    with ctx.uow(read_only=True) as uow:
        figures = training_figures.training_figures(uow.session, date(2026, 1, 1),
                                                date(2027, 1, 1))
        actions = [e.action for e in audit_repo.iter_entries(uow.session)
                   if e.object_type in ("training_session", "training_record")]
    assert figures == {
        "trainings": 5, "officers_trained": 4,
        "courses": [{"course": "IPR-1", "title": "IPR border enforcement", "officers": 2,
                     "trainings": 2},
                    {"course": "VAL-1", "title": "Valuation", "officers": 3, "trainings": 3}],
        "sessions_planned": 1, "sessions_held": 1, "seats_planned": 2, "seats_filled": 2,
        "budget_planned": "1200.00", "spent": "950.50",
        "tasks_waiting_for_qualification": 1, "holders_expiring_next_year": 0,
        "seats_needed": 1 + 1}
    assert actions == ["training.recorded"] * 3 + ["training_session.planned",
                                                   "training.recorded", "training.recorded",
                                                   "training_session.held"]


@pytest.mark.parametrize(("held", "code"), [
    ({"held_on": "2026-11-21"}, "CW-TRAINING-DATE"),       # the clock says 2026-11-20
    ({"attendees": "three"}, "CW-TRAINING-SEATS"),
    ({"attendees": "trader"}, "CW-TRAINING-NOT-OFFICER"),
    ({"attendees": "nobody"}, "CW-NOT-FOUND"),
    ({"twice": True}, "CW-TRAINING-SESSION-HELD"),
])
def test_a_session_held_is_refused_when_wrong(ctx: Context, held: dict[str, Any],
                                              code: str) -> None:
    world = world_with_ipr_demand(ctx)
    row = plan_service.plan_session(ctx, session(), world.supervisor)
    people = {"three": [world.qualified.id, world.unqualified.id, world.elsewhere.id],
              "trader": [world.trader.id], "nobody": [987654]}
    body = HeldIn(held_on=date.fromisoformat(held.get("held_on", "2026-10-02")),
                  spent=Decimal("10"),
                  attendees=people.get(held.get("attendees", ""), [world.qualified.id]))
    if held.get("twice"):
        plan_service.record_held(ctx, row.id, body, world.supervisor)
    with pytest.raises(ClearwayError) as caught:
        plan_service.record_held(ctx, row.id, body, world.supervisor)
    assert caught.value.code == code
    if not held.get("twice"):
        assert "ipr" not in training.officer_training(ctx, world.qualified.id).qualifications


def test_a_session_of_an_unknown_course_is_refused(ctx: Context) -> None:
    sup = staff(ctx, "sup", "supervisor")
    with pytest.raises(ClearwayError) as caught:
        plan_service.plan_session(ctx, session(course_code="NOPE-1"), sup)
    assert caught.value.code == "CW-NOT-FOUND"
