"""Audit chains for the audit tests: one built in memory, entries written to a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from clearway.audit import repository
from clearway.audit.model import GENESIS_HASH, AuditEntry, entry_hash
from clearway.context import Context

AT = datetime(2026, 11, 20, 9, 30)


def chain(n: int) -> list[AuditEntry]:
    """`n` linked entries, each hashed over its content and the previous hash."""
    entries, prev = [], GENESIS_HASH
    for i in range(1, n + 1):
        e = AuditEntry(i, AT, "officer:o", "declaration.read", "declaration", f"D{i}", {"i": i},
                       prev)
        prev = entry_hash(e)
        entries.append(replace(e, hash=prev))
    return entries


def append_entries(ctx: Context, n: int) -> None:
    """`n` staff reads appended through the chain writer, in one unit of work."""
    with ctx.uow() as uow:
        for i in range(n):
            repository.append(uow.session, at=ctx.clock.now(), actor="officer:o1",
                              action="declaration.read", object_type="declaration",
                              object_id=f"D{i}")
        uow.commit()
