"""Profile use cases on the database: life cycle and versions, audit entries, import/export,
and back-tests against lodged declarations with control outcomes."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clearway.audit.service import verify
from clearway.clearance import lodging
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.errors import ClearwayError, DocumentInvalid, NotFound
from clearway.identity import Role, User
from clearway.profiles import repository, service
from clearway.profiles.parse import parse_profile
from clearway.profiles.yaml_io import load_profiles
from clearway.storage.orm import AuditRow
from clearway.storage.orm_risk import RiskProfileRow
from clearway.users.service import create_user
from helpers import REPO, TRADER, control_by, import_doc

ANALYST = "risk_analyst:ana"
TRADER_USER = User(id=1, name="t", role=Role.TRADER, trader_id=TRADER)
OFFICER = "olga"
EXAMPLE = REPO / "docs" / "examples" / "profiles.yaml"


def definition(**changes: Any) -> dict[str, Any]:
    return {"code": "VAL-SHIRTS", "name": "Shirts from China", "area": "valuation",
            "weight": 0.5, "min_channel": "yellow", "owner": "ana",
            "when": {"all": [{"field": "hs6", "prefix": ["6109"]},
                             {"field": "origin_country", "in": ["CN"]}]}, **changes}


def audit_trail(ctx: Context) -> list[tuple[str, str]]:
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(select(AuditRow.action, AuditRow.object_id).where(
            AuditRow.object_type == "risk_profile").order_by(AuditRow.id)).all()
    return [(a, o) for a, o in rows]


def statuses(ctx: Context, code: str) -> list[tuple[int, str]]:
    with ctx.uow(read_only=True) as uow:
        return [(r.version, r.status) for r in repository.versions(uow.session, code)]


def test_life_cycle_versions_and_audit(ctx: Context) -> None:
    first = service.create(ctx, parse_profile(definition()), ANALYST)
    assert (first.version, first.status, first.created_by) == (1, "draft", ANALYST)
    edited = service.update(ctx, "VAL-SHIRTS", parse_profile(definition(weight=0.7)), ANALYST)
    assert (edited.action, edited.profile.version, edited.profile.profile.weight) == (
        "updated", 1, 0.7)
    same = service.update(ctx, "VAL-SHIRTS", parse_profile(definition(weight=0.7)), ANALYST)
    assert same.action == "unchanged"
    service.activate(ctx, "VAL-SHIRTS", None, ANALYST)
    again = service.update(ctx, "VAL-SHIRTS", parse_profile(definition(weight=0.9)), ANALYST)
    assert (again.action, again.profile.version) == ("new_version", 2)
    assert statuses(ctx, "VAL-SHIRTS") == [(1, "active"), (2, "draft")]
    service.activate(ctx, "VAL-SHIRTS", 2, ANALYST)
    assert statuses(ctx, "VAL-SHIRTS") == [(1, "retired"), (2, "active")]
    with ctx.uow(read_only=True) as uow:
        assert [p.ref for p in repository.active_profiles(uow.session)] == ["VAL-SHIRTS v2"]
    service.retire(ctx, "VAL-SHIRTS", None, ANALYST)
    after = service.update(ctx, "VAL-SHIRTS", parse_profile(definition()), ANALYST)
    assert (after.action, after.profile.version) == ("new_version", 3)
    with ctx.uow(read_only=True) as uow:
        assert repository.active_profiles(uow.session) == []
    found, versions = service.get(ctx, "VAL-SHIRTS")
    assert found.version == 3 and [v.version for v in versions] == [3, 2, 1]
    assert audit_trail(ctx) == [
        ("profile.created", "VAL-SHIRTS v1"), ("profile.updated", "VAL-SHIRTS v1"),
        ("profile.activated", "VAL-SHIRTS v1"), ("profile.new_version", "VAL-SHIRTS v2"),
        ("profile.retired", "VAL-SHIRTS v1"), ("profile.activated", "VAL-SHIRTS v2"),
        ("profile.retired", "VAL-SHIRTS v2"), ("profile.new_version", "VAL-SHIRTS v3")]
    assert verify(ctx)[0] is None


@pytest.mark.parametrize(("action", "expected"), [
    (lambda ctx: service.create(ctx, parse_profile(definition()), ANALYST), "CW-PROFILE-EXISTS"),
    (lambda ctx: service.activate(ctx, "VAL-SHIRTS", 1, ANALYST), "CW-PROFILE-STATE"),
    (lambda ctx: service.retire(ctx, "VAL-SHIRTS", 1, ANALYST), "CW-PROFILE-STATE"),
    (lambda ctx: service.activate(ctx, "VAL-SHIRTS", 9, ANALYST), "CW-NOT-FOUND"),
    (lambda ctx: service.activate(ctx, "NOPE", None, ANALYST), "CW-NOT-FOUND"),
    (lambda ctx: service.update(ctx, "NOPE", parse_profile(definition(code="NOPE")), ANALYST),
     "CW-NOT-FOUND"),
    (lambda ctx: service.update(ctx, "VAL-SHIRTS", parse_profile(definition(code="OTHER")),
                                ANALYST), "CW-DOC-INVALID"),
])
def test_refused_changes_are_coded_and_change_nothing(ctx: Context, action: Any,
                                                      expected: str) -> None:
    service.create(ctx, parse_profile(definition()), ANALYST)
    service.activate(ctx, "VAL-SHIRTS", None, ANALYST)
    service.retire(ctx, "VAL-SHIRTS", None, ANALYST)  # v1 retired: neither activate nor retire
    before = (statuses(ctx, "VAL-SHIRTS"), audit_trail(ctx))
    with pytest.raises(ClearwayError) as caught:
        action(ctx)
    assert caught.value.code == expected
    assert (statuses(ctx, "VAL-SHIRTS"), audit_trail(ctx)) == before


def test_import_and_export(ctx: Context, tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    saved = service.import_yaml(ctx, text, ANALYST, owner="ana", activate_all=True)
    assert [(s.profile.code, s.action, s.activated) for s in saved] == [
        ("VAL-TEXTILES-CN", "created", True), ("SEC-ROUTE-SANCTIONED", "created", True),
        ("CLS-NEW-TRADER-ELECTRONICS", "created", True)]
    again = service.import_yaml(ctx, text, ANALYST, owner="ana", activate_all=True)
    assert {s.action for s in again} == {"unchanged"} and not any(s.activated for s in again)
    exported = service.export_yaml(ctx, "active")
    assert load_profiles(exported) == sorted(load_profiles(text), key=lambda p: p.code)
    changed = text.replace("weight: 0.8", "weight: 0.9")
    third = service.import_yaml(ctx, changed, ANALYST, owner="ana")
    assert [s.action for s in third if s.action != "unchanged"] == ["new_version"]
    assert statuses(ctx, "SEC-ROUTE-SANCTIONED") == [(1, "active"), (2, "draft")]
    assert "weight: 0.9" in service.export_yaml(ctx)  # newest version per code


def test_an_import_with_one_bad_profile_stores_nothing(ctx: Context) -> None:
    text = EXAMPLE.read_text().replace("field: tax_rate", "field: tax")
    with pytest.raises(DocumentInvalid) as caught:
        service.import_yaml(ctx, text, ANALYST, owner="ana")
    assert [(i.code, i.pointer) for i in caught.value.errors] == [
        ("CW-PROFILE-FIELD", "/2/when/all/2/field")]
    assert "CLS-NEW-TRADER-ELECTRONICS" in caught.value.errors[0].message
    with ctx.uow(read_only=True) as uow:
        assert uow.session.execute(select(RiskProfileRow)).first() is None


# --- back-tests ------------------------------------------------------------------------

@pytest.fixture
def held(ctx: Context) -> Context:
    """Green declarations wait for the officer instead of being released at once, so that
    tests can put them under control."""
    ctx.settings = ctx.settings.model_copy(update={"auto_release": False})
    with ctx.uow() as uow:  # the officer who controls them (a user like any other)
        create_user(uow.session, name=OFFICER, role="officer", trader_id=None,
                    now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    return ctx


def lodge(ctx: Context, lrn: str, origin: str) -> str:
    doc = import_doc(lrn=lrn)
    doc["items"][1]["origin_country"] = origin  # item 2: cotton T-shirts, HS 610910
    out = lodging.submit(ctx, json.dumps(doc).encode(), "application/json", TRADER_USER)
    assert out.kind == "created", out.errors
    assert out.row.mrn is not None
    return out.row.mrn




def test_backtest_counts_hits_controls_and_irregular_ones(held: Context,
                                                          clock: FixedClock) -> None:
    ctx = held
    irregular = lodge(ctx, "BT-1", "CN")
    clock.advance(hours=1)
    regular = lodge(ctx, "BT-2", "CN")
    clock.advance(hours=1)
    unchecked = lodge(ctx, "BT-3", "CN")
    clock.advance(hours=1)
    elsewhere = lodge(ctx, "BT-4", "BD")  # no hit, though found irregular
    for mrn, outcome in ((irregular, "irregular"), (regular, "regular"),
                         (elsewhere, "irregular")):
        control_by(ctx, OFFICER, mrn, outcome)
    today = clock.now().date()
    result = service.backtest(ctx, parse_profile(definition()), today - timedelta(days=30),
                              today)
    assert (result.declarations, result.hits, result.controlled, result.irregular) == (4, 3, 2, 1)
    assert (result.hit_rate, result.irregular_rate) == (0.75, 0.5)
    assert [(s.mrn, s.items, s.outcome) for s in result.sample] == [
        (unchecked, (2,), None), (regular, (2,), "regular"), (irregular, (2,), "irregular")]
    earlier = service.backtest(ctx, parse_profile(definition()), date(2026, 1, 1),
                               today - timedelta(days=1))
    assert (earlier.declarations, earlier.hits) == (0, 0)


def test_backtest_sees_each_traders_record_as_it_stood(held: Context,
                                                       clock: FixedClock) -> None:
    ctx = held
    mrns = []
    for n in range(3):
        mrns.append(lodge(ctx, f"H-{n}", "BD"))
        clock.advance(days=1)
    control_by(ctx, OFFICER, mrns[0], "irregular")
    newcomer = definition(when={"field": "trader_declarations", "range": {"max": 1}})
    flagged = definition(when={"field": "trader_irregular", "greater_than": 0})
    today = clock.now().date()
    first_two = service.backtest(ctx, parse_profile(newcomer), today - timedelta(days=10), today)
    assert sorted(s.mrn for s in first_two.sample) == sorted(mrns[:2])
    # The control of the first ended after all three were lodged: none saw it as history.
    assert service.backtest(ctx, parse_profile(flagged), today - timedelta(days=10),
                            today).hits == 0


@pytest.mark.parametrize(("start", "end"), [(date(2026, 2, 1), date(2026, 1, 1)),
                                            (date(2025, 1, 1), date(2026, 1, 2))])
def test_backtest_period_must_be_forward_and_at_most_a_year(ctx: Context, start: date,
                                                            end: date) -> None:
    with pytest.raises(ClearwayError) as caught:
        service.backtest(ctx, parse_profile(definition()), start, end)
    assert (caught.value.code, caught.value.status) == ("CW-PROFILE-PERIOD", 422)


def test_get_unknown_profile(ctx: Context) -> None:
    with pytest.raises(NotFound):
        service.get(ctx, "NOPE")
