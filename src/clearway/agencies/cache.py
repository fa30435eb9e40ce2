"""The approved matrix versions and the agencies in memory: the acceptance reads them without
a query; a newer approval or an agency added or changed (by this process or another) is seen
within `recheck_seconds`."""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable

from sqlalchemy.orm import Session, sessionmaker

from clearway.agencies import repository as repo
from clearway.agencies.matrix import Matrix


class MatrixCache:
    def __init__(self, sessions: sessionmaker[Session], recheck_seconds: float = 2.0) -> None:
        self._sessions = sessions
        self._recheck = recheck_seconds
        self._lock = threading.Lock()
        self._matrix: Matrix | None = None
        self._marker: Hashable = None
        self._checked = 0.0

    def get(self) -> Matrix:
        if self._matrix is not None and time.monotonic() - self._checked < self._recheck:
            return self._matrix
        with self._lock, self._sessions() as session:
            marker = repo.signature(session)
            self._checked = time.monotonic()
            if self._matrix is None or marker != self._marker:
                self._matrix, self._marker = repo.load_matrix(session), marker
            return self._matrix

    def invalidate(self) -> None:
        self._checked = 0.0
