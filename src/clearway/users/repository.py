"""Storage of users' sign-in failures: the shared log the sign-in throttle counts from."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from clearway.storage.orm import SignInFailureRow

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
