"""Use cases of the audit trail: verify the chain and its signed checkpoints, make a
checkpoint, record staff reads of declarations, list entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from clearway.audit import deep as deep_check
from clearway.audit import deep_records, repository, witness
from clearway.audit.deep import Mismatch
from clearway.audit.model import (
    AuditEntry,
    ChainBreak,
    Checkpoint,
    SignatureCheck,
    WitnessRecord,
    checkpoint_message,
    verify_chain,
)
from clearway.audit.signing import read_public_keys, signature_valid
from clearway.config import Settings
from clearway.context import Context
from clearway.identity import User


@dataclass(frozen=True)
class Verification:
    broken: ChainBreak | None
    entries: int
    checkpoints: int
    latest_checkpoint: Checkpoint | None
    keys: list[str] = field(default_factory=list)
    witness: str | None = None  # where the witness records were read
    witnessed: int = 0  # how many
    witnessed_entry: int = 0  # the latest entry a witness record names
    warnings: list[str] = field(default_factory=list)
    deep: bool = False
    records: int = 0  # stored records compared with the chain (deep)
    mismatch: Mismatch | None = None

    def as_dict(self) -> dict[str, Any]:
        latest = self.latest_checkpoint
        return {
            "intact": self.broken is None, "entries": self.entries,
            "checkpoints": self.checkpoints, "keys": self.keys,
            "latest_checkpoint": None if latest is None else {
                "number": latest.id, "entry_id": latest.entry_id,
                "entry_hash": latest.entry_hash, "at": latest.at.isoformat(),
                "key_id": latest.key_id},
            "witness": self.witness, "witnessed": self.witnessed,
            "witnessed_entry": self.witnessed_entry, "warnings": self.warnings,
            "deep": self.deep, "records": self.records,
            "broken": None if self.broken is None else {
                "entry_id": self.broken.entry_id, "kind": self.broken.kind,
                "reason": self.broken.reason},
            "record": None if self.mismatch is None else self.mismatch.as_dict(),
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
        # Numbered (v2) since checkpoints carry a number; unnumbered (v1) before.
        for number in (cp.id, None):
            message = checkpoint_message(cp.entry_id, cp.entry_hash, cp.at, cp.key_id,
                                         previous, number)
            if signature_valid(public, message, cp.signature):
                return None
        return "signature is invalid"
    return check


def _witness_records(settings: Settings, witness_file: str | None
                     ) -> tuple[Path | None, list[WitnessRecord], list[str]]:
    path = Path(witness_file) if witness_file else witness.path_of(settings)
    if path is None:
        return None, [], []
    records, problems = witness.read(path)
    return path, records, problems


def _warnings(settings: Settings, path: Path | None, records: list[WitnessRecord],
              cps: list[Checkpoint], mark: int) -> list[str]:
    if path is None:
        return ["the chain's head is not witnessed outside the database (set "
                "CLEARWAY_AUDIT_WITNESS_FILE): a cut tail would not show"] + (
            [f"the database records checkpoints up to {mark} as witnessed in a file, but "
             "no witness file is configured"] if mark else [])
    latest = max((r.checkpoint.id for r in records), default=0)
    if cps and cps[-1].id > latest:
        return [f"the witness {path} holds checkpoints up to {latest}, the database up to "
                f"{cps[-1].id}: records were lost (a crash after a commit) or the witness was "
                "cut; `clearway audit witness` writes the missing ones"]
    return []


def verify_report(ctx: Context, public_key_file: str | None = None, *,
                  witness_file: str | None = None, deep: bool = False) -> Verification:
    """Recompute the chain, check the head row, every checkpoint and every witness record;
    with `deep`, also the stored records against the chain (`audit.deep`). With
    `public_key_file` only the keys in it are trusted (what an outside auditor holds); else
    the settings'. `witness_file`: a copy of the witness (a partner's) instead of ours."""
    keys = (read_public_keys(public_key_file) if public_key_file
            else known_keys(ctx.settings))
    path, records, problems = _witness_records(ctx.settings, witness_file)
    expected = deep_check.Expectations() if deep else None
    with ctx.uow(read_only=True) as uow:
        snapshot(uow.session)
        head_id, head_hash = repository.head(uow.session)
        cps = repository.checkpoints(uow.session)
        # Our own file only: a partner's copy (`witness_file`) is fed by the URL, unmarked.
        mark = repository.witness_mark(uow.session) if witness_file is None else 0
        entries = repository.iter_entries(uow.session)
        broken = (ChainBreak(0, problems[0], "witness") if problems else verify_chain(
            expected.feed(entries) if expected else entries, head_id, head_hash, cps,
            signature_check(keys), every=ctx.settings.audit_checkpoint_every,
            witnessed=records))
        lost = witness.lacking(path, records, mark) if path and mark and not broken else []
        if lost and path is not None:
            broken = ChainBreak(0, witness.lost_reason(path, mark, lost), "witness")
        mismatch, compared = None, 0
        if expected is not None and broken is None:
            mismatch, compared = deep_records.compare(uow.session, expected)
            if mismatch is not None:
                broken = ChainBreak(mismatch.entry_id or 0, mismatch.reason(), "record")
    return Verification(
        broken, head_id, len(cps), cps[-1] if cps else None, sorted(keys),
        witness=None if path is None else str(path), witnessed=len(records),
        witnessed_entry=max((r.checkpoint.entry_id for r in records), default=0),
        warnings=_warnings(ctx.settings, path, records, cps, mark), deep=deep,
        records=compared,
        mismatch=mismatch)


def snapshot(session: Session) -> None:
    """Read everything from one snapshot: on PostgreSQL a read-committed transaction would
    see entries committed while it reads (a chain longer than the head it read first, a
    record newer than its entries) and report tampering that is not there. SQLite's read
    transaction is a snapshot already."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def verify(ctx: Context) -> tuple[ChainBreak | None, int]:
    report = verify_report(ctx)
    return report.broken, report.entries


