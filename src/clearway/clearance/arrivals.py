"""What arrives at an office of entry, matched with a partner's anticipated arrivals inside
the acceptance transaction: an import or transit (CO) declaration, or an ENS. The alarms
are stored with the declaration's id before its risk decision, which reads them
(`acceptance.arrival_alarms`); the exit confirmation leaves in the same transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from clearway.context import Context
from clearway.declarations.model import Declaration, EntrySummaryDeclaration
from clearway.prearrival import arrivals
from clearway.prearrival.model import Alarm
from clearway.risk.engine.frame import RiskDoc
from clearway.storage.orm import DeclarationRow

ARRIVING_TYPES = ("IM", "CO")


def on_accepted(ctx: Context, session: Session, row: DeclarationRow, doc: RiskDoc, *,
                now: datetime) -> list[Alarm]:
    """The pre-arrival alarms of a just-accepted declaration or ENS (stored already)."""
    rate = ctx.refdata.get().rate
    if isinstance(doc, EntrySummaryDeclaration):
        return arrivals.on_ens(session, ctx.settings, row, doc, now, rate=rate)
    if isinstance(doc, Declaration) and doc.declaration_type in ARRIVING_TYPES:
        return arrivals.on_declaration(session, ctx.settings, row, doc, now, rate=rate)
    return []
