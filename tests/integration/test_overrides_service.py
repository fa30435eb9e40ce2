"""Four-eyes overrides on stored declarations: asking changes nothing, approval applies the
whole change in one unit of work, rejection leaves everything as it was."""

from __future__ import annotations

import json
import random
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import polars as pl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.audit.service import verify
from clearway.clearance import lodging
from clearway.clearance import overrides as four_eyes
from clearway.composition import rule_components
from clearway.config import Settings
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Role, User
from clearway.overrides import service
from clearway.overrides.model import Kind
from clearway.risk import repository as risk_repo
from clearway.risk.engine.decision import Area, Channel, Hit, Source
from clearway.risk.knowledge import Component, KnowledgeCache
from clearway.storage.orm import AuditRow, DeclarationRow, NotificationRow
from clearway.storage.orm_controls import ControlTaskRow
from clearway.users.service import create_user
from helpers import TRADER, import_doc

OFFICE = "RS001002"
NON_AEO = {"id": "RS101456782"}  # an importer without AEO status: soft risk goes red
REASON = "Seals and documents checked at the border post, nothing suspicious"


@dataclass(frozen=True)
class EveryImport:
    """A test rule: a soft valuation hit of `weight` on every import item."""

    weight: float

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        rows = frame.filter(pl.col("declaration_type") == "IM")
        return [(d, Hit(Source.PROFILE, "TEST v1", Area.VALUATION, "test rule",
                        weight=self.weight, item=i))
                for d, i in zip(rows["_decl"], rows["item"], strict=True)]


def with_rule(ctx: Context, weight: float) -> None:
    settings = ctx.settings.model_copy(update={"random_share": 0.0,
                                               "risk_recheck_seconds": 0.0})

    def sig(session: Session, s: Settings) -> Hashable:
        return 1

    rule = EveryImport(weight)
    parts = [*rule_components(), Component("test", sig, lambda s, _: rule)]
    ctx.risk = KnowledgeCache(ctx.read_sessions, settings, parts, refdata=ctx.refdata.get)


