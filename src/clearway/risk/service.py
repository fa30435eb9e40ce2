"""Risk use cases of the stored side: offices' control capacity and the selectivity report.

The decision on a declaration is taken in its acceptance transaction by the clearance room
(`clearance.acceptance`); the engine itself is pure (`risk.engine`).
"""

from __future__ import annotations

from typing import Any

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.periods import Period
from clearway.risk import repository as repo
from clearway.risk.engine.decision import Channel
from clearway.risk.engine.report import summarize


def set_capacity_budget(ctx: Context, office: str, channel: Channel, per_day: int | None,
                        actor: str) -> None:
    """Set (None: remove) an office's daily capacity in a channel, audited."""
    with ctx.uow() as uow:
        repo.set_budget(uow.session, office, channel, per_day)
        audit.append(uow.session, at=ctx.clock.now(), actor=actor, action="capacity.set",
                     object_type="office", object_id=office,
                     detail={"channel": str(channel), "per_day": per_day})
        uow.commit()


def selectivity_report(ctx: Context, span: Period) -> dict[str, Any]:
    """Channel shares, AEO against non-AEO and random selections of the period's decisions."""
    with ctx.uow(read_only=True) as uow:
        records = repo.decision_records(uow.session, span.start, span.end)
    return {**span.as_dict(), **summarize(records)}
