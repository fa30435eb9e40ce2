"""HTTP routes for declarations: thin, every one declares its permission."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import TypeAdapter

from clearway.api.deps import Ctx, FastJSONResponse, require, run_use_case
from clearway.clearance import changes, lodging, reading
from clearway.clearance.filings import Outcome
from clearway.clearance.officer_actions import officer_action
from clearway.declarations import queries
from clearway.declarations.formats.detect import read_document
from clearway.declarations.model import AnyDeclaration
from clearway.declarations.repository import ListFilter
from clearway.declarations.schemas import (
    ActionIn,
    DeclarationOut,
    DeclarationPage,
    DeclarationSummary,
    ErrorBody,
    ErrorItem,
    EventOut,
    ReasonIn,
)
from clearway.errors import NotFound
from clearway.identity import Permission, User
from clearway.notifications.service import render_body
from clearway.risk.engine.decision import Channel

router = APIRouter(prefix="/api/v1/declarations", tags=["declarations"])
CHANNEL_PATTERN = "^(" + "|".join(Channel) + ")$"  # the list filter: one channel

Submitter = Annotated[User, Depends(require(Permission.SUBMIT_DECLARATION))]
Reader = Annotated[User, Depends(require(Permission.READ_DECLARATIONS))]
Canceller = Annotated[User, Depends(require(Permission.CANCEL_DECLARATION))]
Processor = Annotated[User, Depends(require(Permission.PROCESS_DECLARATION))]

DECLARATION_SCHEMA_REF = {"$ref": "#/components/schemas/AnyDeclaration"}
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No valid token"},
    403: {"model": ErrorBody, "description": "Role or trader not allowed"},
    404: {"model": ErrorBody, "description": "Not found or not visible"},
}
SUBMIT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": DECLARATION_SCHEMA_REF},
            "application/xml": {"schema": {"type": "string",
                                           "description": "WCO DM 3.6 DEC-DMS declaration"}},
            "application/edifact": {"schema": {"type": "string",
                                               "description": "UN/EDIFACT CUSDEC D.96B"}},
        },
    }
}

ANY_DECLARATION: TypeAdapter[Any] = TypeAdapter(AnyDeclaration)


ANSWER_STATUS = {"created": 201, "unchanged": 200, "rejected": 422}


def _answer(outcome: Outcome, request: Request) -> Response:
    """JSON by default; the filing's own response format when the client asks for it."""
    row = outcome.row
    status = ANSWER_STATUS[outcome.kind]
    if outcome.errors:
        body = ErrorBody(code="CW-DOC-INVALID", message="The declaration is rejected",
                         errors=[ErrorItem(**e.as_dict()) for e in outcome.errors],
                         declaration_id=row.id)
        return JSONResponse(body.model_dump(), status_code=422)
    accept = request.headers.get("accept", "")
    if ("xml" in accept and row.format == "wco-xml") or ("edifact" in accept
                                                         and row.format == "edifact"):
        kind = "accepted" if outcome.created else row.status
        text = render_body(kind, row, row.updated_at, [], kind) or ""
        media = "application/xml" if row.format == "wco-xml" else "application/edifact"
        return Response(text, status_code=status, media_type=media)
    return FastJSONResponse(queries.view(row), status_code=status)


@router.post(
    "",
    operation_id="submit_declaration",
    summary="Lodge a declaration (JSON, WCO DM XML or EDIFACT CUSDEC)",
    openapi_extra=SUBMIT_BODY,
    status_code=201,
    responses={200: {"model": DeclarationOut, "description": "Identical retry: the original"},
               201: {"model": DeclarationOut, "description": "Accepted, MRN issued"},
               409: {"model": ErrorBody, "description": "LRN used for another document"},
               415: {"model": ErrorBody, "description": "Unsupported content type"},
               422: {"model": ErrorBody, "description": "Rejected with coded errors"},
               **_ERRORS},
)
async def submit_declaration(request: Request, ctx: Ctx, user: Submitter) -> Response:
    data = await request.body()
    kind = request.headers.get("content-type")
    # Parsing, validation and the risk assessment are CPU work: in a worker thread, never on
    # the event loop (where SQLite writes run), so one large document cannot stall every
    # other request, and they overlap with other requests' writes.
    parsed, checked = await run_in_threadpool(lodging.prepare, ctx, data, kind, user)
    outcome = await run_use_case(ctx, lodging.submit, ctx, data, kind, user, parsed, checked)
    return _answer(outcome, request)


