"""What every use case needs: storage, clock, randomness, settings and reference data."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from clearway.audit.repository import bind_settings
from clearway.clock import Clock, SystemClock
from clearway.config import Settings
from clearway.refdata.service import RefDataCache
from clearway.risk.knowledge import KnowledgeCache
from clearway.storage.db import READ_ONLY, make_engine
from clearway.storage.unit_of_work import UnitOfWork, session_factory
from clearway.users.model import TokenCache


@dataclass
class Context:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    read_sessions: sessionmaker[Session]
    clock: Clock = field(default_factory=SystemClock)
    rng: random.Random = field(default_factory=random.Random)
    refdata: RefDataCache = field(init=False)
    tokens: TokenCache = field(init=False)
    risk: KnowledgeCache = field(init=False)

    def __post_init__(self) -> None:
        # Audit appends and checkpoints of this context's sessions use its settings (key,
        # interval), not the process environment's: one process may hold several contexts.
        bind_settings(self.sessions, self.settings)
        self.refdata = RefDataCache(self.read_sessions)
        self.tokens = TokenCache(self.settings.token_cache_seconds)
        self.risk = KnowledgeCache(self.read_sessions, self.settings,
                                   refdata=self.refdata.get)
        # SQLite allows one writer at a time: queue this process's units of work in Python.
        self._sqlite_lock = (threading.Lock() if self.engine.dialect.name == "sqlite"
                             else None)

    def uow(self, *, read_only: bool = False) -> UnitOfWork:
        """A unit of work; `read_only` ones neither lock nor block writers (SQLite WAL)."""
        if read_only:
            return UnitOfWork(self.read_sessions)
        return UnitOfWork(self.sessions, self._sqlite_lock)

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock | None = None,
                      rng: random.Random | None = None) -> Context:
        engine = make_engine(settings.database_url,
                             sqlite_synchronous=settings.sqlite_synchronous)
        reader = engine.execution_options(**{READ_ONLY: True})
        return cls(settings=settings, engine=engine, sessions=session_factory(engine),
                   read_sessions=session_factory(reader),
                   clock=clock or SystemClock(), rng=rng or random.Random())
