"""Risk use cases: decide on a declaration inside its acceptance transaction.

`decide_on_acceptance` runs in the unit of work that accepts the declaration: the decision, the
capacity it uses, the status, the events, the trader's notification and the audit entry commit
together with the acceptance or not at all. The engine itself is pure (`engine`,
`selectivity`); this module only gathers what it needs and stores what it says.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.controls.tasks import open_task
from clearway.declarations import repository as decl_repo
from clearway.declarations.model import DeclarationStatus as S
from clearway.notifications.service import notify
from clearway.periods import Period
from clearway.risk import repository as repo
from clearway.risk import trader_summary
from clearway.risk.engine.assess import assess
from clearway.risk.engine.decision import Channel, Decision
from clearway.risk.engine.frame import RiskDoc, TraderRecord, trader_of
from clearway.risk.engine.report import summarize
from clearway.risk.engine.selectivity import select
from clearway.storage.orm import DeclarationRow

CHANNEL_WORDS = {
    Channel.GREEN: "green: release",
    Channel.BLUE: "blue: release, post-clearance audit may follow",
    Channel.YELLOW: "yellow: documentary check, present the documents to the office",
    Channel.RED: "red: physical examination, present the goods to the office",
}


def _traders(session: Session, doc: RiskDoc) -> dict[str, TraderRecord]:
    """The trader's record before this declaration: the maintained summary, one key lookup
    (`trader_summary`; the declaration is counted there only after its decision)."""
    return trader_summary.read(session, trader_of(doc))


def decide_on_acceptance(ctx: Context, session: Session, row: DeclarationRow, doc: RiskDoc,
                         *, now: datetime, actor: str) -> Decision:
    """Assess, select, and record the decision of a just-accepted declaration."""
    built = ctx.risk.get()
    day = now.date()
    assessment = assess([doc], [day], ctx.refdata.get(), built.knowledge,
                        keys=[row.mrn or row.lrn], traders=_traders(session, doc),
                        references=built.references)[0]
    cap = repo.capacity(session, assessment.office, day)
    decision = select(assessment, ctx.rng.random(), cap, built.knowledge.settings)
    repo.record_use(session, assessment.office, day, decision.channel, cap)
    repo.save_decision(session, row.id, decision, at=now, office=assessment.office, day=day)
    if decision.channel != Channel.GREEN:
        # Yellow and red are controlled before release; blue goods are released as usual
        # and the task stays open for the post-clearance audit.
        open_task(session, declaration=row, channel=str(decision.channel),
                  reasons=decision.reasons(), instructions=decision.instructions,
                  qualifications=decision.qualifications,
                  random_selected=decision.random_selected, origin="decision", now=now,
                  rng=ctx.rng, actor="risk-engine")
    summary = _summary(decision)
    decl_repo.set_status(session, row, S.RISK_ASSESSED, now)
    events = [decl_repo.event(row, at=now, kind="risk_assessed", from_status=S.ACCEPTED,
                              to_status=S.RISK_ASSESSED, actor="risk-engine", detail=summary)]
    audit.append(session, at=now, actor="risk-engine", action="declaration.risk_assessed",
                 object_type="declaration", object_id=row.mrn or str(row.id), detail=summary)
    # The trader learns the channel (what to do next), never the reasons or the scores.
    release = ctx.settings.auto_release and decision.channel in (Channel.GREEN, Channel.BLUE)
    if not release:
        notify(session, row, kind="risk_assessed", at=now,
               message=f"Channel {CHANNEL_WORDS[decision.channel]}",
               extra={"channel": str(decision.channel)})
    else:
        decl_repo.set_status(session, row, S.RELEASED, now)
        events.append(decl_repo.event(row, at=now, kind="released",
                                      from_status=S.RISK_ASSESSED, to_status=S.RELEASED,
                                      actor="risk-engine",
                                      detail={"channel": str(decision.channel)}))
        notify(session, row, kind="released", at=now,
               message=f"Released: channel {CHANNEL_WORDS[decision.channel]}",
               extra={"channel": str(decision.channel)})
        audit.append(session, at=now, actor="risk-engine", action="declaration.released",
                     object_type="declaration", object_id=row.mrn or str(row.id),
                     detail={"channel": str(decision.channel), "automatic": True})
    decl_repo.add_events(session, events)
    return decision


def _summary(d: Decision) -> dict[str, Any]:
    """What the event and the audit trail keep of a decision (the whole one is stored too)."""
    return {"channel": str(d.channel), "random": d.random_selected,
            "capacity_limited": d.capacity_limited,
            "expected_value": round(d.expected_value, 4),
            "hits": [f"{h.source}:{h.ref}" for h in d.hits],
            "ens_outcome": None if d.ens_outcome is None else str(d.ens_outcome),
            "model_version": d.model_version}


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
