"""A small office for the controls tests: a red-forcing rule that needs a qualification,
staff with and without it, on duty here or elsewhere."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from clearway.bootstrap import prepare
from clearway.clearance import lodging
from clearway.clock import FixedClock
from clearway.composition import build_context, rule_components
from clearway.config import Settings
from clearway.context import Context
from clearway.controls import service as controls
from clearway.identity import User
from clearway.risk.engine.decision import Area, Channel, Hit, Source
from clearway.risk.knowledge import Component, KnowledgeCache
from clearway.storage.orm import DeclarationRow
from clearway.training import service as training
from clearway.training.model import Course
from clearway.users.service import create_user
from helpers import TRADER, import_doc

OFFICE, ELSEWHERE = "RS001002", "RS001003"
QUAL = "valuation"


@dataclass(frozen=True)
class ForceChannel:
    """A test rule: a hard hit on every import taking it to `channel`, needing `qual`."""

    channel: Channel
    qual: str | None = QUAL

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        rows = frame.filter(pl.col("declaration_type") == "IM")
        return [(d, Hit(Source.PROFILE, "FORCE v1", Area.VALUATION, "forced for the test",
                        min_channel=self.channel, hard=True, qualification=self.qual,
                        instructions="weigh every carton"))
                for d in set(rows["_decl"].to_list())]


def force(ctx: Context, channel: Channel, qual: str | None = QUAL) -> None:
    settings = ctx.settings.model_copy(update={"random_share": 0.0, "auto_release": False,
                                               "risk_recheck_seconds": 0.0})
    ctx.settings = settings
    parts = [*rule_components(),
             Component("test", lambda s, _: 1, lambda s, _: ForceChannel(channel, qual))]
    ctx.risk = KnowledgeCache(ctx.read_sessions, settings, parts, refdata=ctx.refdata.get)


def staff(ctx: Context, name: str, role: str, trader: str | None = None) -> User:
    with ctx.uow() as uow:
        made, _ = create_user(uow.session, name=name, role=role, trader_id=trader,
                              now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    return made


@dataclass
class World:
    supervisor: User
    qualified: User      # on duty here, holds the qualification
    unqualified: User    # on duty here, lacks it
    elsewhere: User      # holds it, on duty at another office
    off_duty: User       # holds it, not on duty
    trader: User


def office(ctx: Context, *, on_duty: bool = True) -> World:
    sup = staff(ctx, "sup", "supervisor")
    world = World(sup, staff(ctx, "qual", "officer"), staff(ctx, "unq", "officer"),
                  staff(ctx, "far", "officer"), staff(ctx, "off", "officer"),
                  staff(ctx, "trader", "trader", TRADER))
    training.save_course(ctx, Course(code="VAL-1", title="Valuation", qualification=QUAL),
                         sup)
    for officer in (world.qualified, world.elsewhere, world.off_duty):
        training.record_training(ctx, officer.id, "VAL-1", date(2026, 1, 5), sup)
    if on_duty:
        put_on_duty(ctx, world)
    return world


def put_on_duty(ctx: Context, world: World) -> None:
    now = ctx.clock.now()
    for officer, where in ((world.qualified, OFFICE), (world.unqualified, OFFICE),
                           (world.elsewhere, ELSEWHERE)):
        controls.add_shift(ctx, officer.id, where, now - timedelta(hours=1),
                           now + timedelta(hours=7), world.supervisor)
    controls.add_shift(ctx, world.off_duty.id, OFFICE, now + timedelta(hours=8),
                       now + timedelta(hours=16), world.supervisor)


def lodge(ctx: Context, world: World, lrn: str, **changes: Any) -> DeclarationRow:
    doc = import_doc(lrn=lrn, offices={"lodgement": OFFICE}, **changes)
    out = lodging.submit(ctx, json.dumps(doc).encode(), "application/json",
                              world.trader)
    assert out.kind == "created", out.errors
    return out.row


def module_context(folder: Path, template: Path, **settings: Any) -> Context:
    """A prepared context on a copy of the migrated template in `folder`, at the suite's
    fixed time: the world of a module-scoped fixture (access tables, trader views)."""
    path = folder / "clearway.db"
    shutil.copy(template, path)
    ctx = build_context(
        Settings(database_url=f"sqlite:///{path}", environment="test", country_code="RS",
                 token_cache_seconds=0, **settings),
        clock=FixedClock(datetime(2026, 11, 20, 9, 30, tzinfo=UTC)), rng=random.Random(7))
    prepare(ctx)
    return ctx
