"""Use cases of the audit trail: verify the chain and its signed checkpoints, make a
checkpoint, record staff reads of declarations, list entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from clearway.audit import repository
from clearway.audit.model import (
    AuditEntry,
    ChainBreak,
    Checkpoint,
    SignatureCheck,
    checkpoint_message,
    verify_chain,
)
from clearway.audit.signing import read_public_keys, signature_valid
from clearway.config import Settings
from clearway.context import Context
from clearway.users.model import User


@dataclass(frozen=True)
class Verification:
    broken: ChainBreak | None
    entries: int
    checkpoints: int
    latest_checkpoint: Checkpoint | None
    keys: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        latest = self.latest_checkpoint
        return {
            "intact": self.broken is None, "entries": self.entries,
            "checkpoints": self.checkpoints, "keys": self.keys,
            "latest_checkpoint": None if latest is None else {
                "entry_id": latest.entry_id, "entry_hash": latest.entry_hash,
                "at": latest.at.isoformat(), "key_id": latest.key_id},
            "broken": None if self.broken is None else {
                "entry_id": self.broken.entry_id, "reason": self.broken.reason},
        }


def known_keys(settings: Settings) -> dict[str, Ed25519PublicKey]:
    """The keys whose checkpoints verify: the current signing key and any retired ones."""
    current = repository.signer_of(settings)
    keys = {current.key_id: current.public}
    if settings.audit_trusted_keys_file:
        keys.update(read_public_keys(settings.audit_trusted_keys_file))
    return keys


def signature_check(keys: dict[str, Ed25519PublicKey]) -> SignatureCheck:
    def check(cp: Checkpoint, previous: str | None) -> str | None:
        public = keys.get(cp.key_id)
        if public is None:
            return f"signed by unknown key {cp.key_id}"
        message = checkpoint_message(cp.entry_id, cp.entry_hash, cp.at, cp.key_id, previous)
        return None if signature_valid(public, message, cp.signature) else "signature is invalid"
    return check


def verify_report(ctx: Context, public_key_file: str | None = None) -> Verification:
    """Recompute the chain, check the head row and every checkpoint. With `public_key_file`
    only the keys in it are trusted (what an outside auditor holds); else the settings'."""
    keys = (read_public_keys(public_key_file) if public_key_file
            else known_keys(ctx.settings))
    with ctx.uow(read_only=True) as uow:
        head_id, head_hash = repository.head(uow.session)
        cps = repository.checkpoints(uow.session)
        broken = verify_chain(repository.iter_entries(uow.session), head_id, head_hash,
                              cps, signature_check(keys),
                              every=ctx.settings.audit_checkpoint_every)
    return Verification(broken, head_id, len(cps), cps[-1] if cps else None, sorted(keys))


def verify(ctx: Context) -> tuple[ChainBreak | None, int]:
    report = verify_report(ctx)
    return report.broken, report.entries


def checkpoint(ctx: Context) -> Checkpoint | None:
    """Sign the chain's current head now (None when the chain is empty or the head is
    already checkpointed)."""
    with ctx.uow() as uow:
        last_id, last_hash = repository.lock_head(uow.session)
        cps = repository.checkpoints(uow.session)
        if last_id == 0 or (cps and cps[-1].entry_id == last_id):
            return None
        made = repository.add_checkpoint(uow.session, repository.signer_of(ctx.settings),
                                         last_id, last_hash, ctx.clock.now())
        uow.commit()
    return made


def record_read(session: Session, *, at: datetime, user: User, object_id: str,
                view: str) -> None:
    """Audit a staff member's read of a declaration (`view`: declaration, decision, events,
    console...). Traders reading their own filings are not audited: they may always see
    them, and the trail is there to show which officers looked at whose goods."""
    if user.is_trader:
        return
    repository.append(session, at=at, actor=user.actor, action="declaration.read",
                      object_type="declaration", object_id=object_id, detail={"view": view})


def list_entries(ctx: Context, flt: repository.EntryFilter, *, after: int,
                 limit: int) -> list[AuditEntry]:
    with ctx.uow(read_only=True) as uow:
        return repository.find_entries(uow.session, flt, after=after, limit=limit)
