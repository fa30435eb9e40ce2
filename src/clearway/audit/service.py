"""Verifying the audit chain."""

from __future__ import annotations

from clearway.audit import repository
from clearway.audit.model import ChainBreak, verify_chain
from clearway.context import Context


def verify(ctx: Context) -> tuple[ChainBreak | None, int]:
    with ctx.uow(read_only=True) as uow:
        head_id, head_hash = repository.head(uow.session)
        return verify_chain(repository.iter_entries(uow.session), head_id, head_hash), head_id
