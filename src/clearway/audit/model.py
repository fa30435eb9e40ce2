"""The audit chain's arithmetic: pure functions, no storage."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str = ""


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 over the entry's content and the previous hash: changing, inserting or
    removing any entry breaks every hash after it."""
    body = json.dumps(
        {
            "id": entry.id,
            "at": entry.at.strftime("%Y-%m-%dT%H:%M:%S.%f"),
            "actor": entry.actor,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "detail": entry.detail,
            "prev_hash": entry.prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


def verify_chain(entries: Iterable[AuditEntry], head_id: int, head_hash: str) -> ChainBreak | None:
    """The first place where the chain is broken, or None when it is intact."""
    prev_hash, expected_id = GENESIS_HASH, 1
    for entry in entries:
        if entry.id != expected_id:
            return ChainBreak(expected_id, f"entry {expected_id} is missing (next is {entry.id})")
        if entry.prev_hash != prev_hash:
            return ChainBreak(entry.id, "previous-hash link does not match the entry before")
        if entry_hash(entry) != entry.hash:
            return ChainBreak(entry.id, "content does not match its hash (edited)")
        prev_hash, expected_id = entry.hash, expected_id + 1
    last_id = expected_id - 1
    if last_id != head_id:
        return ChainBreak(last_id + 1, f"chain ends at {last_id} but head records {head_id}")
    if head_id and prev_hash != head_hash:
        return ChainBreak(last_id, "last entry does not match the recorded head hash")
    return None
