"""Joint inspection, on SQLite and PostgreSQL: customs' red control and two agencies that
inspect the same goods get one examination, booked once at the office in a time slot, with
a result section per party; an agency reads its own section only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from agency_world import BEEF, ORANGES, agency_world, decide, lodge, officer_of, tasks
from clearway.agencies.model import AgencyDecision
from clearway.clearance import joint_inspection
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.risk.engine.decision import Channel
from clearway.storage.orm_agencies import JointInspectionRow
from controls_world import OFFICE, World, force


@pytest.fixture
def world(ctx: Context) -> World:
    return agency_world(ctx)


def test_customs_and_two_agencies_share_one_examination(ctx: Context, world: World) -> None:
    force(ctx, Channel.RED)
    row = lodge(ctx, world, "JI-ONE", [BEEF, ORANGES])
    found = tasks(ctx, row)
    ph, vet = officer_of(ctx, "PH"), officer_of(ctx, "VET")
    decide(ctx, found["PH"], ph, AgencyDecision.INSPECT)
    decide(ctx, found["VET"], vet, AgencyDecision.INSPECT)
    decide(ctx, found["VET"], vet, AgencyDecision.INSPECT)   # asking again books nothing
    with ctx.uow(read_only=True) as uow:
        assert uow.session.execute(select(func.count()).select_from(JointInspectionRow)
                                   ).scalar() == 1
    (booked,) = joint_inspection.list_visible(ctx, world.qualified)
    assert (booked.parties, booked.office, booked.status) == (["customs", "PH", "VET"], OFFICE,
                                                              "booked")
    assert booked.slot_start >= ctx.clock.now() + timedelta(minutes=30)
    assert booked.slot_end - booked.slot_start == timedelta(minutes=30)
    for who, outcome in ((world.qualified, "compliant"), (ph, "compliant"),
                         (vet, "non_compliant")):
        joint_inspection.record_section(ctx, booked.id, outcome, "seen on the quay", who)
    with pytest.raises(ClearwayError) as twice:
        joint_inspection.record_section(ctx, booked.id, "compliant", None, ph)
    assert twice.value.code == "CW-JOINT-SECTION"
    done, every = joint_inspection.get(ctx, booked.id, world.supervisor)
    assert (done.status, [s.party for s in every]) == ("done", ["customs", "PH", "VET"])
    _same, own = joint_inspection.get(ctx, booked.id, ph)
    assert [(s.party, s.outcome) for s in own] == [("PH", "compliant")]


def test_an_agency_that_is_no_party_sees_no_inspection(ctx: Context, world: World) -> None:
    row = lodge(ctx, world, "JI-PH", [ORANGES])          # green: customs does not inspect
    decide(ctx, tasks(ctx, row)["PH"], officer_of(ctx, "PH"), AgencyDecision.INSPECT)
    (booked,) = joint_inspection.list_visible(ctx, world.supervisor)
    assert booked.parties == ["PH"]
    vet = officer_of(ctx, "VET")
    assert joint_inspection.list_visible(ctx, vet) == []
    with pytest.raises(NotFound):
        joint_inspection.get(ctx, booked.id, vet)
    with pytest.raises(ClearwayError) as not_party:
        joint_inspection.record_section(ctx, booked.id, "compliant", None, world.qualified)
    assert not_party.value.code == "CW-JOINT-RESULT"
