"""Corruption prevention on a real database (SQLite and PostgreSQL): declarations of
interest keep officers from controls of the parties they are linked to (assignment,
waiting tasks, reassignment), a late declaration shows among the integrity indicators,
sensitive posts hold officers to their maximum tenure with four-eyes exceptions, and the
yearly share of officers rotated."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from clearway.audit import repository as audit_repo
from clearway.clearance import officer_actions
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.controls import service as controls
from clearway.errors import ClearwayError, NotFound
from clearway.identity import User
from clearway.integrity import service as integrity
from clearway.interests import service as interests
from clearway.periods import Period
from clearway.risk.engine.decision import Channel
from clearway.rotation import repository as rotation_repo
from clearway.rotation import service as rotation
from clearway.storage.orm_controls import ControlTaskRow, TaskAssignmentRow
from clearway.training import service as training
from controls_world import ELSEWHERE, OFFICE, World, force, lodge, office, staff
from helpers import TRADER

LINK = {"kind": "relative", "party_name": "Brother's trading company",
        "description": "My brother owns the company"}


def second_qualified(ctx: Context, world: World, name: str = "qual2") -> User:
    other = staff(ctx, name, "officer")
    training.record_training(ctx, other.id, "VAL-1", date(2026, 1, 5), world.supervisor)
    now = ctx.clock.now()
    controls.add_shift(ctx, other.id, OFFICE, now - timedelta(hours=1), now + timedelta(hours=7),
                       world.supervisor)
    return other


def tasks(ctx: Context) -> list[ControlTaskRow]:
    with ctx.uow(read_only=True) as uow:
        return list(uow.session.execute(select(ControlTaskRow).order_by(ControlTaskRow.id))
                    .scalars())


def assignments(ctx: Context) -> list[TaskAssignmentRow]:
    with ctx.uow(read_only=True) as uow:
        return list(uow.session.execute(select(TaskAssignmentRow)
                                        .order_by(TaskAssignmentRow.id)).scalars())


def test_an_officer_linked_to_a_party_is_never_given_its_control(ctx: Context) -> None:
    world = office(ctx)
    other = second_qualified(ctx, world)
    interests.file(ctx, world.qualified, party_id=TRADER.lower(), **LINK)
    force(ctx, Channel.RED)
    for n in range(6):
        lodge(ctx, world, f"COI-{n}")
    assert {t.officer_id for t in tasks(ctx)} == {other.id}
    assert [(a.eligible, a.excluded) for a in assignments(ctx)] == [(1, {"relative": 1})] * 6
    with ctx.uow(read_only=True) as uow:
        logged = [e.detail for e in audit_repo.iter_entries(uow.session)
                  if e.action == "control_task.assigned"]
    assert all(d["excluded"] == {"relative": 1} for d in logged) and len(logged) == 6
    # The log counts, it never names: no party, no excluded officer.
    assert not any(TRADER in str(d) or d["officer_id"] == world.qualified.id for d in logged)


def test_a_task_waits_when_every_eligible_officer_is_linked_then_a_withdrawal_frees_it(
        ctx: Context) -> None:
    world = office(ctx)
    filed = interests.file(ctx, world.qualified, party_id=TRADER, kind="shareholding",
                           party_name=None, description="Shares in the importer")
    force(ctx, Channel.RED)
    lodge(ctx, world, "COI-W")
    (task,) = tasks(ctx)
    assert task.status == "awaiting_officer"
    with ctx.uow(read_only=True) as uow:
        (waiting,) = [e.detail for e in audit_repo.iter_entries(uow.session)
                      if e.action == "control_task.awaiting_officer"]
    assert waiting["excluded"] == {"shareholding": 1}
    interests.withdraw(ctx, filed.id, world.qualified, "Shares sold")
    assert controls.assign_waiting(ctx) == 1
    assert tasks(ctx)[0].officer_id == world.qualified.id


def test_reassignment_to_a_linked_officer_is_refused(ctx: Context) -> None:
    world = office(ctx)
    other = second_qualified(ctx, world)
    interests.file(ctx, world.qualified, party_id=TRADER, **LINK)
    force(ctx, Channel.RED)
    lodge(ctx, world, "COI-R")
    (task,) = tasks(ctx)
    assert task.officer_id == other.id
    with pytest.raises(ClearwayError) as refused:
        controls.reassign(ctx, task.id, world.qualified.id, "spread the load", world.supervisor)
    assert refused.value.code == "CW-TASK-CONFLICT"
    assert controls.reassignment_choices(ctx, [task])[task.id] == []


def test_a_declaration_filed_after_controlling_the_party_is_late_and_flagged(
        ctx: Context, clock: FixedClock) -> None:
    world = office(ctx)
    force(ctx, Channel.RED)
    lodge(ctx, world, "COI-L")
    assert tasks(ctx)[0].officer_id == world.qualified.id
    clock.advance(days=2)
    late = interests.file(ctx, world.qualified, party_id=TRADER, **LINK)
    timely = interests.file(ctx, world.qualified, party_id="RS999", **LINK)
    assert (late.prior_controls, late.prior_office) == (1, OFFICE)
    assert timely.prior_controls == 0
    span = Period(clock.now() - timedelta(days=30), clock.now() + timedelta(days=1))
    found = integrity.indicators(ctx, span)
    (row,) = [x for x in found["officers"] if x["officer_id"] == world.qualified.id]
    assert row["late_declarations"] == 1
    assert any("declaration(s) of interest filed after" in f for f in row["flags"])


def test_review_renewal_and_ownership(ctx: Context, clock: FixedClock) -> None:
    world = office(ctx)
    second = staff(ctx, "sup2", "supervisor")
    mine = interests.file(ctx, world.supervisor, party_id="RS555", **LINK)
    with pytest.raises(ClearwayError) as own:
        interests.review(ctx, mine.id, world.supervisor, outcome="noted", note=None)
    assert own.value.code == "CW-INTEREST-OWN"
    filed = interests.file(ctx, world.qualified, party_id=TRADER, **LINK)
    with pytest.raises(ClearwayError):   # returning one asks what to complete
        interests.review(ctx, filed.id, world.supervisor, outcome="returned", note=" ")
    assert interests.review(ctx, filed.id, second, outcome="noted", note=None).status == "noted"
    with pytest.raises(ClearwayError) as again:
        interests.review(ctx, filed.id, world.supervisor, outcome="noted", note=None)
    assert again.value.code == "CW-INTEREST-STATE"
    with pytest.raises(NotFound):   # another officer's declaration does not exist for them
        interests.renew(ctx, filed.id, world.unqualified)
    clock.advance(days=400)
    renewed = interests.renew(ctx, filed.id, world.qualified)
    assert (renewed.status, renewed.valid_until) == ("pending", clock.now().date()
                                                     + timedelta(days=365))
    rows, names = interests.for_review(ctx, status="pending")
    assert {r.id for r in rows} == {mine.id, filed.id} and names[world.qualified.id] == "qual"
    with ctx.uow(read_only=True) as uow:
        done = [e.action for e in audit_repo.iter_entries(uow.session)
                if e.object_type == "interest_declaration"]
    assert done == ["interest.filed", "interest.filed", "interest.reviewed", "interest.renewed"]


def test_a_sensitive_post_warns_refuses_and_yields_to_an_approved_exception(
        ctx: Context) -> None:
    world = office(ctx, on_duty=False)
    second = staff(ctx, "sup2", "supervisor")
    rotation.set_post(ctx, office=OFFICE, function="control", max_tenure_days=100,
                      warn_days=25, user=world.supervisor)
    now, officer = ctx.clock.now(), world.qualified.id

    def shift(day: int) -> controls.ShiftAdded:
        start = now + timedelta(days=day)
        return controls.add_shift(ctx, officer, OFFICE, start, start + timedelta(hours=8),
                                  world.supervisor)

    assert [shift(d).warning for d in (-80, -40, -10)] == [None, None, None]
    warned = shift(1)   # rotate by day 20: within the 25 days of warning
    assert warned.warning and "by " + str((now + timedelta(days=20)).date()) in warned.warning
    assert [e.tenure.status for e in rotation.warnings(ctx, OFFICE)] == ["warning"]
    with pytest.raises(ClearwayError) as refused:
        shift(25)
    assert refused.value.code == "CW-ROTATION-TENURE"
    asked = rotation.request_exception(ctx, officer_id=officer, office=OFFICE,
                                       function="control", until=(now + timedelta(days=60))
                                       .date(), reason="Handover of the port team",
                                       user=world.supervisor)
    with pytest.raises(ClearwayError) as self_approved:
        rotation.decide_exception(ctx, asked.id, approve=True, note=None, user=world.supervisor)
    assert self_approved.value.code == "CW-ROTATION-EXCEPTION"
    with pytest.raises(ClearwayError):   # still pending: not in force
        shift(25)
    rotation.decide_exception(ctx, asked.id, approve=True, note="once", user=second)
    assert "exception" in (shift(25).warning or "")
    (entry,) = rotation.plan(ctx, OFFICE)
    assert (entry.tenure.status, entry.officer) == ("exception", "qual")
    assert rotation.warnings(ctx, OFFICE) == []
    with pytest.raises(ClearwayError):   # beyond what the exception allows
        shift(61)


def test_the_yearly_share_of_officers_rotated(ctx: Context) -> None:
    world = office(ctx, on_duty=False)
    rotation.set_post(ctx, office=OFFICE, function="control", max_tenure_days=3650,
                      warn_days=60, user=world.supervisor)

    def serve(user_id: int, where: str, month: int, function: str = "control") -> None:
        start = datetime(2026, month, 3, 8, tzinfo=UTC)
        controls.add_shift(ctx, user_id, where, start, start + timedelta(hours=8),
                           world.supervisor, function)

    for month in (2, 4):
        serve(world.qualified.id, OFFICE, month)      # moves on in May: rotated
        serve(world.unqualified.id, OFFICE, month)    # stays
    serve(world.qualified.id, ELSEWHERE, 5)
    serve(world.qualified.id, ELSEWHERE, 9)
    serve(world.unqualified.id, OFFICE, 9)
    serve(world.unqualified.id, OFFICE, 11, "audit")  # another post for a day...
    serve(world.unqualified.id, OFFICE, 12)           # ...and back on the sensitive one
    serve(world.elsewhere.id, ELSEWHERE, 3)           # never on a sensitive post
    with ctx.uow(read_only=True) as uow:
        assert rotation_repo.rotation_share(uow.session, 2026) == {
            "year": 2026, "officers": 2, "rotated": 1, "share": 0.5}
        assert rotation_repo.rotation_share(uow.session, 2025)["officers"] == 0


def test_a_linked_officer_cannot_begin_a_control_without_task(ctx: Context) -> None:
    world = office(ctx)
    interests.file(ctx, world.unqualified, party_id=TRADER, **LINK)
    force(ctx, Channel.GREEN, None)
    row = lodge(ctx, world, "COI-M")
    assert row.mrn is not None
    with pytest.raises(ClearwayError) as refused:
        officer_actions.officer_action(ctx, row.mrn, "start-control", None, world.unqualified)
    assert refused.value.code == "CW-TASK-CONFLICT"
    started = officer_actions.officer_action(ctx, row.mrn, "start-control", None,
                                             world.qualified)
    assert started.status == "under_control"
