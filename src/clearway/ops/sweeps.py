"""Work that comes due with time, run beside `clearway serve` so nobody has to remember it:
anticipated arrivals past their deadline (no-arrival alarms), exports the partner never
confirmed (exit-unconfirmed alarms), received data past its retention period. Each job runs at
once, then every `interval` seconds; the commands (`clearway arrivals sweep`, `clearway
privacy sweep`) run the same use cases by hand or from a scheduler."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from clearway.background import run_beside
from clearway.context import Context
from clearway.prearrival import exits
from clearway.prearrival import service as prearrival
from clearway.privacy.service import sweep_retention

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sweep:
    name: str
    interval: float  # seconds between two runs
    job: Callable[[Context], Any]


SWEEPS = (
    Sweep("arrivals overdue", 300.0, prearrival.sweep_overdue),
    Sweep("exits unconfirmed", 300.0, exits.sweep_unconfirmed),
    Sweep("retention", 3600.0, sweep_retention),
)


def run_sweeps(ctx: Context, stop: threading.Event, sweeps: tuple[Sweep, ...] = SWEEPS,
               tick: float = 5.0) -> None:
    """Run each sweep when due until `stop` is set (checked every `tick` seconds). A failed
    run is logged and tried again at its next turn: a database briefly away must not end the
    sweeps for the life of the server."""
    due = {s.name: 0.0 for s in sweeps}
    while True:
        for sweep in sweeps:
            if time.monotonic() < due[sweep.name]:
                continue
            try:
                done = sweep.job(ctx)
                if any(done.values()) if isinstance(done, dict) else done:
                    log.info("sweep %s: %s", sweep.name, done)
            except Exception:
                log.exception("sweep %s failed; trying again in %s s", sweep.name,
                              sweep.interval)
            due[sweep.name] = time.monotonic() + sweep.interval
        if stop.wait(tick):
            return


def attach_sweeps(app: FastAPI, ctx: Context) -> None:
    run_beside(app, name="sweeps", target=run_sweeps, kwargs={"ctx": ctx}, join_seconds=30)
