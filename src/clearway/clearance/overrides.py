"""Four-eyes overrides that change a declaration's selection: asking, and applying an approval.

Asking changes nothing but the request itself. Approval applies the whole change in one unit
of work: the decision's channel, the control tasks, the goods' status, the trader's notice,
the audit sample and every audit entry commit together or not at all. Rejecting a request and
reading requests are the overrides room's own (`overrides.service`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.clearance.acceptance import CHANNEL_WORDS
from clearway.clearance.agencies import release_or_wait
from clearway.clearance.moves import Notice, move
from clearway.context import Context
from clearway.controls import repository as controls_repo
from clearway.controls.tasks import close_open_tasks, open_task
from clearway.declarations import repository as decl_repo
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.declarations.model import SUMMARY_TYPES
from clearway.errors import Conflict, NotFound
from clearway.identity import User
from clearway.notifications.service import notify
from clearway.overrides import repository as repo
from clearway.overrides.model import (
    Effects,
    Kind,
    Situation,
    Status,
    check_request,
    effects,
    sampled,
    written,
)
from clearway.overrides.service import pending_for_decision, what_of
from clearway.risk import repository as risk_repo
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_controls import OverrideRow
from clearway.storage.orm_risk import RiskDecisionRow
from clearway.summaries.model import HELD, carrier_outcome

# What the trader reads when customs cancel a selected declaration: never the staff's reason.
CANCELLED_NOTICE = "cancelled by customs after review"


def _situation(session: Session, row: DeclarationRow
               ) -> tuple[Situation, RiskDecisionRow | None]:
    decision = risk_repo.get_decision(session, row.id)
    channel = None if decision is None else Channel(decision.channel)
    open_tasks = len(controls_repo.open_tasks_of(session, row.id))
    # What the carrier of an ENS/EXS was told (a red selection is a screening to it).
    held = (decision is not None and row.declaration_type in SUMMARY_TYPES
            and carrier_outcome(decision.ens_outcome, decision.channel) in HELD)
    return Situation(row.status, channel, open_tasks, held), decision


def request(ctx: Context, key: str, kind: Kind, to_channel: Channel | None,
            reason: str | None, user: User) -> OverrideRow:
    """Ask for a change of the declaration's selection; nothing else changes until approval."""
    text = written(reason)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        session = uow.session
        row = decl_repo.get(session, key, for_update=True)  # one request at a time
        if row is None:
            raise NotFound("Declaration", key)
        now_is, _decision = _situation(session, row)
        check_request(kind, to_channel, now_is)
        waiting = repo.pending_for(session, row.id)
        if waiting is not None:
            raise Conflict("CW-OVERRIDE-PENDING", f"Request {waiting.id} for this declaration "
                           "is waiting for approval")
        found = repo.add(session, declaration_id=row.id, kind=str(kind),
                         from_channel=str(now_is.channel),
                         to_channel=None if to_channel is None else str(to_channel),
                         reason=text, status=Status.PENDING, requested_by_id=user.id,
                         requested_at=now, audit_sampled=False)
        audit.append(session, at=now, actor=user.actor, action="override.requested",
                     object_type="override", object_id=str(found.id),
                     detail={"declaration": row.mrn or row.lrn, **what_of(found),
                             "reason": text})
        uow.commit()
        return found


def approve(ctx: Context, override_id: int, note: str | None, user: User) -> OverrideRow:
    """Approve a request and apply it (see docs/four-eyes.md, "What approval does")."""
    text = (note or "").strip() or None
    now = ctx.clock.now()
    with ctx.uow() as uow:
        session = uow.session
        # The request first, then its declaration.
        found = pending_for_decision(session, override_id, user)
        row = decl_repo.get(session, str(found.declaration_id), for_update=True)
        assert row is not None  # the foreign key holds it
        kind = Kind(found.kind)
        to_channel = None if found.to_channel is None else Channel(found.to_channel)
        now_is, decision = _situation(session, row)
        check_request(kind, to_channel, now_is)  # the declaration may have moved on since
        assert now_is.channel is not None and decision is not None
        fx = effects(kind, now_is.channel, to_channel)
        found.status, found.decided_by_id, found.decided_at = Status.APPROVED, user.id, now
        found.decision_note = text
        audit.append(session, at=now, actor=user.actor, action="override.approved",
                     object_type="override", object_id=str(found.id),
                     detail={"declaration": row.mrn or row.lrn, **what_of(found),
                             "requested_by_id": found.requested_by_id, "note": text})
        _apply(ctx, session, found, row, decision, fx, user, now)
        if fx.audit_sample and sampled(ctx.rng.random(), ctx.settings.override_audit_share):
            _open_audit_sample(ctx, session, found, row, user, now)
        uow.commit()
        return found


