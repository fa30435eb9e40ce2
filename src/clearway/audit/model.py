"""The audit chain's arithmetic: pure functions, no storage."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
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
class Checkpoint:
    """A signed statement "entry `entry_id` has hash `entry_hash`". The signed message also
    names the checkpoint before it, so removing one from the middle breaks the next."""

    id: int
    entry_id: int
    entry_hash: str
    at: datetime
    key_id: str
    signature: str


def checkpoint_message(entry_id: int, entry_hash: str, at: datetime, key_id: str,
                       previous_signature: str | None) -> bytes:
    """The canonical bytes a checkpoint signs (UTC wall time, microseconds kept)."""
    return "\n".join(("clearway-audit-checkpoint/v1", str(entry_id), entry_hash,
                      at.strftime("%Y-%m-%dT%H:%M:%S.%f"), key_id,
                      previous_signature or "-")).encode()


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


# Says why a checkpoint's signature is not acceptable (None: it is), given the checkpoint
# and the signature of the checkpoint before it; the keys live with the caller.
SignatureCheck = Callable[[Checkpoint, str | None], str | None]


def _checkpoint_problems(checkpoints: Sequence[Checkpoint], check: SignatureCheck | None
                         ) -> dict[int, list[tuple[Checkpoint, str | None]]]:
    """Checkpoints by the entry they name, each with its signature problem (or None)."""
    by_entry: dict[int, list[tuple[Checkpoint, str | None]]] = {}
    previous: str | None = None
    for cp in checkpoints:
        problem = check(cp, previous) if check else None
        by_entry.setdefault(cp.entry_id, []).append((cp, problem))
        previous = cp.signature
    return by_entry


def verify_chain(entries: Iterable[AuditEntry], head_id: int, head_hash: str,
                 checkpoints: Sequence[Checkpoint] = (), check: SignatureCheck | None = None,
                 every: int = 0) -> ChainBreak | None:
    """The first place where the chain is broken, or None when it is intact. Checkpoints
    (in the order they were made) must carry a valid signature and match the entry they
    name: a chain rewritten with recomputed hashes fails at the first checkpoint after the
    change. With automatic checkpoints `every` N entries, the latest must not be missing."""
    pending = _checkpoint_problems(checkpoints, check)
    prev_hash, expected_id = GENESIS_HASH, 1
    for entry in entries:
        if entry.id != expected_id:
            return ChainBreak(expected_id, f"entry {expected_id} is missing (next is {entry.id})")
        if entry.prev_hash != prev_hash:
            return ChainBreak(entry.id, "previous-hash link does not match the entry before")
        if entry_hash(entry) != entry.hash:
            return ChainBreak(entry.id, "content does not match its hash (edited)")
        for cp, problem in pending.pop(entry.id, []):
            if problem:
                return ChainBreak(entry.id, f"checkpoint {cp.id}: {problem}")
            if cp.entry_hash != entry.hash:
                return ChainBreak(entry.id, f"hash differs from signed checkpoint {cp.id}: the "
                                  "chain was rewritten at or before this entry")
        prev_hash, expected_id = entry.hash, expected_id + 1
    last_id = expected_id - 1
    if last_id != head_id:
        return ChainBreak(last_id + 1, f"chain ends at {last_id} but head records {head_id}")
    if head_id and prev_hash != head_hash:
        return ChainBreak(last_id, "last entry does not match the recorded head hash")
    if pending:
        beyond = min(pending)
        cp = pending[beyond][0][0]
        return ChainBreak(beyond, f"checkpoint {cp.id} names entry {beyond}, beyond the chain")
    due = head_id - head_id % every if every > 0 else 0
    latest = max((cp.entry_id for cp in checkpoints), default=0)
    if latest < due:
        return ChainBreak(due, f"no checkpoint at or after entry {due} (one is made every "
                          f"{every} entries): checkpoints were removed")
    return None
