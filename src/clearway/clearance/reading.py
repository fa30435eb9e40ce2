"""What a user may read of a declaration's life: the declaration with its events (a staff
read leaves an audit entry) and its risk decision (the channel only, for a trader)."""

from __future__ import annotations

from typing import Any

from clearway.audit.service import record_read
from clearway.context import Context
from clearway.declarations import repository as repo
from clearway.errors import NotFound
from clearway.identity import User
from clearway.risk import repository as risk_repo
from clearway.storage.orm import DeclarationRow, EventRow


def get_visible(ctx: Context, key: str, user: User, *, view: str = "declaration"
                ) -> tuple[DeclarationRow, list[EventRow]]:
    """The declaration and its events, if the user may see it. A trader asking for a filing
    it has no part in gets the same answer as for one that does not exist. Staff reads are
    written to the audit trail (`view` says what was shown: declaration, decision, events,
    console), in this one place for every route and page."""
    with ctx.uow() as uow:
        session = uow.session
        row = repo.get(session, key)
        if row is None or (user.trader_id is not None
                           and not repo.is_visible_to_trader(session, row, user.trader_id)):
            raise NotFound("Declaration", key)
        events = repo.events(session, row.id)
        if not user.is_trader:
            record_read(session, at=ctx.clock.now(), user=user,
                        object_id=row.mrn or str(row.id), view=view)
            uow.commit()
        return row, events


def decision_view(ctx: Context, row: DeclarationRow, user: User) -> dict[str, Any] | None:
    """The risk decision of a declaration: the whole of it for staff; for a trader only the
    channel (what to do next), never the reasons, hits or scores."""
    with ctx.uow(read_only=True) as uow:
        found = risk_repo.get_decision(uow.session, row.id)
        if found is None:
            return None
        if user.is_trader:
            return {"channel": found.channel, "decided_at": found.decided_at.isoformat()}
        return {**found.decision, "decided_at": found.decided_at.isoformat(),
                "office": found.office}