def _apply(ctx: Context, session: Session, found: OverrideRow, row: DeclarationRow,
           decision: RiskDecisionRow, fx: Effects, user: User, now: datetime) -> None:
    if fx.new_channel is not None:
        _change_channel(session, found, row, fx.new_channel, user, now)
    if fx.close_tasks_as is not None:
        close_open_tasks(session, declaration_id=row.id, status=fx.close_tasks_as, now=now,
                         actor=user.actor, reason=f"four-eyes override {found.id}")
    if fx.open_channel is not None:
        told: dict[str, Any] = decision.decision
        open_task(session, declaration=row, channel=str(fx.open_channel),
                  reasons=[f"channel set to {fx.open_channel} by four-eyes override "
                           f"{found.id}", *told.get("reasons", [])],
                  instructions=list(told.get("instructions", [])),
                  qualifications=list(told.get("qualifications", [])),
                  random_selected=False, origin="override", now=now, rng=ctx.rng,
                  actor=user.actor)
    channel = fx.new_channel or Channel(decision.channel)
    if fx.cancel:
        move(session, row, S.CANCELLED, now=now, actor=user.actor,
             detail={"reason": CANCELLED_NOTICE})
    elif fx.release:
        _release(session, row, channel, found, user, now, waiver=fx.new_channel is None)
    elif fx.new_channel is not None:
        # The trader learns the new channel (what to do next), never the reason.
        notify(session, row, kind="channel_changed", at=now,
               message=f"Channel {CHANNEL_WORDS[channel]}", extra={"channel": str(channel)})


def _change_channel(session: Session, found: OverrideRow, row: DeclarationRow,
                    channel: Channel, user: User, now: datetime) -> None:
    asked_by = repo.user_name(session, found.requested_by_id)
    risk_repo.change_channel(session, row.id, channel, {
        "id": found.id, "from_channel": found.from_channel, "to_channel": str(channel),
        "reason": found.reason, "requested_by": asked_by, "requested_by_id":
        found.requested_by_id, "approved_by": user.name, "approved_by_id": user.id,
        "at": now.isoformat()})
    # Event details are shown to the trader: the channels only.
    decl_repo.add_event(session, row, at=now, kind="channel_changed", from_status=row.status,
                        actor=user.actor,
                        detail={"from_channel": found.from_channel, "channel": str(channel)})
    audit.append(session, at=now, actor=user.actor, action="declaration.channel_changed",
                 object_type="declaration", object_id=row.mrn or str(row.id),
                 detail={"from": found.from_channel, "to": str(channel),
                         "override": found.id})


def _release(session: Session, row: DeclarationRow, channel: Channel, found: OverrideRow,
             user: User, now: datetime, *, waiver: bool) -> None:
    told = {"channel": str(channel)}
    release_or_wait(session, row, now=now, actor=user.actor, detail=told,
                    audit_detail={"from": row.status, **told, "override": found.id},
                    notice=Notice(None if waiver else
                                  f"Released: channel {CHANNEL_WORDS[channel]}", told))


def _open_audit_sample(ctx: Context, session: Session, found: OverrideRow,
                       row: DeclarationRow, user: User, now: datetime) -> None:
    """A post-clearance audit of goods that got less control than selected, so that the
    outcome of overrides becomes known. Not a random selection of declarations: it must not
    feed the estimate of overall non-compliance."""
    what = ("control waived" if found.kind == Kind.WAIVER
            else f"channel {found.from_channel} lowered to {found.to_channel}")
    open_task(session, declaration=row, channel=str(Channel.BLUE),
              reasons=[f"audit sample of four-eyes override {found.id}: {what}"],
              instructions=["Post-clearance audit: verify what the selected control would "
                            "have checked (goods, value, origin, documents)"],
              qualifications=[], random_selected=False, origin="sample", now=now,
              rng=ctx.rng, actor=user.actor)
    found.audit_sampled = True
    audit.append(session, at=now, actor=user.actor, action="override.audit_sampled",
                 object_type="override", object_id=str(found.id),
                 detail={"declaration": row.mrn or row.lrn,
                         "share": ctx.settings.override_audit_share})
