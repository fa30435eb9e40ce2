"""The server witnesses the chain's head itself: every CLEARWAY_AUDIT_WITNESS_SECONDS, when
the head moved, it signs the head and writes the checkpoint to the witness (file, URL), and
once more as it stops. Without it, entries after the latest automatic checkpoint (up to
CLEARWAY_AUDIT_CHECKPOINT_EVERY - 1 of them) could be cut unseen until an operator's timer
ran `clearway audit witness`; with it, only the entries of the last interval can.

The tick reads three numbers in a read-only transaction and, when the head moved, runs
`service.witness_head`: a short write transaction for the checkpoint, the file and the URL
after its commit (no lock held), then a short one for the witness's head."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from fastapi import FastAPI

from clearway.audit import repository, witness
from clearway.audit.model import Checkpoint
from clearway.audit.service import witness_head
from clearway.background import run_beside
from clearway.context import Context
from clearway.errors import ClearwayError

log = logging.getLogger("clearway.audit")
JOIN_SECONDS = 10.0  # the last tick may wait on the witness URL (5 s timeout)


def witness_if_moved(ctx: Context) -> Checkpoint | None:
    """One tick: the checkpoint made and witnessed, or None when the head is witnessed
    already (nothing written, nothing locked)."""
    with ctx.uow(read_only=True) as uow:
        head_id, _ = repository.head(uow.session)
        latest = repository.latest_checkpoint(uow.session)
        mark = repository.witness_mark(uow.session)
    has_file = witness.path_of(ctx.settings) is not None
    if head_id == 0 or (latest is not None and latest.entry_id == head_id
                        and (mark >= latest.id or not has_file)):
        return None
    return witness_head(ctx)[0]


def _tick(ctx: Context) -> None:
    try:
        made = witness_if_moved(ctx)
        if made is not None:
            log.info("audit head witnessed: checkpoint %s, entry %s", made.id, made.entry_id)
    except ClearwayError as exc:  # a lost witness file: loud, every tick, until restored
        log.error("audit witness: %s", exc.message)
    except Exception:  # keep the loop alive; the next tick tries again
        log.exception("audit witness tick failed")


def run_witness(ctx: Context, *, interval: float, stop: threading.Event,
                tick: Callable[[Context], None] = _tick) -> None:
    """Tick every `interval` seconds until `stop`, then once more (a server stopped cleanly
    leaves its last entries witnessed)."""
    while not stop.wait(interval):
        tick(ctx)
    tick(ctx)


def enabled(ctx: Context) -> bool:
    settings = ctx.settings
    return settings.audit_witness_seconds > 0 and (
        witness.path_of(settings) is not None or bool(settings.audit_witness_url))


def attach_witness(app: FastAPI, ctx: Context) -> None:
    """Run the witness in a thread for the life of the server, around whatever lifespan the
    app has already (the webhook dispatcher's): attach it after the others."""
    if not enabled(ctx):
        return
    run_beside(app, name="audit-witness-head", target=run_witness,
               kwargs={"ctx": ctx, "interval": ctx.settings.audit_witness_seconds},
               join_seconds=JOIN_SECONDS)
