"""Running webhook delivery: a background thread in the server, or `clearway notifications
deliver`. Delivery failures never stop the loop.

A round claims due notifications in one short transaction, POSTs them with no transaction
open (one thread per trader, up to CLEARWAY_WEBHOOK_CONCURRENCY traders at once; a trader's
own notifications in order), and records each trader's outcome in another short one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from typing import Any

from fastapi import FastAPI

from clearway.background import run_beside
from clearway.config import Settings
from clearway.context import Context
from clearway.notifications.guard import Policy, guarded_poster
from clearway.notifications.webhooks import (
    Claim,
    DeliveryReport,
    Poster,
    claim_due,
    record,
    send,
)

log = logging.getLogger("clearway.webhooks")
PER_TRADER = 10  # notifications of one trader per round


def lease_for(settings: Settings) -> timedelta:
    """How long claimed notifications are left alone: a trader's whole turn, each POST taking
    at most the timeout to connect, to send and to answer, plus a margin for DNS."""
    return timedelta(seconds=PER_TRADER * 3 * settings.webhook_timeout_seconds + 60)


def make_poster(settings: Settings) -> Poster:
    """The real poster: SSRF-guarded at every connection (raises ValueError on a malformed
    CLEARWAY_WEBHOOK_ALLOWED_NETWORKS)."""
    return guarded_poster(Policy.from_settings(settings), settings.webhook_timeout_seconds)


def deliver_once(ctx: Context, post: Poster | None = None) -> DeliveryReport:
    settings = ctx.settings
    post = post or make_poster(settings)
    with ctx.uow() as uow:
        claims = claim_due(uow.session, now=ctx.clock.now(),
                           traders=settings.webhook_concurrency, per_trader=PER_TRADER,
                           lease=lease_for(settings))
        uow.commit()
    report = DeliveryReport()
    if not claims:
        return report
    # The claim is committed: receivers are contacted with no lock and no transaction held.
    with ThreadPoolExecutor(max_workers=len(claims), thread_name_prefix="webhook") as pool:
        for part in pool.map(partial(_serve, ctx, post), claims):
            report.add(part)
    return report


def _serve(ctx: Context, post: Poster, claim: Claim) -> DeliveryReport:
    outcomes = send(claim, post)
    settings = ctx.settings
    with ctx.uow() as uow:
        report = record(uow.session, claim, outcomes, now=ctx.clock.now(), rng=ctx.rng,
                        max_backoff=settings.webhook_max_backoff_seconds,
                        threshold=settings.webhook_breaker_failures,
                        cooldown=timedelta(seconds=settings.webhook_breaker_cooldown_seconds))
        uow.commit()
    return report


def run_dispatcher(ctx: Context, *, once: bool, interval: float,
                   log: Callable[[str], Any] = log.info,
                   stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    post = make_poster(ctx.settings)
    while True:
        report = DeliveryReport()
        try:
            report = deliver_once(ctx, post)
            if report.delivered or report.failed or once:
                log(f"webhooks: {report.delivered} delivered, {report.failed} to retry")
        except Exception:  # keep the loop alive; the rows stay due and are retried
            logging.getLogger("clearway.webhooks").exception("webhook dispatch failed")
        if once or stop.is_set():
            return
        # Deliveries went through: more may be waiting, so go on at once; else rest.
        if not report.delivered and stop.wait(interval):
            return


def attach_dispatcher(app: FastAPI, ctx: Context, interval: float = 2.0) -> None:
    """Run the dispatcher in a thread for the life of the server."""
    Policy.from_settings(ctx.settings)  # a malformed allow-list stops the server here

    run_beside(app, name="webhooks", target=run_dispatcher,
               kwargs={"ctx": ctx, "once": False, "interval": interval}, join_seconds=5)
