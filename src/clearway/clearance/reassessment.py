"""A new risk decision for every amendment, inside the amendment's unit of work.

An amended declaration is assessed again, as at acceptance: what it now says may match other
profiles, screening entries or valuation references. The selection never goes down this way:
only two persons may lower a channel (four-eyes overrides, `clearance.overrides`). So a new
decision of a lower or equal channel is stored with its own hits and reasons but keeps the
current channel (the open controls stay as they are); a higher one raises the channel, the
weaker control it supersedes is cancelled and a control task is opened as at acceptance.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.clearance.acceptance import (
    CHANNEL_WORDS,
    ENGINE,
    assess_and_select,
    decide_on_acceptance,
    decision_summary,
    open_control,
)
from clearway.context import Context
from clearway.controls.tasks import close_open_tasks
from clearway.declarations import repository as decl_repo
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.declarations.model import Declaration
from clearway.notifications.service import notify
from clearway.risk import repository as risk_repo
from clearway.risk.engine.decision import Channel, Decision
from clearway.storage.orm import DeclarationRow


def decide_on_amendment(ctx: Context, session: Session, row: DeclarationRow, doc: Declaration,
                        *, now: datetime) -> Decision:
    """Assess the amended declaration and store the decision (see the module's rule)."""
    current = risk_repo.get_decision(session, row.id)
    if current is None and row.status == S.ACCEPTED:  # never decided: decide as at acceptance
        return decide_on_acceptance(ctx, session, row, doc, now=now)
    day = now.date()
    fresh, office, cap = assess_and_select(ctx, session, row, doc, day)
    before = None if current is None else Channel(current.channel)
    raised = before is None or fresh.channel.rank > before.rank
    stored = fresh if before is None or raised else replace(fresh, channel=before)
    risk_repo.save_decision(session, row.id, stored, at=now, office=office, day=day)
    note = {"version": row.version, "engine_channel": str(fresh.channel),
            "previous_channel": None if before is None else str(before), "kept": not raised}
    saved = risk_repo.get_decision(session, row.id)
    assert saved is not None
    session.refresh(saved)  # the upsert went through the core; the identity map is stale
    saved.decision = {**saved.decision, "amendment": note}
    summary = {**decision_summary(stored), **note}
    audit.append(session, at=now, actor=ENGINE, action="declaration.risk_reassessed",
                 object_type="declaration", object_id=row.mrn or str(row.id), detail=summary)
    if raised:
        _raise(ctx, session, row, fresh, before, now=now)
        risk_repo.record_use(session, office, day, fresh.channel, cap)
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
        open_control(ctx, session, row, decision, now=now)
    decl_repo.add_event(session, row, at=now, kind="channel_changed", from_status=row.status,
                        actor=ENGINE, detail={"from_channel": None if before is None
                                              else str(before), "channel": str(channel)})
    notify(session, row, kind="channel_changed", at=now,
           message=f"Channel {CHANNEL_WORDS[channel]}", extra={"channel": str(channel)})
