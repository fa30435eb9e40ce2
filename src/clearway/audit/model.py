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
    """A signed statement "entry `entry_id` has hash `entry_hash`". Checkpoints are numbered
    1, 2, 3... without gaps (`id`, given under the head's lock) and the signed message names
    the number and the checkpoint before it, so removing one from the middle breaks the next
    and a renumbering breaks its own signature."""

    id: int
    entry_id: int
    entry_hash: str
    at: datetime
    key_id: str
    signature: str


def checkpoint_message(entry_id: int, entry_hash: str, at: datetime, key_id: str,
                       previous_signature: str | None, number: int | None = None) -> bytes:
    """The canonical bytes a checkpoint signs (UTC wall time, microseconds kept). v2 names
    the checkpoint's number; v1 (no number) is what checkpoints made before numbering
    signed, and still verifies: their order is fixed by the chained signatures."""
    head = (("clearway-audit-checkpoint/v1",) if number is None
            else ("clearway-audit-checkpoint/v2", str(number)))
    return "\n".join((*head, str(entry_id), entry_hash, at.strftime("%Y-%m-%dT%H:%M:%S.%f"),
                      key_id, previous_signature or "-")).encode()


@dataclass(frozen=True)
class WitnessRecord:
    """A checkpoint as written outside the database (the witness file, a partner's copy),
    with the signature before it, so it verifies on its own."""

    checkpoint: Checkpoint
    previous: str | None
    witnessed_at: str = ""


@dataclass(frozen=True)
class ChainBreak:
    """The first problem found. `kind`: chain (an entry edited, missing or linked wrongly),
    tail (entries removed from the end), checkpoint, witness (the witness record itself
    does not verify) or record (a stored business record disagrees: `verify --deep`)."""

    entry_id: int
    reason: str
    kind: str = "chain"


# Says why a checkpoint's signature is not acceptable (None: it is), given the checkpoint
# and the signature of the checkpoint before it; the keys live with the caller.
SignatureCheck = Callable[[Checkpoint, str | None], str | None]


def _checkpoint_problems(checkpoints: Sequence[Checkpoint], check: SignatureCheck | None
                         ) -> dict[int, list[tuple[Checkpoint, str | None]]]:
    """Checkpoints by the entry they name, each with its problem (or None): a bad signature,
    else a number out of sequence (1, 2, 3... without gaps)."""
    by_entry: dict[int, list[tuple[Checkpoint, str | None]]] = {}
    previous: str | None = None
    for number, cp in enumerate(checkpoints, start=1):
        problem = check(cp, previous) if check else None
        if problem is None and cp.id != number:
            problem = (f"checkpoint {number} is missing (the numbers go from {number - 1} to "
                       f"{cp.id}): deleted")
        by_entry.setdefault(cp.entry_id, []).append((cp, problem))
        previous = cp.signature
    return by_entry


def _witness_problem(records: Sequence[WitnessRecord], check: SignatureCheck | None
                     ) -> ChainBreak | None:
    seen: dict[int, WitnessRecord] = {}
    for record in records:
        cp = record.checkpoint
        problem = check(cp, record.previous) if check else None
        if problem is None and seen.get(cp.id, record).checkpoint != cp:
            problem = "two different records carry this number"
        if problem:
            return ChainBreak(cp.entry_id, f"witness record of checkpoint {cp.id}: {problem}: "
                              "the witness was edited or belongs to another chain", "witness")
        seen[cp.id] = record
    return None


def _witnessed(record: WitnessRecord) -> str:
    at = f", witnessed {record.witnessed_at}" if record.witnessed_at else ""
    return f"checkpoint {record.checkpoint.id} of entry {record.checkpoint.entry_id}{at}"


def _after_chain(last_id: int, checkpoints: Sequence[Checkpoint],
                 witnessed: Sequence[WitnessRecord]) -> ChainBreak | None:
    """What the witness says about the end of the chain and the checkpoints: a witnessed
    entry beyond the last one is a cut tail; a witnessed checkpoint missing or different
    in the database was deleted or replaced."""
    beyond = [r for r in witnessed if r.checkpoint.entry_id > last_id]
    if beyond:
        far = max(beyond, key=lambda r: r.checkpoint.entry_id)
        return ChainBreak(last_id + 1, f"tail missing: the chain ends at entry {last_id} but "
                          f"the witness holds {_witnessed(far)}: entries {last_id + 1} to "
                          f"{far.checkpoint.entry_id} were removed and the head rewound",
                          "tail")
    stored = {cp.id: cp for cp in checkpoints}
    for record in sorted(witnessed, key=lambda r: r.checkpoint.id):
        found = stored.get(record.checkpoint.id)
        if found is None:
            return ChainBreak(record.checkpoint.entry_id, f"{_witnessed(record)} is missing "
                              "from the database: deleted", "checkpoint")
        if found != record.checkpoint:
            return ChainBreak(record.checkpoint.entry_id, f"{_witnessed(record)} differs from "
                              f"checkpoint {found.id} in the database: replaced", "checkpoint")
    return None


