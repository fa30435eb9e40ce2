"""What a release sets off beyond the declaration: a border export or transit is announced
to the neighbour across its office of exit (`prearrival.exits`), in the releasing unit of
work, so the announcement leaves if and only if the release commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from clearway.audit.repository import settings_of
from clearway.prearrival.exits import announce_on_release, border_exit
from clearway.storage.orm import DeclarationRow


def on_release(session: Session, row: DeclarationRow, now: datetime) -> None:
    if border_exit(row) is None:  # most releases: imports and inland exports, no query
        return
    announce_on_release(session, settings_of(session), row, now)
