"""Every API route declares exactly one permission, and the table says who holds it."""

from __future__ import annotations

import pytest

from clearway.identity import PERMISSIONS, Permission, Role
from helpers import RouteInfo, all_routes, declared_permissions

# The exchange inbox is a partner administration's: its signature is the credential.
# The whistleblowing channel's sender is no one: no account, nothing identifying.
PUBLIC = {"/healthz", "/livez", "/readyz", "/console/login", "/console/logout",
          "/console/static/{path:path}", "/favicon.ico", "/api/v1/exchange/inbox",
          "/api/v1/whistleblowing/report", "/api/v1/whistleblowing/follow-up",
          "/api/v1/whistleblowing/follow-up/message", "/console/report",
          "/console/report/follow-up", "/console/report/follow-up/message"}


ROUTES = all_routes()


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{sorted(r.methods)[0]} {r.path}")
def test_every_route_declares_one_permission(route: RouteInfo) -> None:
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
    (Permission.READ_ACCESS_LOG, Role.DPO, True),
    (Permission.READ_ACCESS_LOG, Role.AUDITOR, True),
    (Permission.READ_ACCESS_LOG, Role.ADMINISTRATOR, False),
    (Permission.MANAGE_PRIVACY, Role.DPO, True),
    (Permission.MANAGE_PRIVACY, Role.AUDITOR, False),
])
def test_permission_table(permission: Permission, role: Role, allowed: bool) -> None:
    assert (role in PERMISSIONS[permission]) is allowed


def test_every_permission_is_in_the_table() -> None:
    assert set(PERMISSIONS) == set(Permission)
