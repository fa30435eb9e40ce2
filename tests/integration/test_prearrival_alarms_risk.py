"""Pre-arrival alarms in the risk decision: an alarm stored for a declaration in its
acceptance transaction (as matching does) is a hit with its reason; an analyst's weight moves
the channel; an amendment's new decision weighs the open alarms; a closed one weighs no more."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.clearance import acceptance, changes, lodging
from clearway.composition import rule_components
from clearway.context import Context
from clearway.identity import Role, User
from clearway.prearrival import alarm_service
from clearway.prearrival.model import Alarm, AlarmKind
from clearway.prearrival.repository import add_alarm
from clearway.risk import repository as risk_repo
from clearway.risk.knowledge import KnowledgeCache
from clearway.storage.orm import AuditRow, DeclarationRow
from clearway.storage.orm_risk import RiskDecisionRow
from helpers import TRADER, import_doc

TRADER_USER = User(id=1, name="t", role=Role.TRADER, trader_id=TRADER)
ANALYST = User(id=2, name="ana", role=Role.RISK_ANALYST, trader_id=None)
OFFICER = User(id=3, name="olga", role=Role.OFFICER, trader_id=None)
OFFICE = "RS001002"
NON_AEO = {"id": "RS101456782"}  # an importer without AEO status: no mitigation


@pytest.fixture
def world(ctx: Context) -> Context:
    """No random draws, every weight change seen at the next decision."""
    settings = ctx.settings.model_copy(update={"random_share": 0.0,
                                               "risk_recheck_seconds": 0.0})
    ctx.risk = KnowledgeCache(ctx.read_sessions, settings, rule_components(),
                              refdata=ctx.refdata.get)
    return ctx


def alarm(kind: AlarmKind, declaration_id: int | None, at: datetime) -> Alarm:
    return Alarm(kind=kind, partner="MK", mrn="26MK000000000042A1",
                 reason=f"{kind}: 1000 kg announced, 1400 kg arrived", raised_at=at,
                 evidence={"announced": 1000, "arrived": 1400, "tolerance_pct": 5},
                 declaration_id=declaration_id)


def raising(monkeypatch: pytest.MonkeyPatch, *kinds: AlarmKind) -> None:
    """Matching at acceptance stores these alarms for the declaration, before its decision
    (the contract of `clearance.arrivals.on_accepted`)."""

    def matched(ctx: Context, session: Session, row: DeclarationRow, doc: Any, *,
                now: datetime) -> list[Alarm]:
        found = [alarm(k, row.id, now) for k in kinds]
        for a in found:
            add_alarm(session, a)
        return found

    monkeypatch.setattr(acceptance, "on_accepted", matched)


def lodge(ctx: Context, lrn: str) -> DeclarationRow:
    doc = import_doc(lrn=lrn, offices={"lodgement": OFFICE}, importer=NON_AEO)
    out = lodging.submit(ctx, json.dumps(doc).encode(), "application/json", TRADER_USER)
    assert out.kind == "created", out.errors
    return out.row


def decision(ctx: Context, row: DeclarationRow) -> RiskDecisionRow:
    with ctx.uow() as uow:
        found = risk_repo.get_decision(uow.session, row.id)
        assert found is not None
        return found


def pre_arrival(found: RiskDecisionRow) -> list[dict[str, Any]]:
    return [h for h in found.decision["hits"] if h["source"] == "pre-arrival"]


def test_an_alarm_stored_at_acceptance_is_a_hit_of_the_decision(
        world: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    raising(monkeypatch, AlarmKind.GROSS_MASS)
    found = decision(world, lodge(world, "PA-1"))
    [hit] = pre_arrival(found)
    assert (hit["ref"], hit["area"], hit["weight"]) == ("gross-mass-difference",
                                                        "valuation", 0.4)
    assert hit["evidence"]["announced"] == 1000 and hit["evidence"]["arrived"] == 1400
    assert hit["evidence"]["alarm_id"] is not None
    assert ("pre-arrival alarm from MK: gross-mass-difference: 1000 kg announced, 1400 kg "
            "arrived") in found.decision["reasons"]
    assert found.channel == "blue"  # 0.4 alone: above blue (0.3), below yellow (0.5)


def test_a_declaration_without_alarms_has_no_pre_arrival_hit(
        world: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    raising(monkeypatch)
    found = decision(world, lodge(world, "PA-0"))
    assert pre_arrival(found) == [] and found.channel == "green"


def test_the_analysts_weight_changes_the_channel(
        world: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    raising(monkeypatch, AlarmKind.GROSS_MASS)
    assert decision(world, lodge(world, "PA-W1")).channel == "blue"
    alarm_service.set_weight(world, "gross-mass-difference", weight=0.9, min_channel=None,
                             hard=False, user=ANALYST)
    assert decision(world, lodge(world, "PA-W2")).channel == "red"
    alarm_service.set_weight(world, "gross-mass-difference", weight=0.1, min_channel="yellow",
                             hard=True, user=ANALYST)
    heavy = decision(world, lodge(world, "PA-W3"))
    assert heavy.channel == "yellow" and pre_arrival(heavy)[0]["hard"]
    with world.uow() as uow:
        entries = list(uow.session.scalars(select(AuditRow).where(
            AuditRow.action == "arrival_alarm.weight_set").order_by(AuditRow.id)))
    assert [e.object_id for e in entries] == ["gross-mass-difference"] * 2
    assert entries[0].actor == "risk_analyst:ana"


def test_the_default_no_exit_record_alarm_is_a_documentary_check_at_least(
        world: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    raising(monkeypatch, AlarmKind.NO_EXIT_RECORD)
    found = decision(world, lodge(world, "PA-N"))
    assert found.channel == "yellow" and pre_arrival(found)[0]["area"] == "security_safety"


def test_an_amendment_weighs_open_alarms_and_not_closed_ones(
        world: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    raising(monkeypatch)
    world.settings.auto_release = False  # stays risk_assessed: it can be amended
    doc = import_doc(lrn="PA-A", offices={"lodgement": OFFICE}, importer=NON_AEO)
    row = lodging.submit(world, json.dumps(doc).encode(), "application/json",
                         TRADER_USER).row
    assert decision(world, row).channel == "green"
    with world.uow() as uow:  # a booth record matched after acceptance
        closed = add_alarm(uow.session, alarm(AlarmKind.SEALS, row.id, world.clock.now()))
        add_alarm(uow.session, alarm(AlarmKind.TRANSIT_TOO_SHORT, row.id, world.clock.now()))
        uow.commit()
    alarm_service.close_alarm(world, closed, "seal replaced by the carrier, documented",
                              OFFICER)
    doc["items"][0]["description"] = "Cotton T-shirts, amended"
    out = changes.amend_by_key(world, row.mrn or "", json.dumps(doc).encode(),
                               "application/json", TRADER_USER)
    assert out.kind != "rejected", out.errors
    found = decision(world, row)
    assert [h["ref"] for h in pre_arrival(found)] == ["transit-too-short"]
    assert found.channel == "blue"


def test_acceptance_reads_only_the_declarations_own_open_alarms(world: Context) -> None:
    with world.uow() as uow:
        add_alarm(uow.session, alarm(AlarmKind.VALUE, 999_999, world.clock.now()))
        add_alarm(uow.session, alarm(AlarmKind.NO_ARRIVAL, None, world.clock.now()))
        uow.commit()
    row = lodge(world, "PA-O")
    with world.uow() as uow:
        stored = uow.session.get(DeclarationRow, row.id)
        assert stored is not None
        assert acceptance.arrival_alarms(uow.session, stored) == {}
    assert pre_arrival(decision(world, row)) == []