def checkpoint(ctx: Context) -> Checkpoint | None:
    """Sign the chain's current head now (None when the chain is empty or the head is
    already checkpointed). It is witnessed as it commits, like every checkpoint."""
    with ctx.uow() as uow:
        made = _checkpoint_head(ctx, uow.session)
        uow.commit()
    return made


def _checkpoint_head(ctx: Context, session: Session) -> Checkpoint | None:
    last_id, last_hash = repository.lock_head(session)
    cps = repository.checkpoints(session)
    if last_id == 0 or (cps and cps[-1].entry_id == last_id):
        return None
    return repository.add_checkpoint(session, repository.signer_of(ctx.settings), last_id,
                                     last_hash, ctx.clock.now())


def witness_head(ctx: Context) -> tuple[Checkpoint | None, int]:
    """Sign the head when it is not yet, and write to the witness every checkpoint it lacks
    (the new one, and any lost to a crash between a commit and its witness record), waiting
    for the witness URL; then advance the witness's head in the database. Returns the
    latest checkpoint and how many records were written. Refuses to refill a file that
    lost records the database says it held: that would hide a cut tail."""
    path, records, _ = _witness_records(ctx.settings, None)
    if path is None and not ctx.settings.audit_witness_url:
        raise witness.AuditWitnessError("No witness configured: set "
                                        "CLEARWAY_AUDIT_WITNESS_FILE or _URL")
    if path is not None:
        with ctx.uow(read_only=True) as uow:
            mark = repository.witness_mark(uow.session)
        lost = witness.lacking(path, records, mark)
        if lost:
            raise witness.AuditWitnessError(
                f"{witness.lost_reason(path, mark, lost)}. Not rewritten from the database; "
                "restore it from its copy and run `clearway audit verify`")
    with ctx.uow() as uow:
        _checkpoint_head(ctx, uow.session)
        uow.session.info.pop(repository.WITNESS_PENDING, None)  # written below, waiting
        uow.commit()
    with ctx.uow(read_only=True) as uow:
        cps = repository.checkpoints(uow.session)
    have = {r.checkpoint.id for r in records}
    previous = {cp.id: cps[i - 1].signature if i else None for i, cp in enumerate(cps)}
    # Without a file, only the latest goes to the URL (below): not every one, every time.
    missing = [WitnessRecord(cp, previous[cp.id]) for cp in cps
               if path is not None and cp.id not in have]
    written = not missing  # the file holds every checkpoint already
    if missing:
        written = witness.publish(ctx.settings, missing, wait=True)
    elif cps:  # the file has it: tell the URL again, which may have missed it
        witness.publish(ctx.settings, [WitnessRecord(cps[-1], previous[cps[-1].id])],
                        wait=True, to_file=False)
    if cps and path is not None and written and \
            have | {cp.id for cp in cps} >= set(range(1, cps[-1].id + 1)):
        with ctx.uow() as uow:
            repository.mark_witnessed(uow.session.connection(), cps[-1].id,
                                      cps[-1].entry_hash)
            uow.commit()
    return (cps[-1] if cps else None), len(missing)


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
