"""HTTP routes of the exchange with partner administrations.

`POST /api/v1/exchange/inbox` is a partner's, not a user's: it carries no token, because the
message's signature (checked against the partner register) is its credential. The boundary
guard lets it through unauthenticated, under its own size cap (clearway.api.limits). Staff
read the register, agreements and both queues; administrators keep the register and load
agreements (audited).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from clearway.api.deps import Ctx, require, run_use_case
from clearway.composition import message_handlers
from clearway.declarations.schemas import ErrorBody
from clearway.exchange import service, signing
from clearway.exchange.model import ExchangeRefused
from clearway.exchange.schemas import AgreementOut, PartnerIn, PartnerOut
from clearway.identity import Permission, User
from clearway.privacy import service as privacy
from clearway.privacy.model import DEFAULT_PURPOSE

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange"])
Reader = Annotated[User, Depends(require(Permission.READ_EXCHANGE))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_EXCHANGE))]
JOSE = "application/jose"
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No valid token"},
    403: {"model": ErrorBody, "description": "Role not allowed"},
    422: {"model": ErrorBody, "description": "Coded errors"},
}
_REFUSALS: dict[int | str, dict[str, Any]] = {
    200: {"content": {JOSE: {"schema": {"type": "string"}}},
          "description": "This administration's signed receipt (compact JWS)"},
    401: {"model": ErrorBody, "description": "CW-EXCH-SIGNATURE"},
    403: {"model": ErrorBody, "description": "Refused by the partner register or agreement"},
    409: {"model": ErrorBody, "description": "CW-EXCH-REPLAY"},
    422: {"model": ErrorBody, "description": "CW-EXCH-ENVELOPE"},
}
JWS_BODY = {"requestBody": {"required": True, "content": {
    JOSE: {"schema": {"type": "string", "description": "A signed message (compact JWS)"}}}}}
YAML_BODY = {"requestBody": {"required": True, "content": {
    "application/yaml": {"schema": {"type": "string", "description": "Agreements"}}}}}


@router.post("/inbox", operation_id="receive_exchange_message", response_class=Response,
             responses=_REFUSALS, openapi_extra=JWS_BODY)
async def receive(request: Request, ctx: Ctx) -> Response:
    """A partner's signed message; answered with the signed receipt, the same one again when
    the same message is sent again. A refusal stores nothing."""
    try:
        token = (await request.body()).decode("ascii").strip()
    except UnicodeDecodeError:
        raise ExchangeRefused("CW-EXCH-ENVELOPE",
                              "The message cannot be read: not a compact JWS") from None
    receipt = await run_use_case(ctx, service.receive, ctx, token, message_handlers())
    return Response(receipt, media_type=JOSE)


@router.get("/public-key", operation_id="exchange_public_key", response_class=Response,
            responses=_ERRORS)
def public_key(ctx: Ctx, user: Reader) -> Response:
    """This administration's public signing key (PEM), for partners to register."""
    return Response(signing.public_pem(signing.exchange_key(ctx.settings)),
                    media_type="application/x-pem-file")


@router.get("/partners", operation_id="list_exchange_partners",
            response_model=list[PartnerOut], responses=_ERRORS)
def list_partners(ctx: Ctx, user: Reader) -> list[PartnerOut]:
    return [PartnerOut.of(p) for p in service.list_partners(ctx)]


@router.post("/partners", operation_id="save_exchange_partner", response_model=PartnerOut,
             responses=_ERRORS)
async def save_partner(body: PartnerIn, ctx: Ctx, user: Manager) -> PartnerOut:
    """Register a partner administration, or replace its name, URL, key or status."""
    partner = await run_use_case(ctx, partial(
        service.add_partner, ctx, body.code, body.name, body.inbox_url, body.public_key_pem,
        user.actor, status=body.status))
    return PartnerOut.of(partner)


@router.get("/agreements", operation_id="list_exchange_agreements",
            response_model=list[AgreementOut], responses=_ERRORS)
def list_agreements(ctx: Ctx, user: Reader) -> list[AgreementOut]:
    return [AgreementOut.of(a) for a in service.list_agreements(ctx)]


@router.post("/agreements", operation_id="import_exchange_agreements",
             response_model=list[AgreementOut], responses=_ERRORS, openapi_extra=YAML_BODY)
async def import_agreements(request: Request, ctx: Ctx, user: Manager) -> list[AgreementOut]:
    """Load the agreements of a YAML document, all or none (one that exists is replaced)."""
    data = await request.body()  # under the route's cap (clearway.api.limits)
    loaded = await run_use_case(ctx, service.import_agreements, ctx, data, user.actor)
    return [AgreementOut.of(a) for a in loaded]


@router.get("/outbox", operation_id="list_exchange_outbox", responses=_ERRORS)
def list_outbox(ctx: Ctx, user: Reader,
                status: Literal["pending", "delivered"] | None = None,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """Messages sent, newest first, with the count per status."""
    return {"counts": service.outbox_counts(ctx),
            "items": service.list_outbox(ctx, status=status, limit=limit)}


@router.get("/received", operation_id="list_exchange_received", responses=_ERRORS)
async def list_inbox(ctx: Ctx, user: Reader,
                     from_party: Annotated[str | None, Query(max_length=8)] = None,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                     purpose: Annotated[str, Query(min_length=1, max_length=60)] = (
                         DEFAULT_PURPOSE)) -> list[dict[str, Any]]:
    """Messages received, newest first. Partners' data holds personal data: the listing is
    logged in the data protection access log with the reader and the `purpose` given
    (risk-analysis when none is)."""
    return await run_use_case(ctx, partial(privacy.list_received, ctx, user, purpose=purpose,
                                           from_party=from_party, limit=limit))
