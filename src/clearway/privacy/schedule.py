"""The retention sweep on a schedule: beside `clearway serve` (hourly by default), so
received data goes when its period ends without anyone running `clearway privacy sweep`."""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI

from clearway.background import run_beside
from clearway.context import Context
from clearway.privacy.service import sweep_retention

log = logging.getLogger(__name__)
HOUR = 3600.0


def run_sweeps(ctx: Context, stop: threading.Event, interval: float = HOUR) -> None:
    """Sweep now, then every `interval` seconds until `stop` is set.
    A failed round is logged with its error and tried again at the next one (a database
    briefly away must not end retention for the life of the server)."""
    while True:
        try:
            erased = sweep_retention(ctx)
            if any(erased.values()):
                log.info("retention sweep erased %s", erased)
        except Exception:
            log.exception("retention sweep failed; trying again in %s s", interval)
        if stop.wait(interval):
            return


def attach_retention(app: FastAPI, ctx: Context, interval: float = HOUR) -> None:
    run_beside(app, name="privacy-retention", target=run_sweeps,
               kwargs={"ctx": ctx, "interval": interval}, join_seconds=30)
