"""A world for the single-window tests: goods that agencies decide on, lodging them on a
prepared office with green forced and automatic release, reading their agency tasks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, update

from clearway.agencies.model import AgencyDecision, DecisionIn
from clearway.bootstrap import prepare
from clearway.clearance import agency_work, lodging
from clearway.context import Context
from clearway.identity import User
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_agencies import AgencyRow, AgencyTaskRow
from controls_world import OFFICE, World, force, office, staff
from helpers import import_doc

N851 = [{"code": "N851", "reference": "PC-2026-1"}]
SHAVERS = {"commodity_code": "851010", "origin_country": "CN"}
ORANGES = {"commodity_code": "080510", "description": "Oranges", "origin_country": "EG"}
BEEF = {"commodity_code": "020130", "description": "Beef, boneless", "origin_country": "AR"}
TOYS = {"commodity_code": "950300", "description": "Toys", "origin_country": "CN"}
PILLS = {"commodity_code": "300490", "description": "Medicines", "origin_country": "IN"}


@pytest.fixture
def world(ctx: Context) -> World:
    prepare(ctx)
    with ctx.uow() as uow:   # the agencies' own random share off: selection by documents
        uow.session.execute(update(AgencyRow).values(inspection_rate=0.0))
        uow.commit()
    made = office(ctx)
    green(ctx)
    return made


def green(ctx: Context) -> None:
    force(ctx, Channel.GREEN, None)
    ctx.settings = ctx.settings.model_copy(update={"auto_release": True})


def lodge(ctx: Context, world: World, lrn: str, goods: list[dict[str, Any]],
          **header: Any) -> DeclarationRow:
    base = import_doc(lrn=lrn, offices={"lodgement": OFFICE}, **header)
    first = base["items"][0]
    base["items"] = [{**first, "sequence": i + 1, "packages": [{"kind": "CT", "count": 1}],
                      **g} for i, g in enumerate(goods)]
    base["item_count"], base["total_packages"] = len(goods), len(goods)
    base["invoice_amount"] = str(sum(float(i["item_price"]) for i in base["items"]))
    out = lodging.submit(ctx, json.dumps(base).encode(), "application/json", world.trader)
    assert out.kind == "created", out.errors
    return out.row


def tasks(ctx: Context, row: DeclarationRow) -> dict[str, AgencyTaskRow]:
    with ctx.uow(read_only=True) as uow:
        found = uow.session.execute(select(AgencyTaskRow).where(
            AgencyTaskRow.declaration_id == row.id)).scalars()
        return {t.agency: t for t in found}


def status(ctx: Context, row: DeclarationRow) -> str:
    with ctx.uow(read_only=True) as uow:
        return str(uow.session.get(DeclarationRow, row.id).status)


def kinds(ctx: Context, table: Any, row: DeclarationRow) -> list[str]:
    with ctx.uow(read_only=True) as uow:
        return list(uow.session.execute(select(table.kind).where(
            table.declaration_id == row.id).order_by(table.id)).scalars())


def officer_of(ctx: Context, agency: str, name: str | None = None) -> User:
    return staff(ctx, name or f"{agency.lower()}-officer", "agency_officer", agency)


def decide(ctx: Context, task: AgencyTaskRow, user: User, decision: AgencyDecision,
           text: str | None = None) -> None:
    agency_work.decide(ctx, task.id, DecisionIn(decision, text), user)


def agency_world(ctx: Context) -> World:
    """A prepared office, the agencies' random share off (selection by documents only)."""
    prepare(ctx)
    with ctx.uow() as uow:
        uow.session.execute(update(AgencyRow).values(inspection_rate=0.0))
        uow.commit()
    made = office(ctx)
    green(ctx)
    return made
