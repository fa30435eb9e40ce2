"""Every accepted declaration and ENS gets its risk decision in the acceptance transaction."""

from __future__ import annotations

import json
import random
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.audit.service import verify
from clearway.clearance import lodging
from clearway.clock import FixedClock
from clearway.composition import rule_components
from clearway.config import Settings
from clearway.context import Context
from clearway.demo.generator import DeclarationGenerator
from clearway.identity import Role, User
from clearway.risk import repository as risk_repo
from clearway.risk.engine.decision import Area, Channel, Hit, Source
from clearway.risk.knowledge import Component, KnowledgeCache
from clearway.screening.model import ListEntry
from clearway.screening.repository import replace_list
from clearway.screening.ruleset import PartyScreening
from clearway.storage.orm import AuditRow, DeclarationRow, EventRow, NotificationRow
from clearway.storage.orm_risk import RiskDecisionRow
from helpers import TRADER, import_doc

TRADER_USER = User(id=1, name="t", role=Role.TRADER, trader_id=TRADER)
OFFICE = "RS001002"
NON_AEO = {"id": "RS101456782"}  # an importer without AEO status (the declarant has AEOF)


@dataclass(frozen=True)
class EveryImport:
    """A test rule: a soft valuation hit of `weight` on every import item."""

    weight: float

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        rows = frame.filter(pl.col("declaration_type") == "IM")
        return [(d, Hit(Source.PROFILE, "TEST v1", Area.VALUATION, "test rule",
                        weight=self.weight, item=i))
                for d, i in zip(rows["_decl"], rows["item"], strict=True)]


def with_rule(ctx: Context, rule: Any, *, random_share: float = 0.0) -> None:
    settings = ctx.settings.model_copy(update={"random_share": random_share,
                                               "risk_recheck_seconds": 0.0})

    def sig(session: Session, s: Settings) -> Hashable:
        return 1

    parts = [*rule_components(), Component("test", sig, lambda s, _: rule)]
    ctx.risk = KnowledgeCache(ctx.read_sessions, settings, parts, refdata=ctx.refdata.get)


def lodge(ctx: Context, lrn: str, **changes: Any) -> DeclarationRow:
    doc = import_doc(lrn=lrn, offices={"lodgement": OFFICE}, **changes)
    out = lodging.submit(ctx, json.dumps(doc).encode(), "application/json", TRADER_USER)
    assert out.kind == "created", out.errors
    return out.row


def decision(ctx: Context, row: DeclarationRow) -> RiskDecisionRow:
    with ctx.uow() as uow:
        found = risk_repo.get_decision(uow.session, row.id)
        assert found is not None
        return found


def kinds(ctx: Context, row: DeclarationRow) -> list[str]:
    with ctx.uow() as uow:
        return list(uow.session.execute(select(EventRow.kind).where(
            EventRow.declaration_id == row.id).order_by(EventRow.id)).scalars())


def test_green_declaration_is_decided_and_released_at_once(ctx: Context) -> None:
    with_rule(ctx, EveryImport(0.0))
    row = lodge(ctx, "G-1")
    found = decision(ctx, row)
    assert found.channel == "green" and found.office == OFFICE
    assert row.status == "released"
    assert kinds(ctx, row) == ["lodged", "accepted", "risk_assessed", "released"]
    with ctx.uow() as uow:
        actions = list(uow.session.execute(select(AuditRow.action).order_by(AuditRow.id))
                       .scalars())
        notes = list(uow.session.execute(select(NotificationRow.kind)).scalars())
    assert verify(ctx)[0] is None
    assert actions[-3:] == ["declaration.accepted", "declaration.risk_assessed",
                            "declaration.released"]
    assert notes == ["accepted", "released"]


def test_soft_risk_goes_red_and_waits_for_control(ctx: Context) -> None:
    with_rule(ctx, EveryImport(0.9))
    row = lodge(ctx, "R-1", importer=NON_AEO)
    found = decision(ctx, row)
    assert (found.channel, row.status) == ("red", "risk_assessed")
    assert "test rule" in " ".join(found.decision["reasons"])


def test_capacity_budget_steps_soft_selections_down(ctx: Context) -> None:
    with_rule(ctx, EveryImport(0.9))
    with ctx.uow() as uow:
        risk_repo.set_budget(uow.session, OFFICE, Channel.RED, 1)
        uow.commit()
    first, second = lodge(ctx, "C-1", importer=NON_AEO), lodge(ctx, "C-2", importer=NON_AEO)
    assert decision(ctx, first).channel == "red"
    late = decision(ctx, second)
    assert late.channel == "yellow" and late.decision["capacity_limited"]
    with ctx.uow() as uow:
        used = {(u.channel, u.used) for u in risk_repo.usage(uow.session, ctx.clock.now().date())}
    assert ("red", 1) in used


