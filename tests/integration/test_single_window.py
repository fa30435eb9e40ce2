"""The single window through the acceptance, on SQLite and PostgreSQL: goods routed to
exactly the agencies whose matrix rule applies, their own selection, consolidated release
(customs and every agency, whichever is last), a refusal that stops the goods with its
reason, goods a rule lets move first, and an agency officer who sees only its routing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from agency_world import (
    BEEF,
    N851,
    ORANGES,
    PILLS,
    SHAVERS,
    TOYS,
    agency_world,
    decide,
    kinds,
    lodge,
    officer_of,
    status,
    tasks,
)
from clearway.agencies import service
from clearway.agencies.model import AgencyDecision, DecisionIn
from clearway.clearance import agency_work, changes, control_work
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.controls import repository as controls_repo
from clearway.controls.model import ControlResult
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.errors import ClearwayError, NotFound
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import EventRow, NotificationRow
from controls_world import OFFICE, World, force, staff
from helpers import TRADER


@pytest.fixture
def world(ctx: Context) -> World:
    return agency_world(ctx)


ROUTING = [
    ("goods no rule covers: released as before", [SHAVERS], {}, S.RELEASED),
    ("fruit without its certificate: plant health decides", [ORANGES], {"PH": True},
     S.RISK_ASSESSED),
    ("fruit with its certificate: released by the agency's selection",
     [{**ORANGES, "documents": N851}], {"PH": False}, S.RELEASED),
    ("beef and oranges: veterinary and plant health", [BEEF, ORANGES],
     {"PH": True, "VET": True}, S.RISK_ASSESSED),
    ("toys: market surveillance decides, the goods move first", [TOYS], {"MS": True},
     S.RELEASED),
    ("medicines: the public health agency", [PILLS, SHAVERS], {"PHA": True}, S.RISK_ASSESSED),
]


@pytest.mark.parametrize(("name", "goods", "expected", "after"), ROUTING,
                         ids=[c[0] for c in ROUTING])
def test_goods_are_routed_to_exactly_the_agencies_expected(
        ctx: Context, world: World, name: str, goods: list[dict[str, Any]],
        expected: dict[str, bool], after: str) -> None:
    row = lodge(ctx, world, "SW-ROUTE", goods)
    found = tasks(ctx, row)
    assert {a: t.selected for a, t in found.items()} == expected
    assert status(ctx, row) == after
    for task in found.values():   # a task lists its own items only
        routed = {i["commodity_code"] for i in task.items}
        assert routed <= {g["commodity_code"] for g in goods}
        assert task.status == ("open" if task.selected else "decided")


DUAL_USE_EXPORT: dict[str, Any] = dict(
    declaration_type="EX", exporter={"id": TRADER}, importer=None,
    consignee={"name": "End user", "address": {"city": "Skopje", "country": "MK"}},
    dispatch_country="RS", destination_country="MK")
REACTOR = {"commodity_code": "840110", "origin_country": "RS",
           "procedure": {"requested": "10", "previous": "00"}}


def test_a_listed_dual_use_export_without_licence_waits_for_the_licensing_authority(
        ctx: Context, world: World) -> None:
    row = lodge(ctx, world, "SW-DUL", [REACTOR], **DUAL_USE_EXPORT)
    (task,) = tasks(ctx, row).values()
    assert (task.agency, task.items[0]["documents"], task.items[0]["missing"]) == \
        ("DUL", [], True)
    assert task.selected and status(ctx, row) == S.RISK_ASSESSED   # never released unseen


def test_a_dual_use_export_with_a_licence_not_in_the_register_is_stopped(
        ctx: Context, world: World) -> None:
    """The 'FAKE-0000' case: a licence code is no licence until the register holds it."""
    base = dict(DUAL_USE_EXPORT)
    with pytest.raises(AssertionError, match="CW-LIC-UNKNOWN"):
        lodge(ctx, world, "SW-DUL-FAKE", [{**REACTOR, "documents": [
            {"code": "X002", "reference": "FAKE-0000"}]}], **base)


def test_release_waits_for_every_agency_and_the_last_release_moves_the_goods(
        ctx: Context, world: World) -> None:
    row = lodge(ctx, world, "SW-BOTH", [BEEF, ORANGES])
    found = tasks(ctx, row)
    decide(ctx, found["PH"], officer_of(ctx, "PH"), AgencyDecision.RELEASE)
    assert status(ctx, row) == S.RISK_ASSESSED          # veterinary still decides
    decide(ctx, found["VET"], officer_of(ctx, "VET"), AgencyDecision.RELEASE_WITH_CONDITIONS,
           "keep chilled below 4 °C until delivery")
    assert status(ctx, row) == S.RELEASED
    assert kinds(ctx, NotificationRow, row) == [
        "accepted", "risk_assessed", "customs_cleared", "agency_decision", "agency_decision",
        "released"]
    assert "customs_cleared" in kinds(ctx, EventRow, row)


@pytest.mark.parametrize("customs_first", [True, False], ids=["customs first", "agency first"])
def test_a_controlled_declaration_waits_for_customs_too(
        ctx: Context, world: World, customs_first: bool) -> None:
    force(ctx, Channel.RED)
    row = lodge(ctx, world, "SW-RED", [ORANGES])
    with ctx.uow(read_only=True) as uow:
        (control,) = controls_repo.open_tasks_of(uow.session, row.id)
    control_work.start_task(ctx, control.id, world.qualified)
    ph = officer_of(ctx, "PH")
    if customs_first:
        control_work.record_result(ctx, control.id, ControlResult("regular", "release"),
                                   world.qualified)
        assert status(ctx, row) == S.UNDER_CONTROL
    decide(ctx, tasks(ctx, row)["PH"], ph, AgencyDecision.RELEASE)
    if not customs_first:
        assert status(ctx, row) == S.UNDER_CONTROL     # customs has not finished
        control_work.record_result(ctx, control.id, ControlResult("regular", "release"),
                                   world.qualified)
    assert status(ctx, row) == S.RELEASED


def test_a_refusal_stops_release_with_its_reason(ctx: Context, world: World) -> None:
    row = lodge(ctx, world, "SW-REFUSE", [BEEF, ORANGES])
    found = tasks(ctx, row)
    vet = officer_of(ctx, "VET")
    with pytest.raises(ClearwayError) as no_reason:
        decide(ctx, found["VET"], vet, AgencyDecision.REFUSE)
    assert no_reason.value.code == "CW-AGENCY-DECISION"
    decide(ctx, found["VET"], vet, AgencyDecision.REFUSE,
           "certificate forged: establishment not approved")
    assert status(ctx, row) == S.REFUSED
    decide(ctx, found["PH"], officer_of(ctx, "PH"), AgencyDecision.RELEASE)
    assert status(ctx, row) == S.REFUSED               # another's release changes nothing
    with ctx.uow(read_only=True) as uow:
        told = uow.session.execute(select(NotificationRow.payload).where(
            NotificationRow.declaration_id == row.id, NotificationRow.kind == "refused")
        ).scalar_one()
    assert "establishment not approved" in told["message"]
    with pytest.raises(ClearwayError) as again:
        decide(ctx, found["VET"], vet, AgencyDecision.RELEASE)
    assert again.value.code == "CW-AGENCY-TASK-STATE"


def test_inspection_and_a_requested_document_keep_the_task_open(
        ctx: Context, world: World) -> None:
    row = lodge(ctx, world, "SW-STEPS", [ORANGES])
    task = tasks(ctx, row)["PH"]
    ph = officer_of(ctx, "PH")
    decide(ctx, task, ph, AgencyDecision.REQUEST_DOCUMENT, "phytosanitary certificate N851")
    decide(ctx, task, ph, AgencyDecision.INSPECT)
    assert (tasks(ctx, row)["PH"].status, status(ctx, row)) == ("inspecting", S.RISK_ASSESSED)
    decide(ctx, task, ph, AgencyDecision.RELEASE)
    assert status(ctx, row) == S.RELEASED
    _task, steps, _others = agency_work.get_task(ctx, task.id, ph)
    assert [s.step for s in steps] == ["routed", "started", "request_document", "inspect",
                                       "decided"]
    assert {s.office for s in steps} == {OFFICE}


def test_an_agency_officer_sees_nothing_outside_its_routing(ctx: Context, world: World) -> None:
    row = lodge(ctx, world, "SW-ACCESS", [BEEF, ORANGES])
    found = tasks(ctx, row)
    ph, vet = officer_of(ctx, "PH"), officer_of(ctx, "VET")
    assert [t.agency for t in agency_work.list_tasks(ctx, ph)] == ["PH"]
    with pytest.raises(NotFound):
        agency_work.get_task(ctx, found["VET"].id, ph)
    with pytest.raises(NotFound):
        decide(ctx, found["VET"], ph, AgencyDecision.RELEASE)
    shown, _, _ = agency_work.get_task(ctx, found["PH"].id, ph)
    assert [i["commodity_code"] for i in shown.items] == ["080510"]   # not the beef
    supervisor = staff(ctx, "ph-sup", "agency_supervisor", "PH")
    with pytest.raises(ClearwayError) as wrong:
        agency_work.reassign(ctx, found["PH"].id, vet.name, supervisor)
    assert wrong.value.code == "CW-AGENCY-OFFICER"
    other = officer_of(ctx, "PH", "ph-2")
    agency_work.reassign(ctx, found["PH"].id, other.name, supervisor)
    assert agency_work.list_tasks(ctx, ph) == []           # now another's task
    assert [t.id for t in agency_work.list_tasks(ctx, other)] == [found["PH"].id]


def test_each_agency_is_measured_against_its_target(ctx: Context, world: World,
                                                    clock: FixedClock) -> None:
    ph = officer_of(ctx, "PH")
    for lrn, minutes in (("SW-K1", 4), ("SW-K2", 25)):
        row = lodge(ctx, world, lrn, [ORANGES])
        clock.advance(minutes=minutes)
        decide(ctx, tasks(ctx, row)["PH"], ph, AgencyDecision.RELEASE)
    lodge(ctx, world, "SW-K3", [{**ORANGES, "documents": N851}])   # released by the system
    refusing = lodge(ctx, world, "SW-K4", [BEEF])
    decide(ctx, tasks(ctx, refusing)["VET"], officer_of(ctx, "VET"), AgencyDecision.REFUSE,
           "no certificate")
    supervisor = staff(ctx, "ph-sup", "agency_supervisor", "PH")
    (own,) = service.kpis(ctx, supervisor)              # an agency sees its own figures
    assert (own.agency, own.tasks, own.selected, own.decided_by_officers, own.open) == (
        "PH", 3, 2, 2, 0)
    assert (own.p50_minutes, own.p90_minutes, own.within_target_share) == (4.0, 25.0, 0.5)
    every = {k.agency: k for k in service.kpis(ctx, world.supervisor)}
    assert set(every) == {"PH", "VET", "PHA", "MS", "DUL"}
    assert (every["VET"].refused, every["MS"].tasks) == (1, 0)


def test_a_cancelled_declaration_leaves_its_agencies_nothing_to_decide(
        ctx: Context, world: World) -> None:
    ctx.settings = ctx.settings.model_copy(update={"auto_release": False})
    row = lodge(ctx, world, "SW-GONE", [ORANGES])
    assert row.mrn is not None
    changes.cancel(ctx, row.mrn, "lodged twice", world.trader)
    with pytest.raises(ClearwayError) as closed:
        decide(ctx, tasks(ctx, row)["PH"], officer_of(ctx, "PH"), AgencyDecision.RELEASE)
    assert closed.value.code == "CW-AGENCY-TASK-STATE"


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "kept"])
def test_another_agencys_reason_is_read_only_where_it_was_shared(
        ctx: Context, world: World, shared: bool) -> None:
    row = lodge(ctx, world, "SW-SHARE", [BEEF, ORANGES])
    found = tasks(ctx, row)
    agency_work.decide(ctx, found["VET"].id, DecisionIn(
        AgencyDecision.REFUSE, "residues above the limit", shared), officer_of(ctx, "VET"))
    _task, _steps, others = agency_work.get_task(ctx, found["PH"].id, officer_of(ctx, "PH"))
    assert others == [{"agency": "VET", "decision": "refuse",
                       "text": "residues above the limit" if shared else None}]
