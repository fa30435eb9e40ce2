"""A thread that lives beside the server: started with the application, told to stop and
joined when the application stops. Wrapped around whatever lifespan the application has
already, so several can be attached one after the other (the webhook dispatcher's, the audit
witness, the exchange's delivery)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI


def run_beside(app: FastAPI, *, name: str, target: Callable[..., None],
               kwargs: dict[str, Any], join_seconds: float) -> None:
    """Run `target(**kwargs, stop=event)` in a daemon thread named `name` for the life of
    `app`; `event` is set when the application stops, then the thread is joined."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        stop = threading.Event()
        thread = threading.Thread(target=target, daemon=True, name=name,
                                  kwargs={**kwargs, "stop": stop})
        thread.start()
        try:
            async with inner(app_) as state:
                yield state
        finally:
            stop.set()
            thread.join(timeout=join_seconds)

    app.router.lifespan_context = lifespan
