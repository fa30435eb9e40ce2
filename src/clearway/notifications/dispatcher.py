"""Running webhook delivery: a background thread in the server, or `clearway notifications
deliver`. Delivery failures never stop the loop."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from clearway.context import Context
from clearway.notifications.webhooks import DeliveryReport, deliver_due, http_poster

log = logging.getLogger("clearway.webhooks")


def deliver_once(ctx: Context) -> DeliveryReport:
    with ctx.uow() as uow:
        report = deliver_due(uow.session, now=ctx.clock.now(),
                             post=http_poster(ctx.settings.webhook_timeout_seconds),
                             rng=ctx.rng, max_backoff=ctx.settings.webhook_max_backoff_seconds)
        uow.commit()
    return report


def run_dispatcher(ctx: Context, *, once: bool, interval: float,
                   log: Callable[[str], Any] = log.info,
                   stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    while True:
        try:
            report = deliver_once(ctx)
            if report.delivered or report.failed or once:
                log(f"webhooks: {report.delivered} delivered, {report.failed} to retry")
        except Exception:  # keep the loop alive; the rows stay due and are retried
            logging.getLogger("clearway.webhooks").exception("webhook dispatch failed")
        if once or stop.wait(interval):
            return


def attach_dispatcher(app: FastAPI, ctx: Context, interval: float = 2.0) -> None:
    """Run the dispatcher in a thread for the life of the server."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        thread = threading.Thread(target=run_dispatcher, daemon=True, name="webhooks",
                                  kwargs={"ctx": ctx, "once": False, "interval": interval,
                                          "stop": stop})
        thread.start()
        yield
        stop.set()
        thread.join(timeout=5)

    app.router.lifespan_context = lifespan
