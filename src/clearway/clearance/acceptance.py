"""The risk decision of an accepted declaration, inside its acceptance transaction.

`decide_on_acceptance` runs in the unit of work that accepts the declaration: the decision, the
capacity it uses, the control task, the status, the events, the trader's notification and the
audit entry commit together with the acceptance or not at all. The engine itself is pure
(`risk.engine`); this module gathers what it needs and stores what it says.

The assessment, the costly pure part, is made before that unit of work (`early`); inside it,
what the early assessment read is checked again under the lock (the knowledge version, the
day, no pre-arrival alarm raised by this acceptance, the trader's controls and their findings:
`early.still_true`); if any moved, it is made again here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.clearance.agencies import customs_cleared, route_on_acceptance
from clearway.clearance.arrivals import on_accepted
from clearway.clearance.early import Early, still_true, traders
from clearway.clearance.moves import Batch, Notice, move
from clearway.clearance.summary_outcomes import decided_notice
from clearway.clearance.watch import on_accepted as watch_lists
from clearway.context import Context
from clearway.controls.tasks import open_task
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.declarations.model import SummaryDeclaration
from clearway.prearrival.alarm_repository import open_alarm_rows
from clearway.prearrival.ruleset import alarm_input
from clearway.risk import repository as risk_repo
from clearway.risk.engine.assess import Assessment, assess
from clearway.risk.engine.decision import Channel, Decision
from clearway.risk.engine.frame import RiskDoc
from clearway.risk.engine.selectivity import Capacity, select
from clearway.risk.knowledge import Built
from clearway.storage.orm import DeclarationRow

ENGINE = "risk-engine"
CHANNEL_WORDS = {
    Channel.GREEN: "green: release",
    Channel.BLUE: "blue: release, post-clearance audit may follow",
    Channel.YELLOW: "yellow: documentary check, present the documents to the office",
    Channel.RED: "red: physical examination, present the goods to the office",
}


def arrival_alarms(session: Session, row: DeclarationRow) -> dict[str, list[dict[str, Any]]]:
    """The declaration's open pre-arrival alarms, as the engine takes them, under its key
    (one lookup on the alarms' declaration index; matching at acceptance stores its alarms
    before the decision, so they are found here)."""
    found = open_alarm_rows(session, row.id)
    return {row.mrn or row.lrn: [alarm_input(a, i) for i, a in found]} if found else {}


def assess_and_select(ctx: Context, session: Session, row: DeclarationRow, doc: RiskDoc,
                      day: date, *, alarms: bool = True, early: Early | None = None
                      ) -> tuple[Decision, str | None, Capacity | None]:
    """The engine's decision on `doc` against the office's capacity left on `day` (see
    `assessment_of`)."""
    return select_on(ctx, session, assessment_of(ctx, session, row, doc, day, alarms=alarms,
                                                 early=early), day)


def assessment_of(ctx: Context, session: Session, row: DeclarationRow, doc: RiskDoc,
                  day: date, *, alarms: bool = True, early: Early | None = None) -> Assessment:
    """The engine's assessment of `doc`. `alarms=False`: the declaration has no pre-arrival
    alarm to read (a first acceptance whose matching raised none), so none is looked up;
    only then may `early` stand in for the assessment, and only if what it read is what the
    transaction reads now."""
    built: Built = ctx.risk.get()
    record = traders(session, doc)
    if (early is not None and not alarms and early.day == day and early.built is built
            and still_true(early.record, record)):
        return early.assessment
    return assess([doc], [day], ctx.refdata.get(), built.knowledge,
                  keys=[row.mrn or row.lrn], traders=record, references=built.references,
                  alarms=arrival_alarms(session, row) if alarms else None)[0]


def select_on(ctx: Context, session: Session, assessment: Assessment, day: date
              ) -> tuple[Decision, str | None, Capacity | None]:
    """Selectivity on an assessment, against its office's capacity left on `day`."""
    cap = risk_repo.capacity(session, assessment.office, day)
    decision = select(assessment, ctx.rng.random(), cap, ctx.risk.get().knowledge.settings)
    return decision, assessment.office, cap


