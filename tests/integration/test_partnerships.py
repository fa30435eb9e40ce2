"""Partnerships with trade on SQLite and PostgreSQL: an MoU's member read by a risk profile
through the live acceptance (the membership handed to the engine with its knowledge), the
facilitation figures from the stored decisions and release events, and the consultation
record's follow-up actions."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from clearway.clearance import lodging
from clearway.composition import rule_components
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Role, User
from clearway.partnerships import repository, service
from clearway.partnerships.model import Member, Mou
from clearway.periods import period
from clearway.profiles import service as profiles
from clearway.profiles.parse import parse_profile
from clearway.risk import repository as risk_repo
from clearway.risk.knowledge import KnowledgeCache
from clearway.storage.orm import AuditRow, DeclarationRow
from helpers import TRADER, import_doc

SUPERVISOR = User(id=1, name="sup", role=Role.SUPERVISOR, trader_id=None)
LODGER = User(id=2, name="t", role=Role.TRADER, trader_id=TRADER)
NON_MEMBER = "RS101456782"
OFFICE = "RS001002"


def mou(ctx: Context, code: str = "MOU-FFA", **changes: Any) -> Mou:
    today = ctx.clock.now().date()
    data: dict[str, Any] = dict(
        code=code, title="Freight forwarders' data quality", kind="trade_association",
        parties=("Customs", "Freight Forwarders' Association"),
        scope="Complete and timely data from the association's members",
        obligations=("Members declare complete data",),
        facilitations=("Documentary checks only where a risk of its own selects",),
        contacts=({"name": "A. Petrović", "organisation": "FFA"},),
        valid_from=today - timedelta(days=365), valid_to=today + timedelta(days=365))
    data.update(changes)
    return Mou(**data)


def quiet_engine(ctx: Context) -> None:
    """The real knowledge sources, no random selection, no cache delay."""
    settings = ctx.settings.model_copy(update={"random_share": 0.0,
                                               "risk_recheck_seconds": 0.0})
    ctx.risk = KnowledgeCache(ctx.read_sessions, settings, rule_components(),
                              refdata=ctx.refdata.get)


def lodge(ctx: Context, lrn: str, importer: str) -> DeclarationRow:
    doc = import_doc(lrn=lrn, offices={"lodgement": OFFICE}, importer={"id": importer})
    out = lodging.submit(ctx, json.dumps(doc).encode(), "application/json", LODGER)
    assert out.kind == "created", out.errors
    return out.row


def decided(ctx: Context, row: DeclarationRow) -> tuple[str, list[str]]:
    with ctx.uow(read_only=True) as uow:
        found = risk_repo.get_decision(uow.session, row.id)
        assert found is not None
        return found.channel, [h["ref"] for h in found.decision["hits"]]


MEMBER_PROFILE = {"code": "MOU-MEMBERS", "name": "MoU members: documentary check",
                  "area": "valuation", "weight": 0.2, "owner": "risk-analyst",
                  "min_channel": "yellow", "instructions": "check the MoU data",
                  "when": {"field": "mou_member", "equals": True}}
NOT_FFA = {**MEMBER_PROFILE, "code": "NOT-FFA", "min_channel": "red",
           "when": {"not": {"field": "mou_codes", "any_of": ["MOU-FFA"]}}}


@pytest.mark.parametrize(("written", "member_hit", "other_hit"), [
    (MEMBER_PROFILE, "MOU-MEMBERS v1", None),
    (NOT_FFA, None, "NOT-FFA v1"),
])
def test_a_profile_reads_mou_membership(ctx: Context, written: dict[str, Any],
                                        member_hit: str | None, other_hit: str | None) -> None:
    quiet_engine(ctx)
    service.add_mou(ctx, mou(ctx), user=SUPERVISOR)
    today = ctx.clock.now().date()
    service.add_member(ctx, "MOU-FFA", Member(TRADER, today - timedelta(days=10)),
                       user=SUPERVISOR)
    profiles.create(ctx, parse_profile(written), "analyst")
    profiles.activate(ctx, written["code"], None, "analyst")
    _, member = decided(ctx, lodge(ctx, "MOU-1", TRADER))
    _, other = decided(ctx, lodge(ctx, "MOU-2", NON_MEMBER))
    assert (member_hit in member) if member_hit else written["code"] + " v1" not in member
    assert (other_hit in other) if other_hit else written["code"] + " v1" not in other


def test_an_ended_membership_no_longer_counts(ctx: Context) -> None:
    quiet_engine(ctx)
    today = ctx.clock.now().date()
    service.add_mou(ctx, mou(ctx), user=SUPERVISOR)
    service.add_member(ctx, "MOU-FFA", Member(TRADER, today - timedelta(days=10)),
                       user=SUPERVISOR)
    profiles.create(ctx, parse_profile(MEMBER_PROFILE), "analyst")
    profiles.activate(ctx, "MOU-MEMBERS", None, "analyst")
    assert "MOU-MEMBERS v1" in decided(ctx, lodge(ctx, "END-1", TRADER))[1]
    found = service.end_member(ctx, "MOU-FFA", TRADER, today - timedelta(days=1),
                               user=SUPERVISOR)
    assert found.members[0].valid_to == today - timedelta(days=1)
    assert "MOU-MEMBERS v1" not in decided(ctx, lodge(ctx, "END-2", TRADER))[1]


def test_facilitation_figures_from_the_stored_decisions(ctx: Context) -> None:
    quiet_engine(ctx)
    today = ctx.clock.now().date()
    service.add_mou(ctx, mou(ctx), user=SUPERVISOR)
    service.add_member(ctx, "MOU-FFA", Member(TRADER, today - timedelta(days=10)),
                       user=SUPERVISOR)
    # Non-members get a documentary check, members are released green.
    profiles.create(ctx, parse_profile(NOT_FFA | {"min_channel": "yellow"}), "analyst")
    profiles.activate(ctx, "NOT-FFA", None, "analyst")
    for i in range(3):
        lodge(ctx, f"F-M{i}", TRADER)
    lodge(ctx, "F-N0", NON_MEMBER)
    found = service.facilitation(ctx, period(today))
    assert (found["members"]["decided"], found["members"]["green_share"]) == (3, 1.0)
    assert (found["non_members"]["decided"], found["non_members"]["green_share"]) == (1, 0.0)
    assert found["members"]["release_minutes"]["count"] == 3
    assert found["non_members"]["release_minutes"] == {"count": 0}
    assert found["by_mou"]["MOU-FFA"]["decided"] == 3
    assert found["difference"]["green_share"] == 1.0


def test_the_register_refuses_and_audits(ctx: Context) -> None:
    today = ctx.clock.now().date()
    service.add_mou(ctx, mou(ctx), user=SUPERVISOR)
    with pytest.raises(ClearwayError) as exc:
        service.add_mou(ctx, mou(ctx), user=SUPERVISOR)
    assert exc.value.code == "CW-MOU-EXISTS"
    with pytest.raises(ClearwayError) as exc:
        service.add_member(ctx, "MOU-FFA", Member(TRADER, today - timedelta(days=900)),
                           user=SUPERVISOR)
    assert exc.value.code == "CW-MOU-INVALID"
    reviewed = service.review_mou(ctx, "MOU-FFA", note="Obligations met",
                                  next_review_on=today + timedelta(days=180), user=SUPERVISOR)
    assert reviewed.reviews[0].note == "Obligations met"
    assert reviewed.next_review_on == today + timedelta(days=180)
    with ctx.uow(read_only=True) as uow:
        actions = list(uow.session.execute(select(AuditRow.action).where(
            AuditRow.object_type == "mou")).scalars())
    assert actions == ["mou.added", "mou.reviewed"]


def test_consultation_actions_with_owners_and_deadlines(ctx: Context) -> None:
    today = ctx.clock.now().date()
    service.add_mou(ctx, mou(ctx), user=SUPERVISOR)
    first = service.record_consultation(
        ctx, held_on=today - timedelta(days=20), title="Quarterly meeting",
        participants=["Customs", "FFA"], topics=["ENS data quality"],
        outcomes="FFA to brief members", mou_code="MOU-FFA", user=SUPERVISOR)
    second = service.record_consultation(
        ctx, held_on=today, title="Follow-up", participants=["FFA"], topics=["ICS2"],
        outcomes="ok", mou_code=None, user=SUPERVISOR)
    assert second.reference == f"CT-{today.year}-000{2 if first.held_on.year == today.year else 1}"
    late = service.add_action(ctx, first.reference, description="Publish guidance",
                              owner="supervisor:ana", due_on=today - timedelta(days=1),
                              user=SUPERVISOR)
    action = late.actions[0]
    assert action.overdue(today)
    done = service.complete_action(ctx, first.reference, action.id, note="published",
                                   user=SUPERVISOR)
    assert not done.actions[0].overdue(today) and done.actions[0].done_on == today
    with pytest.raises(ClearwayError) as exc:
        service.complete_action(ctx, first.reference, action.id, note=None, user=SUPERVISOR)
    assert exc.value.code == "CW-CONSULTATION-INVALID"
    with pytest.raises(ClearwayError) as exc:
        service.record_consultation(ctx, held_on=today, title="x", participants=[], topics=[],
                                    outcomes="x", mou_code=None, user=SUPERVISOR)
    assert exc.value.code == "CW-CONSULTATION-INVALID"
    assert [c.reference for c in service.list_consultations(ctx)] == [second.reference,
                                                                    first.reference]


def test_memberships_are_cut_to_the_mou(ctx: Context) -> None:
    today = ctx.clock.now().date()
    service.add_mou(ctx, mou(ctx, valid_to=today + timedelta(days=30)), user=SUPERVISOR)
    service.add_member(ctx, "MOU-FFA", Member(TRADER, today, today + timedelta(days=30)),
                       user=SUPERVISOR)
    with ctx.uow(read_only=True) as uow:
        members = repository.memberships(uow.session)
    assert members.codes(TRADER, today) == ["MOU-FFA"]
    assert members.codes(TRADER, today + timedelta(days=31)) == []
    assert members.codes(TRADER, date(2000, 1, 1)) == []


def test_a_backtest_reads_membership_on_each_declarations_date(ctx: Context) -> None:
    quiet_engine(ctx)
    today = ctx.clock.now().date()
    service.add_mou(ctx, mou(ctx), user=SUPERVISOR)
    service.add_member(ctx, "MOU-FFA", Member(TRADER, today - timedelta(days=10)),
                       user=SUPERVISOR)
    for i in range(2):
        lodge(ctx, f"BT-M{i}", TRADER)
    lodge(ctx, "BT-N0", NON_MEMBER)
    found = profiles.backtest(ctx, parse_profile(MEMBER_PROFILE), today, today)
    assert (found.declarations, found.hits) == (3, 2)
