"""Building a ready context from settings: migrate, load reference data when empty."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: command-line modules import this one at their top,
    # and `clearway <group> --help` must not pay for the whole application
    from clearway.clock import Clock
    from clearway.config import Settings
    from clearway.context import Context


def context(settings: Settings | None = None, clock: Clock | None = None) -> Context:
    from clearway.composition import build_context
    from clearway.config import get_settings

    return build_context(settings or get_settings(), clock=clock)


def prepare(ctx: Context, *, load_packaged_refdata: bool = True) -> None:
    """Migrate the database and, if no reference data was ever loaded, load the packaged
    lists so that a fresh system validates from its first declaration."""
    from clearway.border import service as border
    from clearway.dualuse import service as dualuse
    from clearway.refdata import service as refdata
    from clearway.storage.migrate import upgrade

    upgrade(ctx.settings.database_url)
    if not load_packaged_refdata:
        return
    with ctx.uow() as uow:
        if not refdata.current_sets(uow.session):
            refdata.load_directory(uow.session, None, now=ctx.clock.now(), actor="system")
            uow.commit()
    with ctx.uow() as uow:  # the illustrative dual-use list, if none was ever loaded
        if dualuse.load_packaged_if_empty(uow.session, now=ctx.clock.now(), actor="system"):
            uow.commit()
    from clearway.agencies import service as agencies

    with ctx.uow() as uow:  # the packaged agencies and regulatory matrix, likewise
        if agencies.load_packaged_if_empty(uow.session, now=ctx.clock.now(), actor="system"):
            uow.commit()
    ctx.matrix.invalidate()
    border.load_packaged_points(ctx)  # the crossing points, if none was ever stored
    ctx.refdata.invalidate()
