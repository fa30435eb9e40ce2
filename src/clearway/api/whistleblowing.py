"""HTTP routes of the whistleblowing channel (docs/whistleblowing.md).

The sender's routes are public (no account; listed with the other public routes): send a
report, read its thread and write again with the receipt code, given in the body. They read
no token or cookie and touch neither the sign-in throttle (keyed by address) nor anything
else that would note who sent them (api/limits.py lets their small bodies in without a
token: `ANONYMOUS`); the limits count over all senders. The integrity
auditor reads and answers reports (whistleblowing:read, whistleblowing:answer)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from clearway.api.deps import Ctx, require, run_use_case
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.whistleblowing import service
from clearway.whistleblowing.limits import ChannelLimits
from clearway.whistleblowing.model import Report
from clearway.whistleblowing.schemas import (
    AnswerIn,
    ReceiptIn,
    ReporterMessageIn,
    ReportIn,
    for_auditor,
    for_reporter,
    received_out,
)

router = APIRouter(prefix="/api/v1/whistleblowing", tags=["whistleblowing"])
Reader = Annotated[User, Depends(require(Permission.READ_WHISTLEBLOWING))]
Answerer = Annotated[User, Depends(require(Permission.ANSWER_WHISTLEBLOWING))]


def channel_limits(request: Request) -> ChannelLimits:
    """The application's limits of the channel, made on first use."""
    state = request.app.state
    found = getattr(state, "whistle_limits", None)
    if found is None:
        found = state.whistle_limits = ChannelLimits()
    return found


def send_report(ctx: Any, limits: ChannelLimits, topic: str, text: str) -> str:
    now = ctx.clock.now()
    limits.submissions.check(now)
    code = service.submit(ctx, topic=topic, text=text)
    limits.submissions.count(now)
    return code


def with_receipt(ctx: Any, limits: ChannelLimits, read: Any) -> Report:
    """Run `read` (a follow-up by receipt code); a code that matches nothing counts against
    the channel's limit of wrong codes."""
    now = ctx.clock.now()
    limits.wrong_receipts.check(now)
    try:
        found: Report = read()
    except ClearwayError as exc:
        if exc.code == "CW-WHISTLE-RECEIPT":
            limits.wrong_receipts.count(now)
        raise
    return found


@router.post("/report", operation_id="send_whistleblower_report", status_code=201)
async def report(body: ReportIn, request: Request, ctx: Ctx) -> dict[str, Any]:
    """Send a report anonymously: no account, nothing of the sender kept. The answer's
    receipt code is shown once; keep it to follow up."""
    code = await run_use_case(ctx, partial(send_report, ctx, channel_limits(request),
                                           body.topic, body.text))
    return received_out(code, ctx.clock.now().date())


@router.post("/follow-up", operation_id="follow_whistleblower_report")
def follow_up(body: ReceiptIn, request: Request, ctx: Ctx) -> dict[str, Any]:
    """The report's stage and messages (the auditor's questions and answers)."""
    return for_reporter(with_receipt(ctx, channel_limits(request),
                                     partial(service.follow_up, ctx, body.receipt)))


@router.post("/follow-up/message", operation_id="write_whistleblower_message")
async def write(body: ReporterMessageIn, request: Request, ctx: Ctx) -> dict[str, Any]:
    """Answer the auditor's question or add to the report, while its case is open."""
    found = await run_use_case(ctx, partial(
        with_receipt, ctx, channel_limits(request),
        partial(service.write_again, ctx, body.receipt, body.text)))
    return for_reporter(found)


@router.get("/cases", operation_id="list_whistleblower_reports")
def cases(ctx: Ctx, user: Reader) -> list[dict[str, Any]]:
    """Every report (newest first) with its integrity case's status; threads by case."""
    return [for_auditor(r, thread=False) for r in service.reports(ctx)]


@router.get("/cases/{key}", operation_id="read_whistleblower_report")
async def read(key: str, ctx: Ctx, user: Reader) -> dict[str, Any]:
    """A report and its thread (the reading is audited)."""
    found = await run_use_case(ctx, partial(service.read, ctx, key.upper(), user=user))
    return for_auditor(found)


@router.post("/cases/{key}/answer", operation_id="answer_whistleblower_report")
async def answer(key: str, body: AnswerIn, ctx: Ctx, user: Answerer) -> dict[str, Any]:
    """A question or answer to the reporter, read on their next follow-up."""
    found = await run_use_case(ctx, partial(service.answer, ctx, key.upper(), body.text,
                                            user=user))
    return for_auditor(found)
