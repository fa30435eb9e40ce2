"""Every API route declares exactly one permission, and the table says who holds it."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from fastapi.routing import APIRoute

from clearway.app import create_app
from clearway.config import Settings
from clearway.context import Context
from clearway.users.model import PERMISSIONS, Permission, Role

PUBLIC = {"/healthz", "/console/login", "/console/logout", "/console/static/{path:path}"}


def _app() -> object:
    from clearway.clock import FixedClock

    ctx = Context.from_settings(Settings(database_url="sqlite://", environment="test"),
                                clock=FixedClock(datetime(2026, 1, 1, tzinfo=UTC)),
                                rng=random.Random(1))
    return create_app(ctx)


def declared_permissions(route: APIRoute) -> list[Permission]:
    found = []
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        permission = getattr(dep.call, "permission", None)
        if permission is not None:
            found.append(permission)
        stack.extend(dep.dependencies)
    return found


ROUTES = [r for r in _app().routes if isinstance(r, APIRoute)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{sorted(r.methods)[0]} {r.path}")
def test_every_route_declares_one_permission(route: APIRoute) -> None:
    permissions = declared_permissions(route)
    if route.path in PUBLIC:
        assert permissions == []
    else:
        assert len(permissions) == 1, f"{route.path} declares {permissions}"


@pytest.mark.parametrize(("permission", "role", "allowed"), [
    (Permission.SUBMIT_DECLARATION, Role.TRADER, True),
    (Permission.SUBMIT_DECLARATION, Role.OFFICER, False),
    (Permission.PROCESS_DECLARATION, Role.TRADER, False),
    (Permission.PROCESS_DECLARATION, Role.OFFICER, True),
    (Permission.LOAD_REFDATA, Role.OFFICER, False),
    (Permission.LOAD_REFDATA, Role.ADMINISTRATOR, True),
    (Permission.READ_AUDIT, Role.TRADER, False),
    (Permission.READ_AUDIT, Role.AUDITOR, True),
])
def test_permission_table(permission: Permission, role: Role, allowed: bool) -> None:
    assert (role in PERMISSIONS[permission]) is allowed


def test_every_permission_is_in_the_table() -> None:
    assert set(PERMISSIONS) == set(Permission)
