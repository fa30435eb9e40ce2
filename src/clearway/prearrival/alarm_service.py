"""Use cases of the alarms once raised: analysts set what each kind weighs in the risk
decision; officers list them, read one with both sides' data side by side, and close it with
a reason. Each change is one unit of work with its audit entry."""

from __future__ import annotations

from typing import Any

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, Conflict, NotFound, reason_required
from clearway.identity import User
from clearway.prearrival import alarm_repository as repo
from clearway.prearrival.alarm_repository import StoredAlarm
from clearway.prearrival.model import ALARM_STATUSES, AlarmKind
from clearway.prearrival.repository import read_logged
from clearway.prearrival.ruleset import AlarmWeight, weight_problem
from clearway.prearrival.sides import announced_facts, side_by_side
from clearway.risk.engine.decision import Channel

MAX_LIST = 500
MAX_REASON = 500


def alarm_kind(text: str) -> AlarmKind:
    if text not in AlarmKind._value2member_map_:
        raise ClearwayError("CW-PRE-ALARM-KIND", f"No alarm kind {text[:40]!r}")
    return AlarmKind(text)


def weights(ctx: Context) -> list[AlarmWeight]:
    with ctx.uow(read_only=True) as uow:
        return repo.all_weights(uow.session)


def set_weight(ctx: Context, kind: str, *, weight: float, min_channel: str | None,
               hard: bool, user: User) -> AlarmWeight:
    """Store what an alarm kind weighs (audited); this process decides with it at once,
    others within the knowledge cache's recheck interval."""
    found = alarm_kind(kind)
    channel = None
    if min_channel is not None:
        if min_channel not in Channel._value2member_map_:
            raise ClearwayError("CW-PRE-ALARM-WEIGHT", f"No channel {min_channel[:20]!r}")
        channel = Channel(min_channel)
    problem = weight_problem(weight, channel, hard)
    if problem is not None:
        raise ClearwayError("CW-PRE-ALARM-WEIGHT", problem)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        before = {w.kind: w for w in repo.all_weights(uow.session)}[found]
        stored = AlarmWeight(found, weight, channel, hard, user.actor, now)
        repo.put_weight(uow.session, stored, by=user.actor, at=now)
        audit.append(uow.session, at=now, actor=user.actor, action="arrival_alarm.weight_set",
                     object_type="arrival_alarm_kind", object_id=str(found),
                     detail={"weight": weight, "min_channel": min_channel, "hard": hard,
                             "before": {"weight": before.weight, "hard": before.hard,
                                        "min_channel": None if before.min_channel is None
                                        else str(before.min_channel)}})
        uow.commit()
    ctx.risk.invalidate()
    return stored


def list_alarms(ctx: Context, *, status: str | None = "open", kind: str | None = None,
                limit: int = MAX_LIST) -> list[StoredAlarm]:
    """Alarms newest first; an unknown status or kind is refused, never ignored."""
    if status is not None and status not in ALARM_STATUSES:
        raise ClearwayError("CW-REQUEST-INVALID", f"No alarm status {status[:20]!r}")
    if kind is not None:
        alarm_kind(kind)
    with ctx.uow(read_only=True) as uow:
        return repo.alarms(uow.session, status=status, kind=kind,
                           limit=max(1, min(limit, MAX_LIST)))


def alarm_detail(ctx: Context, alarm_id: int, user: User) -> dict[str, Any]:
    """One alarm, the comparison of both sides from its evidence, and the stored
    announcement it concerns (when it names one). Showing a partner's announcement is a read
    of exchanged data: the data protection access log keeps who read it."""
    with ctx.uow() as uow:
        found = repo.alarm(uow.session, alarm_id)
        if found is None:
            raise NotFound("Alarm", str(alarm_id))
        arrival_id = found.alarm.arrival_id
        announced = None if arrival_id is None else repo.announcement(uow.session, arrival_id)
        if announced is not None:
            read_logged(uow.session, ctx.clock.now(), user, announced["message_id"],
                        f"alarm:{alarm_id}")
            uow.commit()
    return {"alarm": found, "sides": side_by_side(found.alarm.evidence),
            "announcement": announced,
            "announced_facts": announced_facts(announced["payload"]) if announced else []}


def close_alarm(ctx: Context, alarm_id: int, reason: str, user: User) -> StoredAlarm:
    """Close an open alarm with the officer's reason (audited). It stops weighing on
    decisions made after (reassessment on amendment); decisions taken stay as they were."""
    text = " ".join((reason or "").split())
    if not text:
        raise reason_required("Closing an alarm needs the reason")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        found = repo.alarm(uow.session, alarm_id, for_update=True)
        if found is None:
            raise NotFound("Alarm", str(alarm_id))
        if found.status != "open":
            raise Conflict("CW-PRE-ALARM-CLOSED", f"Alarm {alarm_id} is already closed")
        repo.close(uow.session, alarm_id, by=user.actor, reason=text[:MAX_REASON], at=now)
        audit.append(uow.session, at=now, actor=user.actor, action="arrival_alarm.closed",
                     object_type="arrival_alarm", object_id=str(alarm_id),
                     detail={"kind": str(found.alarm.kind), "partner": found.alarm.partner,
                             "mrn": found.alarm.mrn,
                             "declaration_id": found.alarm.declaration_id,
                             "reason": text[:MAX_REASON]})
        closed = repo.alarm(uow.session, alarm_id)
        uow.commit()
    assert closed is not None
    return closed