def open_control(ctx: Context, session: Session, row: DeclarationRow, decision: Decision, *,
                 now: datetime) -> None:
    """The control task of a selected declaration, as the decision describes it."""
    open_task(session, declaration=row, channel=str(decision.channel),
              reasons=decision.reasons(), instructions=decision.instructions,
              qualifications=decision.qualifications,
              random_selected=decision.random_selected, origin="decision", now=now,
              rng=ctx.rng, actor=ENGINE)


def decide_on_acceptance(ctx: Context, session: Session, row: DeclarationRow, doc: RiskDoc,
                         *, now: datetime, early: Early | None = None,
                         batch: Batch | None = None) -> Decision:
    """Assess (or take `early`'s assessment, if still true), select, and record the decision
    of a just-accepted declaration. `batch`: the acceptance's, which writes the events and
    notifications (and the status) of these moves with its own; without one they are
    written here."""
    day = now.date()
    # Pre-arrival matching first: the alarms it stores weigh on this very decision (read
    # back, with their ids, by `arrival_alarms`); a new declaration has no other alarms, so
    # when matching raised none there is nothing to read.
    raised = on_accepted(ctx, session, row, doc, now=now)
    watch_lists(session, row, doc, now=now)  # shared watch-list alerts (docs/border.md)
    assessment = assessment_of(ctx, session, row, doc, day, alarms=bool(raised), early=early)
    decision, office, cap = select_on(ctx, session, assessment, day)
    # The decision's own moment, so the release-time report measures the risk step.
    now = max(now, ctx.clock.now())
    risk_repo.record_use(session, office, day, decision.channel, cap)
    risk_repo.save_decision(session, row.id, decision, at=now, office=office, day=day)
    if decision.channel != Channel.GREEN:
        # Yellow and red are controlled before release; blue goods are released as usual
        # and the task stays open for the post-clearance audit.
        open_control(ctx, session, row, decision, now=now)
    summary = decision_summary(decision)
    channel = {"channel": str(decision.channel)}
    words = CHANNEL_WORDS[decision.channel]
    # The trader learns the channel (what to do next), never the reasons or the scores.
    release = ctx.settings.auto_release and decision.channel in (Channel.GREEN, Channel.BLUE)
    own = batch is None
    batch = Batch() if batch is None else batch
    assessed = Notice(f"Channel {words}", channel)
    released = Notice(f"Released: channel {words}", channel)
    if isinstance(doc, SummaryDeclaration):  # the carrier reads the outcome, not a channel
        assessed = released = decided_notice(session, row, doc, decision, now=now)
    # The single window: items routed to the agencies whose matrix rule applies; their
    # tasks may hold the release (customs' clearance is then recorded, not the release).
    # Each agency's own profiles (same engine, same frame) weigh on its selection only.
    waits = route_on_acceptance(ctx, session, row, doc, now=now, batch=batch,
                                hits=assessment.agency_hits)
    move(session, row, S.RISK_ASSESSED, now=now, actor=ENGINE, detail=summary,
         audit_detail=summary, batch=batch,
         notice=None if release and waits is None else assessed)
    if release and waits is not None:
        customs_cleared(session, row, waits, now=now, actor=ENGINE, detail=channel,
                        batch=batch)
    elif release:
        move(session, row, S.RELEASED, now=now, actor=ENGINE, detail=channel,
             audit_detail={**channel, "automatic": True}, batch=batch, notice=released)
    if own:
        batch.write(session, row)
    return decision


def decision_summary(d: Decision) -> dict[str, Any]:
    """What the event and the audit trail keep of a decision (the whole one is stored too)."""
    return {"channel": str(d.channel), "random": d.random_selected,
            "capacity_limited": d.capacity_limited,
            "expected_value": round(d.expected_value, 4),
            "hits": [f"{h.source}:{h.ref}" for h in d.hits],
            "ens_outcome": None if d.ens_outcome is None else str(d.ens_outcome),
            "model_version": d.model_version}
