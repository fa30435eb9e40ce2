"""The traders' records the live decision reads (`risk.trader_summary`) stay equal to the
point-in-time query over everything (`history_store.trader_records`) through the real use
cases: lodgings, controls with outcomes (one declaration controlled twice), cancellations,
invalidations, an amendment that changes the importer, the former release with an outcome."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from clearway.clearance import acceptance, changes, control_work, early, lodging, officer_actions
from clearway.clearance.filings import Outcome
from clearway.context import Context
from clearway.controls import repository as controls_repo
from clearway.controls.model import ControlResult
from clearway.controls.tasks import open_task
from clearway.declarations import repository as decl_repo
from clearway.identity import Role, User
from clearway.risk.engine.decision import Channel
from clearway.risk.engine.frame import TraderRecord
from clearway.risk.learning.history_store import trader_records
from clearway.risk.trader_summary import rebuild
from clearway.storage.orm_risk import TraderRecordRow
from controls_world import OFFICE, World, force, office
from helpers import TRADER, import_doc

# Registered traders (refdata traders.csv): an importer must be in the register.
A, B, C, D = "RS101456782", "RS102678903", "RS103890124", "RS104012345"


def imp(lrn: str, importer: str | None) -> dict[str, Any]:
    return import_doc(lrn=lrn, offices={"lodgement": OFFICE},
                      importer={"id": importer} if importer else None)


def exp(lrn: str, exporter: str) -> dict[str, Any]:
    return import_doc(lrn=lrn, declaration_type="EX", offices={"lodgement": OFFICE},
                      exporter={"id": exporter}, importer=None, destination_country="DE")


def ens(lrn: str, consignee: str | None) -> dict[str, Any]:
    named = {"name": "Harbour Traders", "address": {"city": "Port", "country": "CN"}}
    return {"declaration_type": "ENS", "lrn": lrn, "declarant": {"id": TRADER},
            "carrier": {"id": TRADER}, "consignor": named,
            "consignee": {"id": consignee} if consignee else named,  # named: no trader id
            "offices": {"first_entry": OFFICE}, "transport_mode": "1",
            "conveyance_reference": "V123E", "place_of_loading": "CNSHA",
            "place_of_unloading": "GRPIR",
            "items": [{"sequence": 1, "description": "Electric shavers", "hs6": "851010",
                       "gross_mass": "100", "packages": [{"kind": "CT", "count": 5}]}]}


REGULAR = ControlResult("regular", "release")
IRREGULAR = ControlResult("irregular", "release", ("undervaluation",), Decimal("10"))
# (lrn, document, what follows its lodging). Imports are selected red (a task each);
# "audit:" opens a post-clearance audit (a second control of released goods).
STEPS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("A1", imp("A1", A), ["regular"]),
    ("A2", imp("A2", A), ["irregular"]),
    ("A3", imp("A3", A), ["regular", "audit:irregular"]),  # controlled twice: counts once
    ("A4", imp("A4", A), ["irregular", "audit:regular"]),  # a later regular clears nothing
    ("B1", imp("B1", B), []),  # selected, not yet controlled
    ("B2", imp("B2", B), ["amend:" + A, "irregular"]),  # the importer corrected to A
    ("B3", imp("B3", B), ["regular"]),
    ("T1", imp("T1", TRADER), ["irregular"]),  # the declarant's own import
    ("X1", imp("X1", None), ["rejected"]),  # an import needs its importer: never counted
    ("C1", exp("C1", C), ["cancel"]),
    ("C2", exp("C2", C), ["invalidate"]),
    ("C3", exp("C3", C), ["manual:irregular"]),  # controlled from the declaration, no task
    ("D1", ens("D1", D), []),
    ("D2", ens("D2", None), []),
    ("A5", imp("A5", A), []),
]
EXPECTED = {  # everything done: (declarations, controls, irregular)
    A: (6, 5, 4), B: (2, 1, 0), C: (3, 1, 1), D: (1, 0, 0), TRADER: (2, 1, 1),
}


def table(ctx: Context) -> dict[str, TraderRecord]:
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(select(TraderRecordRow)).scalars()
        return {r.trader_id: TraderRecord(r.declarations, r.controls, r.irregular,
                                          r.first_seen) for r in rows}


def query(ctx: Context) -> dict[str, TraderRecord]:
    with ctx.uow(read_only=True) as uow:
        return trader_records(uow.session, [A, B, C, D, TRADER], until=None)


def control(ctx: Context, world: World, row_id: int, outcome: str, *, audit: bool) -> None:
    staff = {u.id: u for u in (world.qualified, world.unqualified, world.elsewhere)}
    with ctx.uow() as uow:
        if audit:
            row = decl_repo.get(uow.session, str(row_id))
            assert row is not None
            open_task(uow.session, declaration=row, channel=str(Channel.BLUE), reasons=["x"],
                      instructions=[], qualifications=[], random_selected=False,
                      origin="sample", now=ctx.clock.now(), rng=ctx.rng, actor="test")
        (task,) = controls_repo.open_tasks_of(uow.session, row_id)
        uow.commit()
    assert task.officer_id is not None
    officer = staff[task.officer_id]
    control_work.start_task(ctx, task.id, officer)
    control_work.record_result(ctx, task.id, REGULAR if outcome == "regular" else IRREGULAR,
                           officer)


def follow(ctx: Context, world: World, out: Outcome, then: str,
           data: dict[str, Any]) -> None:
    mrn, what, _, arg = out.row.mrn, *then.partition(":")
    assert mrn is not None
    if what in ("regular", "irregular", "audit"):
        control(ctx, world, out.row.id, arg or what, audit=what == "audit")
    elif what == "amend":
        new = {**data, "importer": {"id": arg}}
        answer = changes.amend_by_key(ctx, mrn, json.dumps(new).encode(),
                                           "application/json", world.trader)
        assert answer.kind == "unchanged", answer.errors
    elif what == "cancel":
        changes.cancel(ctx, mrn, "lodged twice", world.trader)
    elif what == "invalidate":
        officer_actions.officer_action(ctx, mrn, "invalidate", "goods never arrived",
                                    world.supervisor)
    elif what == "manual":  # the officer's actions open a manual task for the result
        officer_actions.officer_action(ctx, mrn, "start-control", None, world.qualified)
        officer_actions.officer_action(ctx, mrn, "release", None, world.qualified,
                                       outcome=arg)
    else:
        raise AssertionError(then)


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, TraderRecord]]:
    """The trader records each live decision was given (made early, while the filing is
    checked, or again in the acceptance's transaction)."""
    given: list[dict[str, TraderRecord]] = []
    real = acceptance.assess

    def spy(*args: Any, **kwargs: Any) -> Any:
        given.append(dict(kwargs["traders"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(acceptance, "assess", spy)
    monkeypatch.setattr(early, "assess", spy)
    return given


def test_the_summary_is_the_query_after_every_step(
        ctx: Context, seen: list[dict[str, TraderRecord]]) -> None:
    world = office(ctx)
    force(ctx, Channel.RED)
    for lrn, data, then in STEPS:
        ctx.clock.advance(minutes=7)  # type: ignore[attr-defined]
        role = {"ENS": "consignee", "EX": "exporter"}.get(data["declaration_type"], "importer")
        trader = (data.get(role) or {}).get("id") or data["declarant"]["id"]
        before = {t: r for t, r in query(ctx).items() if t == trader}
        out = lodging.submit(ctx, json.dumps(data).encode(), "application/json",
                                  world.trader)
        if then == ["rejected"]:
            assert out.kind == "rejected" and table(ctx) == query(ctx)
            continue
        assert out.kind == "created", (lrn, out.errors)
        assert seen[-1] == before, lrn  # the live decision saw what the query says
        for step in then:
            follow(ctx, world, out, step, data)
        assert table(ctx) == query(ctx), (lrn, then)
    got = {t: (r.declarations, r.controls, r.irregular) for t, r in table(ctx).items()}
    assert got == EXPECTED
    assert {r.first_seen for r in table(ctx).values()} == {ctx.clock.now().date()}


def test_rebuild_gives_the_maintained_table(ctx: Context) -> None:
    world = office(ctx)
    force(ctx, Channel.RED)
    for _, data, then in STEPS[:6]:
        out = lodging.submit(ctx, json.dumps(data).encode(), "application/json",
                                  world.trader)
        for step in then:
            follow(ctx, world, out, step, data)
    maintained = table(ctx)
    with ctx.uow() as uow:
        assert rebuild(uow.session) == len(maintained) == 2
        uow.commit()
    assert table(ctx) == maintained == query(ctx)


def test_concurrent_lodgings_of_one_trader_lose_no_count(ctx: Context) -> None:
    # On PostgreSQL the threads' transactions overlap (SQLite takes them in turn): the
    # upsert adds to the stored count, so none of them is lost.
    trader = User(id=1, name="t", role=Role.TRADER, trader_id=TRADER)

    def lodge(i: int) -> int:
        data = json.dumps(imp(f"P{i}", A)).encode()
        return lodging.submit(ctx, data, "application/json", trader).kind

    assert lodge(0) == "created"  # the first audit entry alone (it creates the chain's head)
    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(lodge, range(1, 17))) == {"created"}
    assert table(ctx) == query(ctx) and table(ctx)[A].declarations == 17


@pytest.mark.parametrize(("meanwhile", "assessed_again"), [
    ([], False),  # nothing moved: the early assessment is the decision's
    (["lodge"], False),  # another filing of the trader counted meanwhile: still stands
    (["regular"], True),  # a control result recorded meanwhile always counts
], ids=["nothing", "a filing", "a control result"])
def test_an_early_assessment_stands_only_while_its_record_does(
        ctx: Context, seen: list[dict[str, TraderRecord]], meanwhile: list[str],
        assessed_again: bool) -> None:
    world = office(ctx)
    force(ctx, Channel.RED)
    first = lodging.submit(ctx, json.dumps(imp("E1", A)).encode(), "application/json",
                           world.trader)
    data = json.dumps(imp("E2", A)).encode()
    parsed, checked = lodging.prepare(ctx, data, "application/json", world.trader)
    assert checked is not None and checked.early is not None
    for step in meanwhile:
        if step == "lodge":
            lodging.submit(ctx, json.dumps(imp("E3", A)).encode(), "application/json",
                           world.trader)
        else:
            follow(ctx, world, first, step, {})
    del seen[:]
    before = query(ctx)[A]
    out = lodging.submit(ctx, data, "application/json", world.trader, parsed, checked)
    assert out.kind == "created"
    if assessed_again:
        assert seen == [{A: before}] and before.controls == 1
    else:
        assert seen == []  # no engine call inside the transaction
