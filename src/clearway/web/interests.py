"""The officer's room of declarations of interest: their own declarations with the review
status and the renewal due, the form to file one, and per declaration the buttons to renew
or withdraw it. Nobody else's declarations are shown here."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.identity import Permission, User
from clearway.interests import service
from clearway.interests.model import KIND_WORDS, KINDS
from clearway.interests.schemas import InterestOut
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, page
from clearway.web.room_actions import act_in_room

router = APIRouter(prefix="/console/interests", route_class=ConsoleRoute,
                   include_in_schema=False)
Filer = Annotated[User, Depends(require(Permission.FILE_INTERESTS))]
Key = Annotated[int, Path(ge=1, le=2**62)]
DONE = {"filed": "Declaration filed: no control of a declaration naming this party will be "
                 "given to you.",
        "renewed": "Declaration renewed for a year; it goes back to a supervisor's review.",
        "withdrawn": "Declaration withdrawn: it no longer keeps you from this party's "
                     "controls."}


def _room(ctx: Context, user: User, **extra: Any) -> dict[str, Any]:
    today = ctx.clock.now().date()
    return {"declarations": [InterestOut.of(r, today) for r in service.mine(ctx, user)],
            "kinds": [(k, KIND_WORDS[k]) for k in KINDS], "problem": None, "values": {},
            "done": None, "active": "interests", **extra}


@router.get("")
async def room(request: Request, ctx: Ctx, user: Filer) -> Response:
    done = DONE.get(request.query_params.get("done", ""))
    context = await run_in_threadpool(_room, ctx, user, done=done)
    return page(request, "prevention/interests.html", context)


async def _act(request: Request, ctx: Ctx, user: User, act: Callable[[], object],
               done: str, values: dict[str, str] | None = None) -> Response:
    return await act_in_room(request, act, back=f"/console/interests?done={done}",
                             room=partial(_room, ctx, user), template="prevention/interests.html",
                             values=values)


@router.post("")
async def file(request: Request, ctx: Ctx, user: Filer) -> Response:
    form = await read_form(request)
    values = {n: first(form, n)[:2000] for n in ("kind", "party_id", "party_name",
                                                 "description")}
    return await _act(request, ctx, user, lambda: service.file(
        ctx, user, kind=values["kind"], party_id=values["party_id"][:60],
        party_name=values["party_name"][:200] or None, description=values["description"]),
        "filed", values)


@router.post("/{key}/renew")
async def renew(request: Request, key: Key, ctx: Ctx, user: Filer) -> Response:
    return await _act(request, ctx, user, lambda: service.renew(ctx, key, user), "renewed")


@router.post("/{key}/withdraw")
async def withdraw(request: Request, key: Key, ctx: Ctx, user: Filer) -> Response:
    form = await read_form(request)
    reason = first(form, "reason")[:2000]
    return await _act(request, ctx, user, lambda: service.withdraw(ctx, key, user, reason),
                      "withdrawn")
