"""Shared by the ENS/EXS integration tests: a rules file whose outcomes a test can steer,
a carrier's ENS and EXS, lodging and reading back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from clearway.clearance import lodging
from clearway.composition import rule_components
from clearway.context import Context
from clearway.identity import Role, User
from clearway.risk.knowledge import KnowledgeCache
from clearway.storage.orm import DeclarationRow, NotificationRow
from clearway.storage.orm_summaries import RfiRow
from clearway.users.service import create_user
from helpers import TRADER, import_doc

CARRIER = User(id=1, name="carrier", role=Role.TRADER, trader_id=TRADER)
OFFICE = "RS001002"  # entry and exit
# new_trader_days = 0: a consignee that declared once is known (the shipped 30 would make
# every consignee of a test database new); "name" only for the consignor abroad.
RULES = r"""
new_trader_days = 0
consignor_required = ["name"]
[outcomes]
vague_description = "RFI"
incomplete_consignor = "RFI"
new_consignee = "RFI"
elevated_risk_route = "RFI"
high_risk_route = "HRS"
high_risk_loading = "HRS"
dangerous_goods = "HRS"
[[do_not_load]]
when = ["high_risk_route", "vague_description", "unknown_party"]
[routing_countries]
SY = { severity = "high", note = "test" }
YE = { severity = "elevated", note = "test" }
[places_of_loading]
[descriptions]
always_vague = ['FAK', 'general\s+cargo']
vague_words = ['parts?', 'spare', 'goods']
filler = ['of', 'pallets?']
[dangerous_goods]
"1942" = "ammonium nitrate"
"""


def with_summary_rules(ctx: Context, tmp_path: Path) -> None:
    """The engine of `ctx` with RULES, no random selection, and the carrier known (one
    import lodged, so its record exists)."""
    path = tmp_path / "ens_rules.toml"
    path.write_text(RULES, encoding="utf-8")
    settings = ctx.settings.model_copy(update={"random_share": 0.0, "risk_recheck_seconds": 0.0,
                                               "ens_rules_file": str(path)})
    ctx.risk = KnowledgeCache(ctx.read_sessions, settings, rule_components(),
                              refdata=ctx.refdata.get)
    known = import_doc(lrn="KNOWN-1", offices={"lodgement": OFFICE})
    out = lodging.submit(ctx, json.dumps(known).encode(), "application/json", CARRIER)
    assert out.kind == "created", out.errors


def summary(kind: str = "ENS", lrn: str = "S-1", **changes: Any) -> dict[str, Any]:
    """A clean ENS (or EXS) of the carrier: known party here, identified party abroad."""
    here = {"id": TRADER, "name": "Dunav Trade d.o.o. Beograd"}
    abroad = {"name": "Foshan Huayu Ceramics Co., Ltd.", "address": {"country": "CN"}}
    doc: dict[str, Any] = {
        "declaration_type": kind, "lrn": lrn, "declarant": {"id": TRADER},
        "carrier": {"id": TRADER},
        "consignor": abroad if kind == "ENS" else here,
        "consignee": here if kind == "ENS" else abroad,
        "route_countries": ["CN", "GR"], "place_of_loading": "GRPIR",
        "place_of_unloading": "RSBEG", "transport_mode": "3",
        "offices": {"first_entry": OFFICE} if kind == "ENS" else {"exit": OFFICE},
        "items": [{"sequence": 1, "hs6": "690721", "gross_mass": "1000",
                   "description": "Glazed porcelain floor tiles, 60 x 60 cm"}]}
    doc.update(changes)
    return doc


def lodge(ctx: Context, doc: dict[str, Any], user: User = CARRIER) -> DeclarationRow:
    out = lodging.submit(ctx, json.dumps(doc).encode(), "application/json", user)
    assert out.kind in ("created", "unchanged"), out.errors
    return out.row


def notes(ctx: Context, row: DeclarationRow) -> list[NotificationRow]:
    with ctx.uow() as uow:
        return list(uow.session.execute(select(NotificationRow).where(
            NotificationRow.declaration_id == row.id).order_by(NotificationRow.id)).scalars())


def rfis(ctx: Context, row: DeclarationRow) -> list[RfiRow]:
    with ctx.uow() as uow:
        return list(uow.session.execute(select(RfiRow).where(
            RfiRow.declaration_id == row.id).order_by(RfiRow.id)).scalars())


def status(ctx: Context, row: DeclarationRow) -> str:
    with ctx.uow() as uow:
        found = uow.session.get(DeclarationRow, row.id)
        assert found is not None
        return found.status


def person(ctx: Context, name: str, role: Role) -> User:
    with ctx.uow() as uow:
        user, _token = create_user(uow.session, name=name, role=role.value, trader_id=None,
                                   now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    return user
