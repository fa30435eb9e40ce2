"""A new risk decision for every amendment, inside the amendment's unit of work.

An amended declaration is assessed again, as at acceptance: what it now says may match other
profiles, screening entries or valuation references. The selection never goes down this way:
only two persons may lower a channel (four-eyes overrides, `clearway.overrides`). So a new
decision of a lower or equal channel is stored with its own hits and reasons but keeps the
current channel (the open controls stay as they are); a higher one raises the channel, the
weaker control it supersedes is cancelled and a control task is opened as at acceptance.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.controls.tasks import close_open_tasks, open_task
from clearway.declarations import repository as decl_repo
from clearway.declarations.model import Declaration
from clearway.declarations.model import DeclarationStatus as S
from clearway.notifications.service import notify
from clearway.risk import repository as repo
from clearway.risk import trader_summary
from clearway.risk.engine.assess import assess
from clearway.risk.engine.decision import Channel, Decision
from clearway.risk.engine.frame import trader_of
from clearway.risk.engine.selectivity import select
from clearway.risk.service import CHANNEL_WORDS, _summary, decide_on_acceptance
from clearway.storage.orm import DeclarationRow

ENGINE = "risk-engine"


def decide_on_amendment(ctx: Context, session: Session, row: DeclarationRow, doc: Declaration,
                        *, now: datetime) -> Decision:
    """Assess the amended declaration and store the decision (see the module's rule)."""
    current = repo.get_decision(session, row.id)
    if current is None and row.status == S.ACCEPTED:  # never decided: decide as at acceptance
        return decide_on_acceptance(ctx, session, row, doc, now=now, actor=ENGINE)
    built = ctx.risk.get()
    day = now.date()
    assessment = assess([doc], [day], ctx.refdata.get(), built.knowledge,
                        keys=[row.mrn or row.lrn],
                        traders=trader_summary.read(session, trader_of(doc)),
                        references=built.references)[0]
    cap = repo.capacity(session, assessment.office, day)
    fresh = select(assessment, ctx.rng.random(), cap, built.knowledge.settings)
    before = None if current is None else Channel(current.channel)
    raised = before is None or fresh.channel.rank > before.rank
    stored = fresh if before is None or raised else replace(fresh, channel=before)
    repo.save_decision(session, row.id, stored, at=now, office=assessment.office, day=day)
    note = {"version": row.version, "engine_channel": str(fresh.channel),
            "previous_channel": None if before is None else str(before), "kept": not raised}
    saved = repo.get_decision(session, row.id)
    assert saved is not None
    session.refresh(saved)  # the upsert went through the core; the identity map is stale
    saved.decision = {**saved.decision, "amendment": note}
    summary = {**_summary(stored), **note}
    audit.append(session, at=now, actor=ENGINE, action="declaration.risk_reassessed",
                 object_type="declaration", object_id=row.mrn or str(row.id), detail=summary)
    if raised:
        _raise(ctx, session, row, fresh, before, now=now)
        repo.record_use(session, assessment.office, day, fresh.channel, cap)
    return stored


def _raise(ctx: Context, session: Session, row: DeclarationRow, decision: Decision,
           before: Channel | None, *, now: datetime) -> None:
    """The stricter channel: the weaker control is superseded (as a four-eyes raise does),
    a task is opened as at acceptance, and the trader learns the new channel only."""
    channel = decision.channel
    if before is not None and before != Channel.GREEN:
        close_open_tasks(session, declaration_id=row.id, status="cancelled", now=now,
                         actor=ENGINE, reason=f"superseded by the decision on amendment "
                         f"(version {row.version})")
    if channel != Channel.GREEN:
        open_task(session, declaration=row, channel=str(channel), reasons=decision.reasons(),
                  instructions=decision.instructions, qualifications=decision.qualifications,
                  random_selected=decision.random_selected, origin="decision", now=now,
                  rng=ctx.rng, actor=ENGINE)
    decl_repo.add_event(session, row, at=now, kind="channel_changed", from_status=row.status,
                        actor=ENGINE, detail={"from_channel": None if before is None
                                              else str(before), "channel": str(channel)})
    notify(session, row, kind="channel_changed", at=now,
           message=f"Channel {CHANNEL_WORDS[channel]}", extra={"channel": str(channel)})
