"""Builders shared by tests: a valid import declaration and users with tokens."""

from __future__ import annotations

import copy
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from clearway.composition import build_context
from clearway.context import Context
from clearway.users.service import create_user

REPO = Path(__file__).resolve().parents[1]


def samples_dir() -> Path:
    """The WCO DM trade-test samples: CLEARWAY_SAMPLES_DIR, else the workplace's shared data
    beside the checkout (../shared), else /work/shared. Tests skip when none exists."""
    configured = os.environ.get("CLEARWAY_SAMPLES_DIR")
    if configured:
        path = Path(configured)
        return path if path.is_absolute() else (REPO / path).resolve()
    for base in (REPO.parent / "shared", Path("/work/shared")):
        candidate = base / "data" / "wco-dm-dms" / "samples"
        if candidate.is_dir():
            return candidate
    return REPO.parent / "shared" / "data" / "wco-dm-dms" / "samples"


TRADER = "RS100234567"
OTHER_TRADER = "MK4030990123456"

VALID_IMPORT: dict[str, Any] = {
    "declaration_type": "IM",
    "additional_type": "A",
    "lrn": "LRN-0001",
    "declarant": {"id": TRADER},
    "importer": {"id": TRADER},
    "exporter": {"name": "Shanghai Clippers Co.", "address": {"city": "Shanghai",
                                                              "country": "CN"}},
    "offices": {"lodgement": None},
    "transport": {"mode_at_border": "1", "border_nationality": "PA", "container": True,
                  "container_ids": ["MSCU1234566"]},
    "delivery_terms": {"incoterm": "CIF", "place": "RSBEG"},
    "invoice_currency": "USD",
    "invoice_amount": "1500.00",
    "nature_of_transaction": "11",
    "dispatch_country": "CN",
    "total_packages": 30,
    "item_count": 2,
    "items": [
        {"sequence": 1, "commodity_code": "851010", "description": "Electric shavers",
         "origin_country": "CN", "procedure": {"requested": "40", "previous": "00"},
         "net_mass": "100", "gross_mass": "120", "item_price": "1000.00",
         "packages": [{"kind": "CT", "count": 20, "marks": "SHV-1"}]},
        {"sequence": 2, "commodity_code": "610910", "description": "Cotton T-shirts",
         "origin_country": "BD", "procedure": {"requested": "40", "previous": "00"},
         "net_mass": "50", "gross_mass": "55", "item_price": "500.00",
         "packages": [{"kind": "CT", "count": 10}]},
    ],
}


def import_doc(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(VALID_IMPORT)
    doc.update(changes)
    return doc


# The code a user of each role carries where one is needed: its trader, its partner
# administration, its agency (the plant-health service in tests).
PARTNER_CODE, AGENCY_CODE = "MK", "PH"


def carried_code(role: str, trader: str) -> str | None:
    return {"trader": trader, "partner": PARTNER_CODE, "agency_officer": AGENCY_CODE,
            "agency_supervisor": AGENCY_CODE}.get(str(role))


def make_token(ctx: Context, name: str, role: str, trader: str | None = None) -> str:
    with ctx.uow() as uow:
        _user, token = create_user(uow.session, name=name, role=role, trader_id=trader,
                                   now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    return token


def declared_permissions(route: Any) -> list[Any]:
    """The permissions a route's dependencies declare (see clearway.api.deps.require)."""
    found = []
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        permission = getattr(dep.call, "permission", None)
        if permission is not None:
            found.append(permission)
        stack.extend(dep.dependencies)
    return found


@dataclass(frozen=True)
class RouteInfo:
    """A route as served: its full path and methods, and the APIRoute that defines it."""

    path: str
    methods: frozenset[str]
    dependant: Any


def all_routes() -> list[RouteInfo]:
    """Every API route of an application built on a throw-away in-memory database, with
    included routers flattened (FastAPI keeps them lazily)."""
    import random
    from datetime import UTC, datetime

    from fastapi.routing import APIRoute, iter_route_contexts

    from clearway.app import create_app
    from clearway.clock import FixedClock
    from clearway.config import Settings

    ctx = build_context(Settings(database_url="sqlite://", environment="test"),
                        clock=FixedClock(datetime(2026, 1, 1, tzinfo=UTC)),
                        rng=random.Random(1))
    app = create_app(ctx)
    return [RouteInfo(str(c.path), frozenset(c.methods or ()), c.original_route.dependant)
            for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]


BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_benchmark(name: str) -> ModuleType:
    """A script of benchmarks/ as a module, so a test can run its short version."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def control_by(ctx: Context, officer_name: str, mrn: str, outcome: str) -> None:
    """The named officer starts a control of `mrn` and releases it with `outcome`."""
    from sqlalchemy import select

    from clearway.clearance import officer_actions
    from clearway.identity import Role, User
    from clearway.storage.orm import UserRow

    with ctx.uow(read_only=True) as uow:
        row = uow.session.execute(select(UserRow).where(UserRow.name == officer_name)
                                  ).scalar_one()
    officer = User(id=row.id, name=row.name, role=Role(row.role), trader_id=None)
    officer_actions.officer_action(ctx, mrn, "start-control", None, officer)
    officer_actions.officer_action(ctx, mrn, "release", None, officer, outcome=outcome)
