"""An ENS or EXS with what hangs on it: the outcome as the carrier was told it (the outcome
notifications sent), its requests for information with their answers, the security
clearance, the partner's arrival it met and the declarations of its goods. A trader reads
its own filing, and of the linked declarations only those it may see; staff read all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from clearway.clearance.filings import visible
from clearway.clearance.summary_links import arrivals_of, declarations_citing
from clearway.context import Context
from clearway.declarations import repository as decl_repo
from clearway.declarations.model import SUMMARY_TYPES
from clearway.errors import Conflict, NotFound
from clearway.identity import Permission, User
from clearway.risk import repository as risk_repo
from clearway.storage.orm import DeclarationRow, NotificationRow
from clearway.storage.orm_prearrival import ArrivalRow
from clearway.storage.orm_summaries import RfiRow
from clearway.summaries import repository as rfis
from clearway.summaries.model import HELD, KINDS, carrier_outcome

OUTCOME_KINDS = tuple(KINDS.values())


@dataclass
class SummaryView:
    row: DeclarationRow
    outcome: str  # as the carrier holds it now ("pending" before a decision)
    told: list[NotificationRow] = field(default_factory=list)
    rfis: list[RfiRow] = field(default_factory=list)
    clearance: dict[str, Any] | None = None
    arrivals: list[ArrivalRow] = field(default_factory=list)
    declarations: list[DeclarationRow] = field(default_factory=list)
    may_clear: bool = False  # the user may clear it now (a held result, a security officer)

    @property
    def open_rfi(self) -> RfiRow | None:
        return next((r for r in self.rfis if r.status == "open"), None)


def open_rfis(ctx: Context, *, limit: int) -> list[RfiRow]:
    """Requests for information nobody answered yet, oldest first: the officers' queue."""
    with ctx.uow(read_only=True) as uow:
        return rfis.open_requests(uow.session, limit=limit)


def view(ctx: Context, key: str, user: User) -> SummaryView:
    """The ENS or EXS `key` (MRN or number) as `user` may see it (NotFound otherwise)."""
    with ctx.uow(read_only=True) as uow:
        session = uow.session
        row = decl_repo.get(session, key)
        if row is None or not visible(session, row, user):
            raise NotFound("Summary declaration", key)
        if row.declaration_type not in SUMMARY_TYPES:
            raise Conflict("CW-NOT-SUMMARY", f"{key} is a {row.declaration_type}, not an "
                           "ENS or EXS")
        decision = risk_repo.get_decision(session, row.id)
        outcome = "pending" if decision is None else str(
            carrier_outcome(decision.ens_outcome, decision.channel))
        told = list(session.execute(
            select(NotificationRow).where(NotificationRow.declaration_id == row.id,
                                          NotificationRow.kind.in_(OUTCOME_KINDS))
            .order_by(NotificationRow.id)).scalars())
        citing = declarations_citing(session, row.mrn) if row.mrn else []
        if user.is_trader:
            citing = [d for d in citing if visible(session, d, user)]
        found = SummaryView(
            row=row, outcome=outcome, told=told, rfis=rfis.of_declaration(session, row.id),
            clearance=None if decision is None else decision.decision.get(
                "security_clearance"),
            arrivals=[] if user.is_trader else arrivals_of(session, row),
            declarations=citing,
            may_clear=(outcome in HELD and user.may(Permission.CLEAR_SECURITY_RESULT)))
        return found
