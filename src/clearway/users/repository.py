"""Storage of users: the sign-in failures the throttle counts from, and the names and
pickers of the pages that show people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clearway.storage.orm import SignInFailureRow, UserRow

if TYPE_CHECKING:
    from clearway.context import Context


class FailureLog:
    """Failed token checks by client address, in the database every process shares."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def record(self, key: str, now: datetime, window: timedelta) -> list[datetime]:
        """Log a failure of `key` and return its failures within the window, oldest first.
        Failures that left the window, of any address, are deleted on the way: the log
        holds one window of failures at most."""
        with self._ctx.uow() as uow:
            session = uow.session
            session.execute(delete(SignInFailureRow).where(SignInFailureRow.at <= now - window))
            session.add(SignInFailureRow(client_key=key, at=now))
            session.flush()
            times = list(session.execute(
                select(SignInFailureRow.at)
                .where(SignInFailureRow.client_key == key, SignInFailureRow.at > now - window)
                .order_by(SignInFailureRow.at)).scalars())
            uow.commit()
        return times


def names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """User names by id, for pages that show people (unknown ids are left out)."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(select(UserRow.id, UserRow.name).where(UserRow.id.in_(wanted)))
    return {int(i): str(n) for i, n in rows}


def people(session: Session, roles: Iterable[str]) -> list[tuple[int, str, str]]:
    """(id, name, role) of the users of `roles` whose token is not revoked, by name: the
    choices of a picker."""
    rows = session.execute(select(UserRow.id, UserRow.name, UserRow.role).where(
        UserRow.role.in_(sorted(set(roles))), UserRow.revoked_at.is_(None))
        .order_by(UserRow.name))
    return [(int(i), str(n), str(r)) for i, n, r in rows]


def id_of(session: Session, name: str) -> int | None:
    return session.execute(select(UserRow.id).where(UserRow.name == name)).scalar()
