"""HTTP routes of mutual assistance: draft, approve, assign, answer or refuse, close, list
(requests out and in, overdue first) and read a conversation with its attachments."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from clearway.api.deps import Ctx, require, run_use_case
from clearway.assistance import service
from clearway.assistance.repository import RequestFilter
from clearway.assistance.schemas import (
    AssignIn,
    ConversationOut,
    DraftIn,
    ReplyIn,
    RequestOut,
    files_of,
)
from clearway.identity import Permission, User

router = APIRouter(prefix="/api/v1/assistance", tags=["mutual assistance"])
Reader = Annotated[User, Depends(require(Permission.READ_ASSISTANCE))]
Drafter = Annotated[User, Depends(require(Permission.DRAFT_ASSISTANCE))]
Approver = Annotated[User, Depends(require(Permission.APPROVE_ASSISTANCE))]
Answerer = Annotated[User, Depends(require(Permission.ANSWER_ASSISTANCE))]
RequestId = Annotated[int, Path(ge=1, le=2**62, description="The request's number")]
AttachmentId = Annotated[int, Path(ge=1, le=2**62, description="The attachment's number")]


def _one(ctx: Ctx, user: User, request_id: int) -> ConversationOut:
    return ConversationOut.of(service.get_for(ctx, user, request_id), ctx.clock.now())


@router.post("/requests", operation_id="draft_assistance_request",
             response_model=ConversationOut, status_code=201)
async def draft_request(body: DraftIn, ctx: Ctx, user: Drafter) -> ConversationOut:
    """Draft a request to a partner administration; it leaves when a supervisor other than
    the drafter approves it."""
    files, claimed = files_of(body.attachments)
    row = await run_use_case(ctx, partial(service.draft, ctx, user, body.draft(), files,
                                          claimed))
    return _one(ctx, user, row.id)


@router.get("/requests", operation_id="list_assistance_requests",
            response_model=list[RequestOut])
def list_requests(ctx: Ctx, user: Reader,
                  direction: Literal["out", "in"] | None = None,
                  status: Annotated[str | None, Query(max_length=16)] = None,
                  partner: Annotated[str | None, Query(max_length=8)] = None,
                  request_type: Annotated[str | None, Query(max_length=16)] = None,
                  overdue: bool = False) -> list[RequestOut]:
    """Requests out and in, overdue first, then by deadline; a partner's liaison sees only
    those exchanged with its own administration."""
    flt = RequestFilter(direction=direction, status=status, partner=partner,
                        request_type=request_type, overdue_only=overdue)
    now = ctx.clock.now()
    return [RequestOut.of(r, now) for r in service.list_for(ctx, user, flt)]


@router.get("/requests/{key}", operation_id="get_assistance_request",
            response_model=ConversationOut)
def get_request(key: RequestId, ctx: Ctx, user: Reader) -> ConversationOut:
    """A request with its replies and the list of its attachments (with their SHA-256)."""
    return _one(ctx, user, key)


@router.get("/requests/{key}/attachments/{attachment}",
            operation_id="download_assistance_attachment", response_class=Response)
def download_attachment(key: RequestId, attachment: AttachmentId, ctx: Ctx,
                        user: Reader) -> Response:
    """The attachment's bytes; its SHA-256 in the X-Content-SHA256 header."""
    found = service.attachment_for(ctx, user, key, attachment)
    return Response(found.data, media_type="application/octet-stream", headers={
        "X-Content-SHA256": found.sha256, "X-Content-Type-Declared": found.content_type,
        "Content-Disposition": "attachment"})


@router.post("/requests/{key}/approve", operation_id="approve_assistance_request",
             response_model=ConversationOut)
async def approve_request(key: RequestId, ctx: Ctx, user: Approver) -> ConversationOut:
    """Approve a draft (never your own: CW-ASSIST-SELF-APPROVAL); it leaves at once."""
    await run_use_case(ctx, partial(service.approve, ctx, key, user))
    return _one(ctx, user, key)


@router.post("/requests/{key}/assign", operation_id="assign_assistance_request",
             response_model=ConversationOut)
async def assign_request(key: RequestId, body: AssignIn, ctx: Ctx,
                         user: Approver) -> ConversationOut:
    """Give a received request to an officer."""
    await run_use_case(ctx, partial(service.assign, ctx, key, body.officer, user))
    return _one(ctx, user, key)


@router.post("/requests/{key}/reply", operation_id="reply_assistance_request",
             response_model=ConversationOut)
async def reply_request(key: RequestId, body: ReplyIn, ctx: Ctx,
                        user: Answerer) -> ConversationOut:
    """Answer, answer partly or refuse (with a reason) a request assigned to you."""
    files, claimed = files_of(body.attachments)
    await run_use_case(ctx, partial(service.answer, ctx, key, body.reply(), files, claimed,
                                    user))
    return _one(ctx, user, key)


@router.post("/requests/{key}/close", operation_id="close_assistance_request",
             response_model=ConversationOut)
async def close_request(key: RequestId, ctx: Ctx, user: Drafter) -> ConversationOut:
    """Close a request once it has its reply."""
    await run_use_case(ctx, partial(service.close, ctx, key, user))
    return _one(ctx, user, key)
