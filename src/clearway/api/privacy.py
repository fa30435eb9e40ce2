"""HTTP routes of data protection over exchanged personal data (Convention 108+): the access
log and the registers (the data protection officer and auditors read them), the DPO's acts
(consents, breaches, retention, subjects' rights), and a use of received data by staff,
which is checked against its purpose and logged."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.declarations.schemas import ErrorBody
from clearway.identity import Permission, User
from clearway.privacy import registers, rights, service
from clearway.privacy.schemas import (
    BreachIn,
    BreachOut,
    ConsentIn,
    EraseIn,
    ExtensionIn,
    RectifyIn,
    SubjectIn,
    UseIn,
)

router = APIRouter(prefix="/api/v1/privacy", tags=["privacy"])
Reader = Annotated[User, Depends(require(Permission.READ_ACCESS_LOG))]
Officer = Annotated[User, Depends(require(Permission.MANAGE_PRIVACY))]
Staff = Annotated[User, Depends(require(Permission.READ_EXCHANGE))]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No valid token"},
    403: {"model": ErrorBody, "description": "Role not allowed, or CW-PRIV-PURPOSE / "
          "CW-PRIV-ONWARD (blocked and logged)"},
    404: {"model": ErrorBody, "description": "CW-PRIV-NOT-FOUND"},
    422: {"model": ErrorBody, "description": "Coded errors"},
}
Action = Literal["read", "list", "export", "disclose", "erase", "rectify", "blocked"]


@router.get("/access-log", operation_id="privacy_access_log", responses=_ERRORS)
def access_log(ctx: Ctx, user: Reader, action: Action | None = None,
               message_id: Annotated[str | None, Query(max_length=64)] = None,
               actor: Annotated[str | None, Query(max_length=100)] = None,
               limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
    """Every read, list, export, disclosure, rectification and erasure of exchanged personal
    data, and every blocked attempt, newest first."""
    return service.access_log(ctx, action=action, message_id=message_id, actor=actor,
                              limit=limit)


@router.post("/uses", operation_id="use_received_data", responses=_ERRORS)
async def use(body: UseIn, ctx: Ctx, user: Staff) -> dict[str, Any]:
    """Use a received message for a purpose, or pass it on to a recipient: allowed when it
    is the purpose it was sent for or the originator consented; blocked and logged otherwise."""
    return await run_use_case(ctx, partial(
        service.request_use, ctx, user, body.message_id, reason=body.reason,
        purpose=body.purpose, recipient=body.recipient))


@router.post("/consents", operation_id="record_privacy_consent", responses=_ERRORS)
async def consent(body: ConsentIn, ctx: Ctx, user: Officer) -> dict[str, Any]:
    """Record the originator's consent (from its letter or message) to another use or an
    onward transfer of a message it sent."""
    found = await run_use_case(ctx, partial(
        service.record_consent, ctx, user, body.message_id, granted_by=body.granted_by,
        reference=body.reference, purpose=body.purpose, recipient=body.recipient))
    return {"message_id": found.message_id, "purpose": found.purpose,
            "recipient": found.recipient, "granted_by": found.granted_by,
            "reference": found.reference}


@router.get("/retention", operation_id="privacy_retention", responses=_ERRORS)
def retention(ctx: Ctx, user: Reader) -> dict[str, Any]:
    """Received data held, when the next falls due, and extensions per agreement."""
    return service.retention_overview(ctx)


@router.post("/retention/sweep", operation_id="privacy_retention_sweep", responses=_ERRORS)
async def sweep(ctx: Ctx, user: Officer) -> dict[str, int]:
    """Erase the received data past its retention period now (the count per agreement)."""
    return await run_use_case(ctx, service.sweep_retention, ctx)


@router.post("/retention/extensions", operation_id="privacy_extend_retention",
             responses=_ERRORS)
async def extend(body: ExtensionIn, ctx: Ctx, user: Officer) -> dict[str, Any]:
    """Keep a received message longer, for a reason (counted)."""
    total = await run_use_case(ctx, service.extend_retention, ctx, user, body.message_id,
                               body.days, body.reason)
    return {"message_id": body.message_id, "extended_days": total}


@router.post("/subject-access", operation_id="privacy_subject_access", responses=_ERRORS)
async def subject_access(body: SubjectIn, ctx: Ctx, user: Officer) -> dict[str, Any]:
    """What was received and sent about a person or company, to whom, on which basis."""
    return await run_use_case(ctx, partial(rights.subject_access, ctx, user, name=body.name,
                                           country=body.country, eori=body.eori))


@router.post("/rectifications", operation_id="privacy_rectify", responses=_ERRORS)
async def rectify(body: RectifyIn, ctx: Ctx, user: Officer) -> dict[str, list[str]]:
    """Correct a message's fields here and at every administration it went to."""
    sent = await run_use_case(ctx, rights.rectify, ctx, user, body.message_id, body.fields,
                              body.reason)
    return {"corrections": sent}


@router.post("/erasures", operation_id="privacy_erase", responses=_ERRORS)
async def erase(body: EraseIn, ctx: Ctx, user: Officer) -> dict[str, list[str]]:
    """Erase a message's data here and at every administration it went to."""
    sent = await run_use_case(ctx, rights.erase, ctx, user, body.message_id, body.reason)
    return {"corrections": sent}


@router.get("/breaches", operation_id="list_privacy_breaches",
            response_model=list[BreachOut], responses=_ERRORS)
def breaches(ctx: Ctx, user: Reader) -> list[dict[str, Any]]:
    return [registers.breach_dict(b) for b in registers.list_breaches(ctx)]


@router.post("/breaches", operation_id="record_privacy_breach", response_model=BreachOut,
             responses=_ERRORS)
async def add_breach(body: BreachIn, ctx: Ctx, user: Officer) -> dict[str, Any]:
    saved = await run_use_case(ctx, registers.record_breach, ctx, user, body.breach())
    return registers.breach_dict(saved)


@router.put("/breaches/{key}", operation_id="update_privacy_breach", response_model=BreachOut,
            responses=_ERRORS)
async def update_breach(key: Annotated[str, Path(max_length=20)], body: BreachIn,
                        ctx: Ctx, user: Officer) -> dict[str, Any]:
    saved = await run_use_case(ctx, registers.record_breach, ctx, user,
                               body.breach(key))
    return registers.breach_dict(saved)


@router.get("/processing-register", operation_id="privacy_processing_register",
            responses=_ERRORS)
def processing_register(ctx: Ctx, user: Reader) -> list[dict[str, Any]]:
    """For each agreement: purposes, fields, recipients, retention, legal basis, transfers."""
    return registers.processing_register(ctx)
