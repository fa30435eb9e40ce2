"""HTTP routes of declarations of interest: officers file, renew and withdraw their own;
supervisors review them. An officer's declarations are never listed to other officers."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.identity import Permission, User
from clearway.interests import service
from clearway.interests.schemas import InterestIn, InterestOut, ReviewIn, WithdrawIn

router = APIRouter(prefix="/api/v1/interests", tags=["interests"])
Filer = Annotated[User, Depends(require(Permission.FILE_INTERESTS))]
Reviewer = Annotated[User, Depends(require(Permission.REVIEW_INTERESTS))]
Key = Annotated[int, Path(ge=1, le=2**62, description="The declaration of interest's id")]


@router.post("", operation_id="file_interest", response_model=InterestOut, status_code=201)
async def file_interest(body: InterestIn, ctx: Ctx, user: Filer) -> InterestOut:
    """Declare a link to a trader, broker or carrier: from now on no control of a
    declaration naming it is given to you."""
    row = await run_use_case(ctx, partial(
        service.file, ctx, user, kind=body.kind, party_id=body.party_id,
        party_name=body.party_name, description=body.description))
    return InterestOut.of(row, ctx.clock.now().date())


@router.get("/mine", operation_id="list_my_interests", response_model=list[InterestOut])
def mine(ctx: Ctx, user: Filer) -> list[InterestOut]:
    today = ctx.clock.now().date()
    return [InterestOut.of(r, today) for r in service.mine(ctx, user)]


@router.post("/{key}/renew", operation_id="renew_interest", response_model=InterestOut)
async def renew(key: Key, ctx: Ctx, user: Filer) -> InterestOut:
    """Confirm your declaration for another year (it goes back to review)."""
    row = await run_use_case(ctx, partial(service.renew, ctx, key, user))
    return InterestOut.of(row, ctx.clock.now().date())


@router.post("/{key}/withdraw", operation_id="withdraw_interest", response_model=InterestOut)
async def withdraw(key: Key, body: WithdrawIn, ctx: Ctx, user: Filer) -> InterestOut:
    """The link ended: the declaration stops excluding you."""
    row = await run_use_case(ctx, partial(service.withdraw, ctx, key, user, body.reason))
    return InterestOut.of(row, ctx.clock.now().date())


@router.get("", operation_id="list_interests", response_model=list[InterestOut])
def listing(ctx: Ctx, user: Reviewer,
            status: Annotated[str | None, Query(max_length=12, description="pending, noted, "
                                                "returned or withdrawn")] = None
            ) -> list[InterestOut]:
    """Every declaration of interest for review, pending first."""
    rows, names = service.for_review(ctx, status=status)
    today = ctx.clock.now().date()
    return [InterestOut.of(r, today, names.get(r.officer_id)) for r in rows]


@router.post("/{key}/review", operation_id="review_interest", response_model=InterestOut)
async def review(key: Key, body: ReviewIn, ctx: Ctx, user: Reviewer) -> InterestOut:
    """Note a pending declaration, or return it to the officer to complete."""
    row = await run_use_case(ctx, partial(service.review, ctx, key, user,
                                          outcome=body.outcome, note=body.note))
    return InterestOut.of(row, ctx.clock.now().date())
