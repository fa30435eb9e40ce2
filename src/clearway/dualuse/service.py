"""Use cases for the dual-use list: load a CSV replacing the whole list (audited), read it.

A list is never empty (loading refuses an empty file), so an empty table means "never loaded":
`load_packaged_if_empty` then loads the illustrative list shipped with Clearway.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.dualuse import repository as repo
from clearway.dualuse.matcher import DualUseList
from clearway.dualuse.model import DualUseEntry, parse_csv
from clearway.errors import DocumentInvalid, Issue
from clearway.identity import User

PACKAGED = "dual_use_list.csv"


@dataclass(frozen=True)
class Loaded:
    entries: int
    replaced: int
    sha256: str
    source: str


def packaged_csv() -> str:
    return (resources.files("clearway.dualuse") / "data" / PACKAGED).read_text(encoding="utf-8")


def _store(session: Session, entries: list[DualUseEntry], text: str, *, now: datetime,
           actor: str, source: str, audited: bool = True) -> Loaded:
    digest = hashlib.sha256(text.encode()).hexdigest()
    replaced = repo.replace_all(session, entries, now)
    if audited:
        audit.append(session, at=now, actor=actor, action="dual_use_list.loaded",
                     object_type="dual_use_list", object_id=digest[:16],
                     detail={"entries": len(entries), "replaced": replaced, "sha256": digest,
                             "source": source})
    return Loaded(len(entries), replaced, digest, source)


def load_csv(ctx: Context, text: str, user: User, source: str = "upload") -> Loaded:
    """Replace the whole list with the CSV's entries, in one audited transaction."""
    entries = parse_csv(text)  # every issue is reported before anything is written
    with ctx.uow() as uow:
        loaded = _store(uow.session, entries, text, now=ctx.clock.now(), actor=user.actor,
                        source=source)
        uow.commit()
    ctx.risk.invalidate()
    return loaded


def load_file(ctx: Context, path: Path | None, user: User) -> Loaded:
    """Load a CSV file; None: the illustrative list shipped with Clearway."""
    if path is None:
        return load_csv(ctx, packaged_csv(), user, source=f"packaged {PACKAGED}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentInvalid([Issue("CW-DU-FILE", f"cannot read {path}: {exc}")]) from None
    return load_csv(ctx, text, user, source=path.name)


def load_packaged_if_empty(session: Session, *, now: datetime, actor: str) -> bool:
    """Install the packaged list when no list was ever loaded; True when it did. Like the
    packaged reference data, this first provisioning is not an audited change (its time is
    in `loaded_at`); every later load is."""
    if repo.count(session):
        return False
    text = packaged_csv()
    _store(session, parse_csv(text), text, now=now, actor=actor,
           source=f"packaged {PACKAGED}", audited=False)
    return True


def list_entries(ctx: Context, code: str | None = None) -> list[DualUseEntry]:
    """The entries; `code`: only those correlated with that commodity code (prefix match
    either way, so '8542' and '85423190' both find 3A001 listed under 8542)."""
    with ctx.uow(read_only=True) as uow:
        found = repo.entries(uow.session)
    if code:
        found = [e for e in found if any(code.startswith(c) or c.startswith(code)
                                         for c in e.codes)]
    return found


def control_list(session: Session) -> DualUseList | None:
    """The engine's control list (None: no entry loaded)."""
    entries = repo.entries(session)
    return DualUseList(entries) if entries else None