@router.get("", operation_id="list_declarations", response_model=DeclarationPage,
            responses=_ERRORS)
def list_declarations(
    ctx: Ctx, user: Reader,
    status: str | None = None, declaration_type: str | None = None, lrn: str | None = None,
    mrn: str | None = None, party: str | None = None,
    commodity: Annotated[str | None, Query(max_length=10, pattern=r"^\d*$")] = None,
    received_from: datetime | None = None, received_to: datetime | None = None,
    channel: Annotated[str | None, Query(pattern=CHANNEL_PATTERN)] = None,
    office: Annotated[str | None, Query(max_length=10, pattern=r"^[A-Za-z0-9]*$")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> DeclarationPage:
    flt = ListFilter(status=status, declaration_type=declaration_type, lrn=lrn, mrn=mrn,
                     party=party, commodity_prefix=commodity, received_from=received_from,
                     received_to=received_to, channel=channel,
                     office=office.upper() if office else None)
    rows, total = queries.list_visible(ctx, flt, user, offset=offset, limit=limit)
    return DeclarationPage(items=[DeclarationSummary(**queries.summary(r)) for r in rows],
                           total=total, offset=offset, limit=limit)


@router.get("/{key}", operation_id="get_declaration", response_model=DeclarationOut,
            responses=_ERRORS)
def get_declaration(key: str, ctx: Ctx, user: Reader) -> dict[str, Any]:
    row, _events = reading.get_visible(ctx, key, user)
    return queries.view(row)


@router.get("/{key}/decision", operation_id="get_declaration_decision",
            responses=_ERRORS)
def get_decision(key: str, ctx: Ctx, user: Reader) -> dict[str, Any]:
    """The risk decision: channel, scores per risk area, hits with their reasons, control
    instructions and model contributions (staff); a trader sees the channel only."""
    row, _events = reading.get_visible(ctx, key, user, view="decision")
    found = reading.decision_view(ctx, row, user)
    if found is None:
        raise NotFound("Risk decision", key)
    return found


@router.get("/{key}/events", operation_id="list_declaration_events",
            response_model=list[EventOut], responses=_ERRORS)
def list_events(key: str, ctx: Ctx, user: Reader) -> list[dict[str, Any]]:
    row, events = reading.get_visible(ctx, key, user, view="events")
    return queries.events_view(ctx, row, events, user)


@router.put("/{key}", operation_id="amend_declaration", response_model=DeclarationOut,
            openapi_extra=SUBMIT_BODY,
            responses={409: {"model": ErrorBody}, 422: {"model": ErrorBody}, **_ERRORS})
async def amend_declaration(key: str, request: Request, ctx: Ctx, user: Submitter) -> Response:
    """Amend an accepted declaration before release: the body is the whole new version."""
    data = await request.body()
    kind = request.headers.get("content-type")
    parsed = await run_in_threadpool(read_document, data, kind)  # off the loop, as above
    outcome = await run_use_case(ctx, changes.amend_by_key, ctx, key, data, kind, user, parsed)
    return _answer(outcome, request)


@router.post("/{key}/cancel", operation_id="cancel_declaration", response_model=DeclarationOut,
             responses={409: {"model": ErrorBody}, 422: {"model": ErrorBody}, **_ERRORS})
def cancel_declaration(key: str, body: ReasonIn, ctx: Ctx, user: Canceller) -> dict[str, Any]:
    return queries.view(changes.cancel(ctx, key, body.reason, user).row)


@router.post("/{key}/actions/{action}", operation_id="process_declaration",
             response_model=DeclarationOut,
             responses={409: {"model": ErrorBody}, 422: {"model": ErrorBody}, **_ERRORS})
def process_declaration(key: str, action: str, body: ActionIn, ctx: Ctx,
                        user: Processor) -> dict[str, Any]:
    """Officer actions: `start-control`, `release` (of a declaration under control: with the
    control's `outcome` and any additional `revenue`), `invalidate` (needs a reason)."""
    return queries.view(officer_action(ctx, key, action, body.reason, user,
                                       outcome=body.outcome, revenue=body.revenue))
