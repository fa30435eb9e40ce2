"""One unit of work per use case: everything it changes commits together or not at all."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


class UnitOfWork:
    """Opens a session; `commit()` must be called explicitly, anything else rolls back.

    On SQLite, where one writer holds the database at a time anyway, units of work of one
    process take a lock first: threads then queue on the lock and wake at once, instead of
    polling SQLite's busy handler, which sleeps in steps of up to 100 ms under contention.
    """

    def __init__(self, session_factory: sessionmaker[Session],
                 serialize: threading.Lock | None = None) -> None:
        self._factory = session_factory
        self._serialize = serialize
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        if self._serialize is not None:
            self._serialize.acquire()
        try:
            self.session = self._factory()
        except BaseException:
            if self._serialize is not None:
                self._serialize.release()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            # Detach loaded rows first so the caller can still read them after the unit of
            # work ends (a rollback would expire them); anything uncommitted is discarded.
            self.session.expunge_all()
            self.session.rollback()
        finally:
            self.session.close()
            if self._serialize is not None:
                self._serialize.release()

    def commit(self) -> None:
        self.session.commit()

    def flush(self) -> None:
        self.session.flush()


def session_factory(engine: Engine | Any) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def insert_rows(session: Session, table: Any, rows: dict[str, Any] | list[dict[str, Any]]) -> None:
    """Insert plain rows through the session's connection, skipping the ORM: the statement
    compiles once and is cached, which matters on the submission path."""
    session.connection().execute(table.__table__.insert(), rows)
