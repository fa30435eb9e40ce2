"""HTTP routes of the licence register: an agency registers, amends, suspends, reinstates and
revokes its own licences; staff, the issuing agency and the holder read them (the service
holds each reader to its own: docs/licences.md)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.identity import Permission, User
from clearway.licences import service
from clearway.licences.schemas import LicenceIn, LicenceOut, LicenceTerms, ReasonIn

router = APIRouter(prefix="/api/v1/licences", tags=["Licences"])
Reader = Annotated[User, Depends(require(Permission.READ_LICENCES))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_LICENCES))]
LicenceId = Annotated[int, Path(ge=1, le=2**62, description="The licence's id in the register")]
Word = Annotated[str | None, Query(max_length=70)]


@router.get("", operation_id="list_licences", response_model=list[LicenceOut])
def list_licences(
    ctx: Ctx, user: Reader, holder: Word = None, agency: Word = None,
    code: Annotated[str | None, Query(max_length=4, description="Document code")] = None,
    number: Word = None,
    status: Annotated[Literal["valid", "suspended", "revoked"] | None, Query()] = None,
) -> list[LicenceOut]:
    """Licences with their lines and what is left of them."""
    found = service.listing(ctx, user, holder=holder, agency=agency, code=code, number=number,
                            status=status)
    return [LicenceOut.of(lic) for lic in found]


@router.get("/{key}", operation_id="get_licence", response_model=LicenceOut)
def get_licence(key: LicenceId, ctx: Ctx, user: Reader) -> LicenceOut:
    """A licence with its lines, balances and write-offs (reversed ones too)."""
    lic, write_offs = service.get(ctx, key, user)
    return LicenceOut.of(lic, write_offs)


@router.post("", operation_id="register_licence", response_model=LicenceOut, status_code=201)
async def register_licence(body: LicenceIn, ctx: Ctx, user: Manager) -> LicenceOut:
    """Register a licence issued by the caller's agency."""
    return LicenceOut.of(await run_use_case(ctx, partial(service.register, ctx, body, user)))


@router.put("/{key}", operation_id="amend_licence", response_model=LicenceOut)
async def amend_licence(key: LicenceId, body: LicenceTerms, ctx: Ctx,
                        user: Manager) -> LicenceOut:
    """Replace a licence's validity, countries, end user, use and lines (a line never grants
    less than its write-offs hold)."""
    return LicenceOut.of(await run_use_case(
        ctx, partial(service.amend, ctx, key, body, user)))


async def _status(ctx: Ctx, key: int, action: str, body: ReasonIn, user: User) -> LicenceOut:
    return LicenceOut.of(await run_use_case(
        ctx, partial(service.change_status, ctx, key, action, body.reason, user)))


@router.post("/{key}/suspend", operation_id="suspend_licence", response_model=LicenceOut)
async def suspend_licence(key: LicenceId, body: ReasonIn, ctx: Ctx,
                          user: Manager) -> LicenceOut:
    """Suspend a valid licence, with a reason: declarations citing it are rejected."""
    return await _status(ctx, key, "suspend", body, user)


@router.post("/{key}/reinstate", operation_id="reinstate_licence", response_model=LicenceOut)
async def reinstate_licence(key: LicenceId, body: ReasonIn, ctx: Ctx,
                            user: Manager) -> LicenceOut:
    """Make a suspended licence valid again, with a reason."""
    return await _status(ctx, key, "reinstate", body, user)


@router.post("/{key}/revoke", operation_id="revoke_licence", response_model=LicenceOut)
async def revoke_licence(key: LicenceId, body: ReasonIn, ctx: Ctx,
                         user: Manager) -> LicenceOut:
    """Revoke a licence for good, with a reason (write-offs already made stay)."""
    return await _status(ctx, key, "revoke", body, user)