def test_aeo_trader_gets_the_fiscal_facilitation(ctx: Context) -> None:
    with_rule(ctx, EveryImport(0.9))
    found = decision(ctx, lodge(ctx, "A-1"))  # importer = declarant, AEOF holder
    assert found.decision["aeo"] == ["AEOF"] and found.channel in ("blue", "green")


def test_random_selection_is_flagged_and_overrides_everything(ctx: Context) -> None:
    with_rule(ctx, EveryImport(0.0), random_share=1.0)
    found = decision(ctx, lodge(ctx, "X-1"))
    assert found.channel == "red" and found.random_selected


def test_screening_hit_on_a_party_is_a_hard_red(ctx: Context) -> None:
    with ctx.uow() as uow:
        replace_list(uow.session, "TEST LIST", [ListEntry("TEST LIST", "77",
                                                          "Shanghai Clippers Company")],
                     ctx.clock.now())
        uow.commit()
    with_rule(ctx, EveryImport(0.0))
    found = decision(ctx, lodge(ctx, "S-1"))
    hits = found.decision["hits"]
    assert found.channel == "red" and hits[0]["source"] == "screening"
    assert hits[0]["evidence"]["entry_id"] == "77" and "Shanghai Clippers" in hits[0]["reason"]


def test_a_list_change_never_answers_from_the_old_version(ctx: Context) -> None:
    """The screening cache is carried across list versions, except what the change touches."""
    filler = [ListEntry("TEST LIST", str(i), f"Filler Party {w} Holding") for i, w in
              enumerate(("Alder", "Birch", "Cedar", "Hazel", "Larch", "Maple", "Rowan",
                         "Spruce", "Willow", "Poplar", "Linden", "Aspen", "Juniper",
                         "Hornbeam", "Sorbus", "Tamarack", "Yew", "Elder", "Olive", "Acacia"))]

    def load(entries: list[ListEntry]) -> None:
        ctx.clock.advance(minutes=1)  # type: ignore[attr-defined]  # a new load time
        with ctx.uow() as uow:
            replace_list(uow.session, "TEST LIST", entries, ctx.clock.now())
            uow.commit()
        ctx.risk.invalidate()

    with_rule(ctx, EveryImport(0.0))
    load([*filler, ListEntry("TEST LIST", "77", "Shanghai Clippers Company")])
    assert decision(ctx, lodge(ctx, "C-1")).channel == "red"
    load([*filler, ListEntry("TEST LIST", "77", "Ningbo Harbour Tugs")])   # renamed
    assert not [h for h in decision(ctx, lodge(ctx, "C-2")).decision["hits"]
                if h["source"] == "screening"]
    load([*filler, ListEntry("TEST LIST", "77", "Ningbo Harbour Tugs"),
          ListEntry("TEST LIST", "78", "Shanghai Clipper Co")])   # added back, another entry
    screening = next(r for r in ctx.risk.get().knowledge.rules if isinstance(r, PartyScreening))
    assert screening._sigs   # the declaration's other parties were carried over
    assert not [n for n, _ in screening._sigs if "Shanghai" in n]   # ... not the exporter
    hits = decision(ctx, lodge(ctx, "C-3")).decision["hits"]
    assert [h["evidence"]["entry_id"] for h in hits if h["source"] == "screening"] == ["78"]


def test_a_failing_engine_stores_nothing(ctx: Context) -> None:
    class Broken:
        def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
            raise RuntimeError("rule failed")

    with_rule(ctx, Broken())
    with pytest.raises(RuntimeError):
        lodge(ctx, "F-1")
    with ctx.uow() as uow:
        assert uow.session.execute(select(func.count()).select_from(DeclarationRow)).scalar() == 0
        assert uow.session.execute(select(func.count()).select_from(AuditRow)).scalar() == 0


def test_entry_summary_gets_an_ens_outcome(ctx: Context) -> None:
    with_rule(ctx, EveryImport(0.0))
    gen = DeclarationGenerator(ctx.refdata.get(), random.Random(4), date(2026, 11, 20))
    ens = gen.entry_summary("ENS-1", declarant=TRADER)
    out = lodging.submit(ctx, ens.model_dump_json(exclude_none=True).encode(),
                         "application/json", TRADER_USER)
    assert out.kind == "created", out.errors
    found = decision(ctx, out.row)
    assert found.ens_outcome is not None and found.decision["ens_outcome"] == found.ens_outcome


def test_clock_is_the_decision_time(ctx: Context, clock: FixedClock) -> None:
    with_rule(ctx, EveryImport(0.0))
    assert decision(ctx, lodge(ctx, "T-1")).decided_at == clock.now()
