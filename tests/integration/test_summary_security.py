"""A do-not-load or high-risk-screening result is never lowered by four eyes; only a security
risk officer clears it, with a reason, audited, the carrier told the new outcome. And an ENS
shows the declarations of its goods."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clearway.clearance import control_work, lodging, summary_actions
from clearway.clearance import overrides as four_eyes
from clearway.clearance.summary_links import summary_by_mrn
from clearway.clearance.summary_view import view
from clearway.context import Context
from clearway.controls import service as controls
from clearway.controls.model import ControlResult
from clearway.errors import ClearwayError
from clearway.identity import Role, User
from clearway.overrides import repository as override_repo
from clearway.overrides.model import Kind, Status
from clearway.risk import repository as risk_repo
from clearway.risk.engine.decision import Channel, EnsOutcome
from clearway.storage.orm import AuditRow, DeclarationRow
from clearway.storage.orm_controls import ControlTaskRow
from helpers import import_doc
from summary_helpers import CARRIER, lodge, notes, person, status, summary, with_summary_rules

NAMELESS = {"id": "CN3206825541173", "address": {"country": "CN"}}
VAGUE = [{"sequence": 1, "hs6": "870830", "gross_mass": "500", "description": "spare parts"}]
REASON = "Consignment screened at Piraeus by the port authority, nothing found"


@pytest.fixture
def sctx(ctx: Context, tmp_path: Path) -> Context:
    with_summary_rules(ctx, tmp_path)
    return ctx


@pytest.fixture
def staff(sctx: Context) -> dict[str, User]:
    return {"officer": person(sctx, "olga", Role.OFFICER),
            "s1": person(sctx, "sam", Role.SUPERVISOR),
            "s2": person(sctx, "sue", Role.SUPERVISOR),
            "security": person(sctx, "sec", Role.SECURITY_OFFICER)}


def dnl(ctx: Context) -> DeclarationRow:
    return lodge(ctx, summary(route_countries=["SY"], items=VAGUE, consignor=NAMELESS))


def hrs(ctx: Context) -> DeclarationRow:
    return lodge(ctx, summary(lrn="S-H", route_countries=["SY"]))


REQUESTS = [  # held result, kind, to_channel
    ("DNL", Kind.CHANNEL_CHANGE, Channel.GREEN),
    ("DNL", Kind.CHANNEL_CHANGE, Channel.YELLOW),
    ("DNL", Kind.WAIVER, None),
    ("DNL", Kind.CANCELLATION, None),
    ("HRS", Kind.CHANNEL_CHANGE, Channel.BLUE),
    ("HRS", Kind.WAIVER, None),
]


@pytest.mark.parametrize(("held", "kind", "to"), REQUESTS)
def test_an_ordinary_override_request_is_refused(sctx: Context, staff: dict[str, User],
                                                 held: str, kind: Kind,
                                                 to: Channel | None) -> None:
    row = dnl(sctx) if held == "DNL" else hrs(sctx)
    with pytest.raises(ClearwayError) as refused:
        four_eyes.request(sctx, row.mrn or "", kind, to, REASON, staff["officer"])
    assert refused.value.code == "CW-OVERRIDE-SECURITY"


def test_a_supervisors_approval_cannot_lower_it(sctx: Context,
                                                staff: dict[str, User]) -> None:
    row = dnl(sctx)
    # A request that got in before the result was held (say, asked on an earlier decision).
    with sctx.uow() as uow:
        pending = override_repo.add(
            uow.session, declaration_id=row.id, kind=str(Kind.CHANNEL_CHANGE),
            from_channel="red", to_channel="green", reason=REASON, status=Status.PENDING,
            requested_by_id=staff["s1"].id, requested_at=sctx.clock.now(),
            audit_sampled=False)
        uow.commit()
        pending_id = pending.id
    with pytest.raises(ClearwayError) as refused:
        four_eyes.approve(sctx, pending_id, None, staff["s2"])
    assert refused.value.code == "CW-OVERRIDE-SECURITY"
    assert status(sctx, row) == "risk_assessed"
    with sctx.uow() as uow:
        decision = risk_repo.get_decision(uow.session, row.id)
        assert decision is not None and decision.channel == "red"


def test_a_stricter_override_is_still_allowed_on_an_rfi(sctx: Context,
                                                         staff: dict[str, User]) -> None:
    row = lodge(sctx, summary(items=VAGUE))  # RFI: not held
    found = four_eyes.request(sctx, row.mrn or "", Kind.CHANNEL_CHANGE, Channel.RED, REASON,
                              staff["officer"])
    assert found.status == Status.PENDING


CLEARANCES = [  # held, to, final status, carrier's last notice
    ("DNL", EnsOutcome.NO_RISK, "released", "no_risk_identified"),
    ("DNL", EnsOutcome.HRS, "risk_assessed", "high_risk_screening"),
    ("HRS", EnsOutcome.NO_RISK, "released", "no_risk_identified"),
]


@pytest.mark.parametrize(("held", "to", "final", "told"), CLEARANCES)
def test_the_security_officer_clears_it_with_a_reason(sctx: Context, staff: dict[str, User],
                                                      held: str, to: EnsOutcome, final: str,
                                                      told: str) -> None:
    row = dnl(sctx) if held == "DNL" else hrs(sctx)
    assert summary_actions.clear_security_result(
        sctx, row.mrn or "", to, REASON, staff["security"]) == to
    assert status(sctx, row) == final
    last = notes(sctx, row)[-1]
    assert last.kind == told and REASON not in last.payload["message"]
    with sctx.uow() as uow:
        decision = risk_repo.get_decision(uow.session, row.id)
        assert decision is not None and decision.ens_outcome == str(to)
        assert decision.decision["security_clearance"]["reason"] == REASON
        entry = uow.session.execute(select(AuditRow).where(
            AuditRow.action == "summary.security_cleared")).scalar_one()
    assert entry.detail["reason"] == REASON and entry.detail["by"] == "sec"


REFUSALS = [  # who, what is held, to, reason, code
    ("s1", "DNL", EnsOutcome.NO_RISK, REASON, "CW-FORBIDDEN"),
    ("security", "DNL", EnsOutcome.NO_RISK, "ok", "CW-SECURITY-REASON"),
    ("security", "HRS", EnsOutcome.DNL, REASON, "CW-SECURITY-CLEAR"),
    ("security", "RFI", EnsOutcome.NO_RISK, REASON, "CW-SECURITY-CLEAR"),
]


@pytest.mark.parametrize(("who", "held", "to", "reason", "code"), REFUSALS)
def test_a_clearance_is_refused(sctx: Context, staff: dict[str, User], who: str, held: str,
                                to: EnsOutcome, reason: str, code: str) -> None:
    row = {"DNL": dnl, "HRS": hrs}.get(held, lambda c: lodge(c, summary(items=VAGUE)))(sctx)
    with pytest.raises(ClearwayError) as refused:
        summary_actions.clear_security_result(sctx, row.mrn or "", to, reason, staff[who])
    assert refused.value.code == code


def test_the_ens_shows_the_declarations_of_its_goods(sctx: Context,
                                                     staff: dict[str, User]) -> None:
    ens = lodge(sctx, summary())
    assert ens.mrn is not None
    citing = import_doc(lrn="IM-ENS", previous_documents=[
        {"category": "Y", "type": "355", "reference": ens.mrn}])
    other = import_doc(lrn="IM-OTHER")
    for doc in (citing, other):
        out = lodging.submit(sctx, json.dumps(doc).encode(), "application/json", CARRIER)
        assert out.kind == "created", out.errors
    seen = view(sctx, ens.mrn, staff["officer"])
    assert [d.lrn for d in seen.declarations] == ["IM-ENS"]
    assert seen.outcome == "no_risk" and [n.kind for n in seen.told] == ["no_risk_identified"]
    with sctx.uow() as uow:
        ref = summary_by_mrn(uow.session, ens.mrn)
        assert summary_by_mrn(uow.session, "NO-SUCH") is None
    assert ref is not None and (ref.declaration_type, ref.outcome) == ("ENS", "no_risk")


def test_a_screening_done_tells_the_carrier_it_may_load(sctx: Context,
                                                         staff: dict[str, User]) -> None:
    now = sctx.clock.now()
    controls.add_shift(sctx, staff["officer"].id, "RS001002", now - timedelta(hours=1),
                       now + timedelta(hours=6), staff["s1"])
    row = hrs(sctx)
    with sctx.uow() as uow:
        task = uow.session.execute(select(ControlTaskRow).where(
            ControlTaskRow.declaration_id == row.id)).scalar_one()
    control_work.start_task(sctx, task.id, staff["officer"])
    control_work.record_result(sctx, task.id, ControlResult(outcome="regular",
                                                            action="release"), staff["officer"])
    assert status(sctx, row) == "released"
    last = notes(sctx, row)[-1]
    assert last.kind == "no_risk_identified" and "may be loaded" in last.payload["message"]
