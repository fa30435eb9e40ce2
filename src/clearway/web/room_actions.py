"""A room's form posts: run the use case, go back to the room on success, or show the room
again with the refusal (its code and words) and the values typed, with the refusal's
status. Not found and signed out stay errors of their own (the console's error pages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.errors import ClearwayError
from clearway.web.render import page


async def act_in_room(request: Request, act: Callable[[], object], *, back: str,
                      room: Callable[..., dict[str, Any]], template: str,
                      values: dict[str, str] | None = None) -> Response:
    """`room(values=..., problem=...)` builds the room's context when `act` is refused."""
    try:
        await run_in_threadpool(act)
    except ClearwayError as exc:
        if exc.status in (401, 404):
            raise
        context = await run_in_threadpool(room, values=values or {}, problem={
            "code": exc.code, "message": exc.message})
        return page(request, template, context, status_code=exc.status)
    return RedirectResponse(back, status_code=303)
