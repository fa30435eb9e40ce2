"""HTTP routes of summary declarations (ENS, EXS) after their outcome: the view with its
links, the carrier's answer to a request for information, a security clearance."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.clearance import summary_actions
from clearway.clearance.summary_view import SummaryView, open_rfis, view
from clearway.identity import Permission, User
from clearway.summaries.schemas import (
    ArrivalOut,
    ClearanceIn,
    ClearedOut,
    LinkedDeclarationOut,
    OpenRfiOut,
    RfiAnswerIn,
    RfiOut,
    SummaryOut,
    ToldOut,
)

router = APIRouter(tags=["summary declarations"])
Reader = Annotated[User, Depends(require(Permission.READ_DECLARATIONS))]
Submitter = Annotated[User, Depends(require(Permission.SUBMIT_DECLARATION))]
SecurityOfficer = Annotated[User, Depends(require(Permission.CLEAR_SECURITY_RESULT))]
Officer = Annotated[User, Depends(require(Permission.READ_TASKS))]
STAFF_ONLY = ("reason", "by", "by_id")


def summary_out(found: SummaryView, user: User) -> SummaryOut:
    row = found.row
    clearance = found.clearance
    if clearance is not None and user.is_trader:
        clearance = {k: v for k, v in clearance.items() if k not in STAFF_ONLY}
    return SummaryOut(
        mrn=row.mrn, lrn=row.lrn, declaration_type=row.declaration_type, status=row.status,
        version=row.version, outcome=found.outcome,
        told=[ToldOut(kind=n.kind, message=str(n.payload.get("message", "")),
                      issued_at=n.created_at) for n in found.told],
        rfis=[RfiOut.model_validate(r, from_attributes=True) for r in found.rfis],
        clearance=clearance,
        arrivals=[ArrivalOut.model_validate(a, from_attributes=True) for a in found.arrivals],
        declarations=[LinkedDeclarationOut.model_validate(d, from_attributes=True)
                      for d in found.declarations])


@router.get("/api/v1/summaries/{key}", operation_id="get_summary", response_model=SummaryOut)
def get_summary(key: str, ctx: Ctx, user: Reader) -> SummaryOut:
    """An ENS or EXS: the outcome as the carrier was told it, its requests for information
    and answers, the security clearance, the arrival it met and the declarations of its
    goods. Traders: their own filings only."""
    return summary_out(view(ctx, key, user), user)


@router.get("/api/v1/rfis", operation_id="list_open_rfis", response_model=list[OpenRfiOut])
def list_open_rfis(ctx: Ctx, user: Officer,
                   limit: Annotated[int, Query(ge=1, le=500)] = 200) -> list[OpenRfiOut]:
    """Requests for information to carriers still unanswered, oldest first, with the MRN of
    their ENS or EXS."""
    return [OpenRfiOut(mrn=r.mrn, **RfiOut.model_validate(r, from_attributes=True).model_dump())
            for r in open_rfis(ctx, limit=limit)]


@router.post("/api/v1/summaries/{key}/rfi/answer", operation_id="answer_rfi",
             response_model=RfiOut)
async def answer_rfi(key: str, body: RfiAnswerIn, ctx: Ctx, user: Submitter) -> RfiOut:
    """The carrier answers the open request for information in words; it is closed, and
    the office completes the assessment. (An amended ENS/EXS answers it too.)"""
    rfi = await run_use_case(ctx, partial(summary_actions.answer_rfi, ctx, key, body.answer,
                                          user))
    return RfiOut.model_validate(rfi, from_attributes=True)


@router.post("/api/v1/summaries/{key}/security-clearance", operation_id="clear_security_result",
             response_model=ClearedOut)
async def clear_security_result(key: str, body: ClearanceIn, ctx: Ctx,
                                user: SecurityOfficer) -> ClearedOut:
    """A security risk officer clears a do-not-load or high-risk-screening result, with a
    reason; the carrier is told the new outcome."""
    outcome = await run_use_case(ctx, partial(summary_actions.clear_security_result, ctx, key,
                                              body.outcome, body.reason, user))
    return ClearedOut(mrn=key, outcome=outcome)
