"""Signed checkpoints catch what the hash chain alone cannot: a chain rewritten with
recomputed hashes, a forged or removed checkpoint. Each tampering names the right entry."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from clearway.audit import repository
from clearway.audit.model import AuditEntry, checkpoint_message, entry_hash
from clearway.audit.service import checkpoint, verify, verify_report
from clearway.audit.signing import Signer, public_pem
from clearway.context import Context

EVERY = 5
ENTRIES = 12  # checkpoints after entries 5 and 10


@pytest.fixture
def audited(ctx: Context) -> Context:
    ctx.settings = ctx.settings.model_copy(update={"audit_checkpoint_every": EVERY})
    repository.bind_settings(ctx.sessions, ctx.settings)
    with ctx.uow() as uow:
        for i in range(ENTRIES):
            repository.append(uow.session, at=ctx.clock.now(), actor="officer:o1",
                              action="declaration.read", object_type="declaration",
                              object_id=f"D{i}", detail={"i": i})
        uow.commit()
    return ctx


def _sql(statement: str) -> Callable[[Context], None]:
    def tamper(ctx: Context) -> None:
        with ctx.engine.begin() as conn:
            conn.execute(text(statement))
    return tamper


def _rewrite_from(first: int, resign_with: Signer | None = None) -> Callable[[Context], None]:
    """Edit entry `first` and recompute every hash after it and the head, as someone with
    write access to the tables could; optionally re-sign the checkpoints with their own key."""
    def tamper(ctx: Context) -> None:
        with ctx.uow() as uow:
            entries = list(repository.iter_entries(uow.session))
        prev = entries[first - 2].hash if first > 1 else "0" * 64
        with ctx.engine.begin() as conn:
            for e in entries[first - 1:]:
                detail = {"i": -1} if e.id == first else e.detail
                forged = AuditEntry(**{**e.__dict__, "detail": detail, "prev_hash": prev,
                                       "hash": ""})
                prev = entry_hash(forged)
                conn.execute(text("UPDATE audit_entries SET detail = :d, prev_hash = :p, "
                                  "hash = :h WHERE id = :id"),
                             {"d": json.dumps(detail), "p": forged.prev_hash, "h": prev,
                              "id": e.id})
                if resign_with and e.id % EVERY == 0:
                    cp_at = e.at
                    sig = resign_with.sign(checkpoint_message(e.id, prev, cp_at,
                                                              resign_with.key_id, None))
                    conn.execute(text("UPDATE audit_checkpoints SET entry_hash = :h, "
                                      "key_id = :k, signature = :s WHERE entry_id = :id"),
                                 {"h": prev, "k": resign_with.key_id, "s": sig, "id": e.id})
            conn.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": prev})
    return tamper


MALLORY = Signer(Ed25519PrivateKey.generate())

TAMPERING: list[tuple[str, Callable[[Context], None], int]] = [
    ("update detail", _sql("UPDATE audit_entries SET detail = '{\"i\": 99}' WHERE id = 3"), 3),
    ("delete entry", _sql("DELETE FROM audit_entries WHERE id = 4"), 4),
    ("insert entry", _sql(
        "INSERT INTO audit_entries (id, at, actor, action, object_type, object_id, detail, "
        "prev_hash, hash) SELECT 13, at, actor, action, object_type, object_id, detail, hash, "
        "'forged' FROM audit_entries WHERE id = 12"), 13),
    ("rewrite from 3, hashes recomputed", _rewrite_from(3), 5),
    ("rewrite from 7, hashes recomputed", _rewrite_from(7), 10),
    ("rewrite from 11, after the last checkpoint", _rewrite_from(11), -1),
    ("rewrite and re-sign with another key", _rewrite_from(3, MALLORY), 5),
    ("forged checkpoint", _sql(
        "INSERT INTO audit_checkpoints (id, entry_id, entry_hash, at, key_id, signature) "
        "SELECT c.id + 1, 12, e.hash, c.at, c.key_id, c.signature FROM audit_entries e, "
        "audit_checkpoints c WHERE e.id = 12 AND c.entry_id = 10"), 12),
    ("checkpoint hash edited", _sql(
        "UPDATE audit_checkpoints SET entry_hash = (SELECT hash FROM audit_entries WHERE "
        "id = 4) WHERE entry_id = 5"), 5),
    ("middle checkpoint removed", _sql("DELETE FROM audit_checkpoints WHERE entry_id = 5"), 10),
    ("latest checkpoint removed", _sql("DELETE FROM audit_checkpoints WHERE entry_id = 10"), 10),
]


def test_untouched_chain_verifies_with_its_checkpoints(audited: Context) -> None:
    report = verify_report(audited)
    assert report.broken is None and report.entries == ENTRIES and report.checkpoints == 2
    assert report.latest_checkpoint is not None and report.latest_checkpoint.entry_id == 10


@pytest.mark.parametrize(("tamper", "entry"), [(t, e) for _, t, e in TAMPERING],
                         ids=[name for name, _, _ in TAMPERING])
def test_tampering_is_named(audited: Context, tamper: Callable[[Context], None],
                            entry: int) -> None:
    tamper(audited)
    broken, _ = verify(audited)
    if entry == -1:  # beyond the latest checkpoint only the chain protects: documented
        assert broken is None
        return
    assert broken is not None and broken.entry_id == entry, broken


def test_checkpoint_command_then_rewrite_is_caught(audited: Context) -> None:
    made = checkpoint(audited)
    assert made is not None and made.entry_id == ENTRIES
    assert checkpoint(audited) is None  # the head is signed already
    _rewrite_from(11)(audited)
    broken, _ = verify(audited)
    assert broken is not None and broken.entry_id == ENTRIES


def test_verify_with_only_the_public_key(audited: Context, tmp_path: Path) -> None:
    own = tmp_path / "own.pem"
    own.write_text(public_pem(repository.signer_of(audited.settings).public))
    assert verify_report(audited, str(own)).broken is None
    other = tmp_path / "other.pem"
    other.write_text(public_pem(MALLORY.public))
    broken = verify_report(audited, str(other)).broken
    assert broken is not None and broken.entry_id == EVERY and "unknown key" in broken.reason


def test_rotated_key_keeps_old_checkpoints_valid(audited: Context, tmp_path: Path) -> None:
    retired = tmp_path / "retired.pem"
    retired.write_text(public_pem(repository.signer_of(audited.settings).public))
    audited.settings = audited.settings.model_copy(update={
        "secret_key": "a-new-secret-after-rotation-0123456789",
        "audit_trusted_keys_file": str(retired)})
    repository.bind_settings(audited.sessions, audited.settings)
    with audited.uow() as uow:
        for i in range(3):
            repository.append(uow.session, at=audited.clock.now(), actor="officer:o1",
                              action="declaration.read", object_type="declaration",
                              object_id=f"E{i}")
        uow.commit()
    report = verify_report(audited)
    assert report.broken is None and report.checkpoints == 3
    assert report.latest_checkpoint is not None
    assert report.latest_checkpoint.key_id == repository.signer_of(audited.settings).key_id
    audited.settings = audited.settings.model_copy(update={"audit_trusted_keys_file": None})
    broken = verify_report(audited).broken
    assert broken is not None and broken.entry_id == EVERY
