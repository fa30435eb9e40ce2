"""A valid audit chain without a database, shared by the audit unit tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from clearway.audit.model import GENESIS_HASH, AuditEntry, entry_hash

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
