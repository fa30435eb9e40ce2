"""What every use case needs: storage, clock, randomness, settings, and the caches built from
the database (reference data, the engine's knowledge, recently authenticated tokens).

This module imports no domain: `clearway.composition.build_context` builds the caches and
hands them over, so every service may import `Context` without a cycle.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from clearway.clock import Clock, SystemClock
from clearway.config import Settings
from clearway.storage.unit_of_work import UnitOfWork

T_co = TypeVar("T_co", covariant=True)
U = TypeVar("U")


class Cached(Protocol[T_co]):
    """A value built from the database and kept in memory, rebuilt when it changes there."""

    def get(self) -> T_co: ...

    def invalidate(self) -> None:
        """Look again at the next `get` (this process has just changed what it is built from)."""


class Tokens(Protocol[U]):
    """Recently authenticated tokens and their users, to spare a database read per request."""

    def get(self, token: str, now: datetime) -> U | None: ...

    def put(self, token: str, user: U, now: datetime) -> None: ...

    def clear(self) -> None: ...


@dataclass
class Context:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    read_sessions: sessionmaker[Session]
    # The value types belong to the domains (`refdata.model.RefDataSnapshot`,
    # `risk.knowledge.Built`, `users.model.User`), which import this module.
    refdata: Cached[Any]
    risk: Cached[Any]
    tokens: Tokens[Any]
    # The approved versions of the agencies' regulatory matrix (`agencies.matrix.Matrix`).
    matrix: Cached[Any]
    clock: Clock = field(default_factory=SystemClock)
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        # SQLite allows one writer at a time: queue this process's units of work in Python.
        self._sqlite_lock = (threading.Lock() if self.engine.dialect.name == "sqlite"
                             else None)

    def uow(self, *, read_only: bool = False) -> UnitOfWork:
        """A unit of work; `read_only` ones neither lock nor block writers (SQLite WAL)."""
        if read_only:
            return UnitOfWork(self.read_sessions)
        return UnitOfWork(self.sessions, self._sqlite_lock)
