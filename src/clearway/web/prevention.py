"""The supervisors' prevention room: declarations of interest to review (and those whose
renewal is overdue), the rotation warnings and plan of sensitive posts, the posts
themselves, tenure exceptions to ask for and to approve (never one's own), and this year's
share of officers rotated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.identity import Permission, User
from clearway.interests import service as interests
from clearway.interests.schemas import InterestOut
from clearway.rotation import service as rotation
from clearway.rotation.model import TenureStatus
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, page
from clearway.web.room_actions import act_in_room

router = APIRouter(prefix="/console/prevention", route_class=ConsoleRoute,
                   include_in_schema=False)
Reviewer = Annotated[User, Depends(require(Permission.REVIEW_INTERESTS))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_ROTATION))]
Approver = Annotated[User, Depends(require(Permission.APPROVE_ROTATION))]
Key = Annotated[int, Path(ge=1, le=2**62)]
DONE = {"reviewed": "Review recorded.", "post": "Sensitive post saved.",
        "asked": "Exception asked for: another supervisor decides it.",
        "decided": "Exception decided."}
WARNED = (TenureStatus.WARNING, TenureStatus.OVER)


def _room(ctx: Context, user: User, **extra: Any) -> dict[str, Any]:
    today = ctx.clock.now().date()
    rows, names = interests.for_review(ctx, status=None)
    shown = [InterestOut.of(r, today, names.get(r.officer_id)) for r in rows]
    plan = rotation.plan(ctx)
    exceptions, people = rotation.exceptions(ctx)
    return {"pending": [d for d in shown if d.status == "pending"],
            "overdue": [d for d in shown if d.renewal_overdue],
            "warnings": [e for e in plan if e.tenure.status in WARNED], "plan": plan,
            "posts": rotation.posts(ctx), "exceptions": exceptions, "people": people,
            "share": rotation.share(ctx, today.year), "today": today, "problem": None,
            "values": {}, "done": None, "active": "prevention", **extra}


@router.get("")
async def room(request: Request, ctx: Ctx, user: Reviewer) -> Response:
    done = DONE.get(request.query_params.get("done", ""))
    context = await run_in_threadpool(_room, ctx, user, done=done)
    return page(request, "prevention/room.html", context)


async def _act(request: Request, ctx: Ctx, user: User, act: Callable[[], object],
               done: str, values: dict[str, str] | None = None) -> Response:
    return await act_in_room(request, act, back=f"/console/prevention?done={done}",
                             room=partial(_room, ctx, user), template="prevention/room.html",
                             values=values)


@router.post("/interests/{key}/review")
async def review(request: Request, key: Key, ctx: Ctx, user: Reviewer) -> Response:
    form = await read_form(request)
    outcome, note = first(form, "outcome")[:12], first(form, "note")[:2000]
    return await _act(request, ctx, user, lambda: interests.review(
        ctx, key, user, outcome=outcome, note=note or None), "reviewed")


def _int(text: str) -> int:
    return int(text) if text.strip().isdigit() and len(text.strip()) < 9 else -1


@router.post("/posts")
async def set_post(request: Request, ctx: Ctx, user: Manager) -> Response:
    form = await read_form(request)
    values = {n: first(form, n)[:24] for n in ("office", "function", "max_tenure_days",
                                               "warn_days")}
    return await _act(request, ctx, user, lambda: rotation.set_post(
        ctx, office=values["office"].strip(), function=values["function"].strip() or "control",
        max_tenure_days=_int(values["max_tenure_days"]), warn_days=_int(values["warn_days"]),
        user=user), "post", values)


@router.post("/exceptions")
async def ask_exception(request: Request, ctx: Ctx, user: Manager) -> Response:
    form = await read_form(request)
    values = {n: first(form, n)[:2000] for n in ("entry", "until", "reason")}
    # The plan's line the exception is for: "officer id|office|function".
    officer, office, function = ([*values["entry"].split("|", 2), "", ""])[:3]
    try:
        until = date.fromisoformat(values["until"][:10])
    except ValueError:
        until = date.min   # refused by the use case as a day gone by
    return await _act(request, ctx, user, lambda: rotation.request_exception(
        ctx, officer_id=_int(officer), office=office[:16], function=function[:24],
        until=until, reason=values["reason"], user=user), "asked", values)


@router.post("/exceptions/{key}/decide")
async def decide(request: Request, key: Key, ctx: Ctx, user: Approver) -> Response:
    form = await read_form(request)
    approve = first(form, "decision") == "approve"
    note = first(form, "note")[:2000] or None
    return await _act(request, ctx, user, lambda: rotation.decide_exception(
        ctx, key, approve=approve, note=note, user=user), "decided")
