"""HTTP routes of partnerships with trade (docs/partnerships.md): the MoU register and its
members, the facilitation figures, and the consultation record. Supervisors and
administrators keep them (partnerships:manage); analysts and auditors read them too."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.identity import Permission, User
from clearway.partnerships import service
from clearway.partnerships.model import Member
from clearway.partnerships.schemas import (
    ActionDone,
    ActionIn,
    ConsultationIn,
    MemberEnd,
    MemberIn,
    MouIn,
    ReviewIn,
    consultation_out,
    mou_out,
)
from clearway.periods import period

router = APIRouter(prefix="/api/v1/partnerships", tags=["partnerships"])
Reader = Annotated[User, Depends(require(Permission.READ_PARTNERSHIPS))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_PARTNERSHIPS))]
Answer = dict[str, Any]
ActionId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/mous", operation_id="list_mous")
def list_mous(ctx: Ctx, user: Reader) -> list[Answer]:
    """The register of memoranda of understanding, with their members."""
    today = ctx.clock.now().date()
    return [mou_out(m, today) for m in service.list_mous(ctx)]


@router.post("/mous", operation_id="add_mou", status_code=201)
async def add_mou(body: MouIn, ctx: Ctx, user: Manager) -> Answer:
    mou = await run_use_case(ctx, partial(service.add_mou, ctx, body.mou(), user=user))
    return mou_out(mou, ctx.clock.now().date())


@router.get("/mous/{key}", operation_id="get_mou")
def get_mou(key: str, ctx: Ctx, user: Reader) -> Answer:
    return mou_out(service.get_mou(ctx, key.upper()), ctx.clock.now().date())


@router.post("/mous/{key}/members", operation_id="add_mou_member", status_code=201)
async def add_member(key: str, body: MemberIn, ctx: Ctx, user: Manager) -> Answer:
    """Give a trader (EORI) the MoU's facilitations for a period within its validity."""
    member = Member(body.trader_id, body.valid_from, body.valid_to)
    mou = await run_use_case(ctx, partial(service.add_member, ctx, key.upper(), member,
                                          user=user))
    return mou_out(mou, ctx.clock.now().date())


@router.post("/mous/{key}/members/{trader_id}/end", operation_id="end_mou_member")
async def end_member(key: str, trader_id: str, body: MemberEnd, ctx: Ctx,
                     user: Manager) -> Answer:
    mou = await run_use_case(ctx, partial(service.end_member, ctx, key.upper(), trader_id,
                                          body.on, user=user))
    return mou_out(mou, ctx.clock.now().date())


@router.post("/mous/{key}/reviews", operation_id="review_mou")
async def review(key: str, body: ReviewIn, ctx: Ctx, user: Manager) -> Answer:
    mou = await run_use_case(ctx, partial(service.review_mou, ctx, key.upper(), note=body.note,
                                          next_review_on=body.next_review_on, user=user))
    return mou_out(mou, ctx.clock.now().date())


@router.get("/facilitation", operation_id="mou_facilitation")
def facilitation(
    ctx: Ctx, user: Reader,
    first: Annotated[date | None, Query(alias="from", description="First day (default: "
                                        "30 days up to `to`)")] = None,
    last: Annotated[date | None, Query(alias="to", description="Last day (default today)")]
    = None,
) -> Answer:
    """Green share and release minutes (lodgement to release) of MoU members' declarations
    against non-members', overall and per MoU; membership taken on each declaration's day."""
    return service.facilitation(ctx, period(ctx.clock.now().date(), first, last))


@router.get("/consultations", operation_id="list_consultations")
def list_consultations(ctx: Ctx, user: Reader) -> list[Answer]:
    """Meetings with trade, newest first, with their follow-up actions (overdue flagged)."""
    today = ctx.clock.now().date()
    return [consultation_out(c, today) for c in service.list_consultations(ctx)]


@router.post("/consultations", operation_id="record_consultation", status_code=201)
async def record(body: ConsultationIn, ctx: Ctx, user: Manager) -> Answer:
    found = await run_use_case(ctx, partial(
        service.record_consultation, ctx, held_on=body.held_on, title=body.title,
        participants=body.participants, topics=body.topics, outcomes=body.outcomes,
        mou_code=body.mou_code.upper() if body.mou_code else None, user=user))
    return consultation_out(found, ctx.clock.now().date())


@router.get("/consultations/{key}", operation_id="get_consultation")
def get_consultation(key: str, ctx: Ctx, user: Reader) -> Answer:
    return consultation_out(service.get_consultation(ctx, key.upper()), ctx.clock.now().date())


@router.post("/consultations/{key}/actions", operation_id="add_consultation_action",
             status_code=201)
async def add_action(key: str, body: ActionIn, ctx: Ctx, user: Manager) -> Answer:
    found = await run_use_case(ctx, partial(
        service.add_action, ctx, key.upper(), description=body.description, owner=body.owner,
        due_on=body.due_on, user=user))
    return consultation_out(found, ctx.clock.now().date())


@router.post("/consultations/{key}/actions/{entry_id}/done",
             operation_id="complete_consultation_action")
async def complete(key: str, entry_id: ActionId, body: ActionDone, ctx: Ctx,
                   user: Manager) -> Answer:
    found = await run_use_case(ctx, partial(service.complete_action, ctx, key.upper(),
                                            entry_id, note=body.note, user=user))
    return consultation_out(found, ctx.clock.now().date())