def person(ctx: Context, name: str, role: Role) -> User:
    with ctx.uow() as uow:
        user, _token = create_user(uow.session, name=name, role=role.value, trader_id=None,
                                   now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    return user


@pytest.fixture
def staff(ctx: Context) -> dict[str, User]:
    return {"officer": person(ctx, "olga", Role.OFFICER),
            "s1": person(ctx, "sam", Role.SUPERVISOR),
            "s2": person(ctx, "sue", Role.SUPERVISOR)}


def lodge(ctx: Context, lrn: str, weight: float) -> DeclarationRow:
    with_rule(ctx, weight)
    trader = User(id=0, name="t", role=Role.TRADER, trader_id=TRADER)
    doc = import_doc(lrn=lrn, offices={"lodgement": OFFICE}, importer=NON_AEO)
    out = lodging.submit(ctx, json.dumps(doc).encode(), "application/json", trader)
    assert out.kind == "created", out.errors
    return out.row


def state(ctx: Context, row: DeclarationRow) -> dict[str, Any]:
    """Everything an override may change, read back from the database."""
    with ctx.uow(read_only=True) as uow:
        s = uow.session
        decision = risk_repo.get_decision(s, row.id)
        assert decision is not None
        tasks = s.execute(select(ControlTaskRow.channel, ControlTaskRow.origin,
                                 ControlTaskRow.status)
                          .where(ControlTaskRow.declaration_id == row.id)
                          .order_by(ControlTaskRow.id)).all()
        notes = s.execute(select(NotificationRow.kind, NotificationRow.payload)
                          .where(NotificationRow.declaration_id == row.id)
                          .order_by(NotificationRow.id)).all()
        actions = list(s.execute(select(AuditRow.action).order_by(AuditRow.id)).scalars())
        status = s.execute(select(DeclarationRow.status)
                           .where(DeclarationRow.id == row.id)).scalar_one()
        return {"status": status, "channel": decision.channel, "decision": decision.decision,
                "tasks": [tuple(t) for t in tasks], "notes": [tuple(n) for n in notes],
                "actions": actions}


@pytest.mark.parametrize(("share", "sampled"), [(1.0, True), (0.0, False)])
def test_red_to_green_waives_releases_and_may_sample(ctx: Context, staff: dict[str, User],
                                                     share: float, sampled: bool) -> None:
    row = lodge(ctx, "OV-1", 0.9)
    assert state(ctx, row)["tasks"] == [("red", "decision", "awaiting_officer")]
    asked = four_eyes.request(ctx, row.mrn or "", Kind.CHANNEL_CHANGE, Channel.GREEN, REASON,
                            staff["officer"])
    before = state(ctx, row)
    assert (before["status"], before["channel"]) == ("risk_assessed", "red")
    ctx.settings = ctx.settings.model_copy(update={"override_audit_share": share})
    ctx.rng = random.Random(11)
    done = four_eyes.approve(ctx, asked.id, "agreed after the call", staff["s1"])
    after = state(ctx, row)
    assert (done.status, done.requested_by_id, done.decided_by_id) == (
        "approved", staff["officer"].id, staff["s1"].id)
    assert (after["status"], after["channel"]) == ("released", "green")
    override = after["decision"]["override"]
    assert (override["original_channel"], override["reason"], override["requested_by"],
            override["approved_by"]) == ("red", REASON, "olga", "sam")
    expected_tasks = [("red", "decision", "waived")]
    if sampled:
        expected_tasks.append(("blue", "sample", "awaiting_officer"))
    assert after["tasks"] == expected_tasks and done.audit_sampled is sampled
    kind, payload = after["notes"][-1]
    assert kind == "released" and payload["channel"] == "green"
    assert all(REASON not in json.dumps(p) for _k, p in after["notes"])
    assert {"override.requested", "override.approved", "declaration.channel_changed",
            "control_task.waived", "declaration.released"} <= set(after["actions"])
    assert ("override.audit_sampled" in after["actions"]) is sampled
    assert verify(ctx)[0] is None


def test_rejection_leaves_everything(ctx: Context, staff: dict[str, User]) -> None:
    row = lodge(ctx, "OV-2", 0.9)
    asked = four_eyes.request(ctx, row.mrn or "", Kind.WAIVER, None, REASON, staff["s1"])
    before = state(ctx, row)
    done = service.reject(ctx, asked.id, "a physical check is needed here", staff["s2"])
    after = state(ctx, row)
    assert done.status == "rejected" and done.decided_by_id == staff["s2"].id
    assert {k: v for k, v in after.items() if k != "actions"} == {
        k: v for k, v in before.items() if k != "actions"}
    assert after["actions"][len(before["actions"]):] == ["override.rejected"]


def test_cancellation_after_selection(ctx: Context, staff: dict[str, User]) -> None:
    row = lodge(ctx, "OV-3", 0.9)
    asked = four_eyes.request(ctx, row.mrn or "", Kind.CANCELLATION, None, REASON,
                            staff["officer"])
    four_eyes.approve(ctx, asked.id, None, staff["s2"])
    after = state(ctx, row)
    assert (after["status"], after["channel"]) == ("cancelled", "red")
    assert after["tasks"] == [("red", "decision", "cancelled")]
    assert after["notes"][-1][0] == "cancelled"
    assert REASON not in json.dumps(after["notes"][-1][1])


def test_stricter_channel_opens_a_task_and_tells_the_trader(ctx: Context,
                                                            staff: dict[str, User]) -> None:
    ctx.settings = ctx.settings.model_copy(update={"auto_release": False})
    row = lodge(ctx, "OV-4", 0.0)
    assert state(ctx, row)[("channel")] == "green"
    asked = four_eyes.request(ctx, row.mrn or "", Kind.CHANNEL_CHANGE, Channel.RED, REASON,
                            staff["s1"])
    four_eyes.approve(ctx, asked.id, None, staff["s2"])
    after = state(ctx, row)
    assert (after["status"], after["channel"]) == ("risk_assessed", "red")
    assert after["tasks"] == [("red", "override", "awaiting_officer")]
    kind, payload = after["notes"][-1]
    assert (kind, payload["channel"]) == ("channel_changed", "red")


@pytest.mark.parametrize(("second_kind", "to", "code"), [
    (Kind.WAIVER, None, "CW-OVERRIDE-PENDING"),
    (Kind.CHANNEL_CHANGE, Channel.RED, "CW-OVERRIDE-NOOP"),
])
def test_one_pending_request_and_no_no_ops(ctx: Context, staff: dict[str, User],
                                           second_kind: Kind, to: Channel | None,
                                           code: str) -> None:
    row = lodge(ctx, "OV-5", 0.9)
    four_eyes.request(ctx, row.mrn or "", Kind.CHANNEL_CHANGE, Channel.YELLOW, REASON,
                    staff["officer"])
    with pytest.raises(ClearwayError) as caught:
        four_eyes.request(ctx, row.mrn or "", second_kind, to, REASON, staff["s1"])
    assert caught.value.code == code


def test_nobody_approves_their_own_request(ctx: Context, staff: dict[str, User]) -> None:
    row = lodge(ctx, "OV-6", 0.9)
    asked = four_eyes.request(ctx, row.mrn or "", Kind.WAIVER, None, REASON, staff["s1"])
    for decide in (four_eyes.approve, service.reject):
        with pytest.raises(ClearwayError) as caught:
            decide(ctx, asked.id, "looks fine to me, go", staff["s1"])
        assert (caught.value.code, caught.value.status) == ("CW-FOUR-EYES", 403)
    assert state(ctx, row)["tasks"] == [("red", "decision", "awaiting_officer")]
    four_eyes.approve(ctx, asked.id, None, staff["s2"])
    with pytest.raises(ClearwayError) as again:
        four_eyes.approve(ctx, asked.id, None, staff["s2"])
    assert again.value.code == "CW-OVERRIDE-DECIDED"


@pytest.mark.parametrize(("action", "as_name", "extra", "exit_code", "said"), [
    ("approve", "sam", [], 2, "CW-FOUR-EYES"),  # sam asked
    ("approve", "olga", [], 2, "CW-FORBIDDEN"),  # officers do not approve
    ("approve", "nobody", [], 2, "CW-NOT-FOUND"),
    ("reject", "sue", ["--note", "too short"], 2, "CW-OVERRIDE-REASON"),
    ("reject", "sue", ["--note", "the control must go ahead"], 0, "rejected by sue"),
    ("approve", "sue", [], 0, "approved by sue"),
])
def test_command_line_decides_as_a_named_supervisor(
        ctx: Context, staff: dict[str, User], monkeypatch: pytest.MonkeyPatch, db_url: str,
        action: str, as_name: str, extra: list[str], exit_code: int, said: str) -> None:
    from typer.testing import CliRunner

    from clearway.cli.main import app
    from clearway.config import get_settings

    row = lodge(ctx, "OV-CLI", 0.9)
    asked = four_eyes.request(ctx, row.mrn or "", Kind.WAIVER, None, REASON, staff["s1"])
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        listed = runner.invoke(app, ["overrides", "list"])
        assert listed.exit_code == 0 and row.mrn in listed.stdout
        result = runner.invoke(app, ["overrides", action, str(asked.id), "--as", as_name,
                                     *extra])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == exit_code
    assert said in (result.stdout + result.stderr)
    expected = {0: "approved" if action == "approve" else "rejected", 2: "pending"}[exit_code]
    with ctx.uow(read_only=True) as uow:
        assert repo_status(uow.session, asked.id) == expected


def repo_status(session: Session, override_id: int) -> str:
    from clearway.overrides import repository as repo

    found = repo.get(session, override_id)
    assert found is not None
    return found.status