def _entry_break(entry: AuditEntry, expected_id: int, prev_hash: str,
                 pending: dict[int, list[tuple[Checkpoint, str | None]]],
                 expected: dict[int, list[WitnessRecord]]) -> ChainBreak | None:
    """What is wrong with `entry` where the chain expects entry `expected_id` after
    `prev_hash`: a gap, a broken link, edited content, or a hash other than the one its
    checkpoints or witness records hold (those are taken out of `pending` and `expected`)."""
    if entry.id != expected_id:
        return ChainBreak(expected_id, f"entry {expected_id} is missing (next is {entry.id})")
    if entry.prev_hash != prev_hash:
        return ChainBreak(entry.id, "previous-hash link does not match the entry before")
    if entry_hash(entry) != entry.hash:
        return ChainBreak(entry.id, "content does not match its hash (edited)")
    for cp, problem in pending.pop(entry.id, []):
        if problem:
            return ChainBreak(entry.id, f"checkpoint {cp.id}: {problem}", "checkpoint")
        if cp.entry_hash != entry.hash:
            return ChainBreak(entry.id, f"hash differs from signed checkpoint {cp.id}: the "
                              "chain was rewritten at or before this entry")
    for record in expected.pop(entry.id, []):
        if record.checkpoint.entry_hash != entry.hash:
            return ChainBreak(entry.id, f"hash differs from the witnessed "
                              f"{_witnessed(record)}: the chain was rewritten at or "
                              "before this entry")
    return None


def verify_chain(entries: Iterable[AuditEntry], head_id: int, head_hash: str,
                 checkpoints: Sequence[Checkpoint] = (), check: SignatureCheck | None = None,
                 every: int = 0, witnessed: Sequence[WitnessRecord] = ()
                 ) -> ChainBreak | None:
    """The first place where the chain is broken, or None when it is intact. Checkpoints
    (in the order they were made) must carry a valid signature and match the entry they
    name: a chain rewritten with recomputed hashes fails at the first checkpoint after the
    change. With automatic checkpoints `every` N entries, the latest must not be missing.
    `witnessed`: checkpoints as recorded outside the database, which catch what the
    database alone cannot: a tail cut with its head rewound and its checkpoints deleted."""
    found = _witness_problem(witnessed, check)
    if found:
        return found
    pending = _checkpoint_problems(checkpoints, check)
    expected: dict[int, list[WitnessRecord]] = {}
    for record in witnessed:
        expected.setdefault(record.checkpoint.entry_id, []).append(record)
    prev_hash, expected_id = GENESIS_HASH, 1
    for entry in entries:
        broken = _entry_break(entry, expected_id, prev_hash, pending, expected)
        if broken is not None:
            return broken
        prev_hash, expected_id = entry.hash, expected_id + 1
    last_id = expected_id - 1
    if last_id < head_id:
        gone = (f"entry {head_id} is" if head_id == last_id + 1
                else f"entries {last_id + 1} to {head_id} are")
        return ChainBreak(last_id + 1, f"tail missing: {gone} gone (the chain ends at entry "
                          f"{last_id} but the head records {head_id})", "tail")
    if last_id > head_id:
        return ChainBreak(head_id + 1, f"chain ends at {last_id} but head records {head_id}")
    if head_id and prev_hash != head_hash:
        return ChainBreak(last_id, "last entry does not match the recorded head hash")
    found = _after_chain(last_id, checkpoints, witnessed)
    if found:
        return found
    if pending:
        beyond = min(pending)
        cp = pending[beyond][0][0]
        return ChainBreak(last_id + 1, f"tail missing: checkpoint {cp.id} names entry "
                          f"{beyond}, beyond the chain's end at entry {last_id}", "tail")
    due = head_id - head_id % every if every > 0 else 0
    latest = max((cp.entry_id for cp in checkpoints), default=0)
    if latest < due:
        return ChainBreak(due, f"no checkpoint at or after entry {due} (one is made every "
                          f"{every} entries): checkpoints were removed", "checkpoint")
    return None
