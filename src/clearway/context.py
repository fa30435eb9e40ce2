"""What every use case needs: storage, clock, randomness, settings and reference data."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from clearway.clock import Clock, SystemClock
from clearway.config import Settings
from clearway.refdata.service import RefDataCache
from clearway.storage.db import make_engine
from clearway.storage.unit_of_work import UnitOfWork, session_factory


@dataclass
class Context:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock = field(default_factory=SystemClock)
    rng: random.Random = field(default_factory=random.Random)
    refdata: RefDataCache = field(init=False)

    def __post_init__(self) -> None:
        self.refdata = RefDataCache(self.sessions)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock | None = None,
                      rng: random.Random | None = None) -> Context:
        engine = make_engine(settings.database_url)
        return cls(settings=settings, engine=engine, sessions=session_factory(engine),
                   clock=clock or SystemClock(), rng=rng or random.Random())
