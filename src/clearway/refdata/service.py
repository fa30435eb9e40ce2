"""Loading reference data into the database (versioned) and serving the current snapshot."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clearway.refdata.csvfiles import package_dir, read_directory, read_list
from clearway.refdata.model import RefDataSnapshot
from clearway.storage.orm import RefDataSetRow


@dataclass(frozen=True)
class LoadedList:
    list_name: str
    version: str
    rows: int
    changed: bool


def load_directory(session: Session, directory: Path | None, *, now: datetime,
                   actor: str) -> list[LoadedList]:
    """Validate every list in the directory first, then store each as a new version.
    A list identical to the current version is not stored again."""
    texts = read_directory(directory or package_dir())
    parsed = {name: read_list(name, text) for name, text in texts.items()}  # raises first
    loaded = []
    for name, text in texts.items():
        digest = hashlib.sha256(text.encode()).hexdigest()
        current = _latest(session, name)
        if current is not None and current.sha256 == digest:
            loaded.append(LoadedList(name, current.version, current.row_count, False))
            continue
        version = now.strftime("%Y%m%dT%H%M%S") + "-" + digest[:8]
        session.add(RefDataSetRow(list_name=name, version=version, sha256=digest, loaded_at=now,
                                  loaded_by=actor, row_count=len(parsed[name]), content=text))
        loaded.append(LoadedList(name, version, len(parsed[name]), True))
    session.flush()
    return loaded


def _latest(session: Session, name: str) -> RefDataSetRow | None:
    return session.execute(
        select(RefDataSetRow).where(RefDataSetRow.list_name == name)
        .order_by(RefDataSetRow.id.desc()).limit(1)
    ).scalar_one_or_none()


def current_sets(session: Session) -> list[RefDataSetRow]:
    latest = (select(func.max(RefDataSetRow.id)).group_by(RefDataSetRow.list_name)
              .scalar_subquery())
    return list(session.execute(
        select(RefDataSetRow).where(RefDataSetRow.id.in_(latest)).order_by(RefDataSetRow.list_name)
    ).scalars())


def history(session: Session) -> list[RefDataSetRow]:
    return list(session.execute(
        select(RefDataSetRow).order_by(RefDataSetRow.list_name, RefDataSetRow.id.desc())
    ).scalars())


class RefDataCache:
    """The snapshot in memory, rebuilt when a newer version is loaded (by this process or
    another). The check is one cheap query, made at most every `recheck_seconds`."""

    def __init__(self, sessions: sessionmaker[Session], recheck_seconds: float = 2.0) -> None:
        self._sessions = sessions
        self._recheck = recheck_seconds
        self._lock = threading.Lock()
        self._snapshot: RefDataSnapshot | None = None
        self._marker: int | None = None
        self._checked = 0.0

    def get(self) -> RefDataSnapshot:
        if self._snapshot is not None and time.monotonic() - self._checked < self._recheck:
            return self._snapshot
        with self._lock, self._sessions() as session:
            marker = session.execute(select(func.max(RefDataSetRow.id))).scalar()
            self._checked = time.monotonic()
            if self._snapshot is None or marker != self._marker:
                sets = current_sets(session)
                if sets:
                    self._snapshot = RefDataSnapshot.from_texts(
                        {s.list_name: s.content for s in sets},
                        {s.list_name: s.version for s in sets})
                else:  # nothing loaded yet: the packaged lists, so validation still works
                    self._snapshot = RefDataSnapshot.from_texts(read_directory(package_dir()))
                self._marker = marker
            return self._snapshot

    def invalidate(self) -> None:
        self._checked = 0.0
