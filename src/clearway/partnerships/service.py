"""Use cases of partnerships with trade: keep the MoU register and its members, record
consultations and their follow-up actions, and measure each facilitation. Every change is
audited in its own transaction; a membership change reaches the risk engine through its
knowledge cache (invalidated here, re-read by other processes on their next check)."""

from __future__ import annotations

from datetime import date
from typing import Any

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.identity import User
from clearway.partnerships import repository as repo
from clearway.partnerships.facilitation import measure
from clearway.partnerships.model import (
    Consultation,
    Member,
    Mou,
    Review,
    consultation_invalid,
    consultation_reference,
    filled,
)
from clearway.periods import Period


def _audit(ctx: Context, uow: Any, user: User, action: str, object_type: str, key: str,
           detail: dict[str, Any]) -> None:
    audit.append(uow.session, at=ctx.clock.now(), actor=user.actor, action=action,
                 object_type=object_type, object_id=key, detail=detail)


def add_mou(ctx: Context, mou: Mou, *, user: User) -> Mou:
    mou.checked()
    with ctx.uow() as uow:
        if repo.mou_row(uow.session, mou.code) is not None:
            raise ClearwayError(code="CW-MOU-EXISTS",
                                message=f"MoU {mou.code} is already in the register")
        repo.add_mou(uow.session, mou, actor=user.actor, now=ctx.clock.now())
        _audit(ctx, uow, user, "mou.added", "mou", mou.code,
               {"kind": mou.kind, "parties": list(mou.parties),
                "valid_from": mou.valid_from.isoformat(),
                "valid_to": mou.valid_to.isoformat() if mou.valid_to else None})
        uow.commit()
    ctx.risk.invalidate()
    return get_mou(ctx, mou.code)


def get_mou(ctx: Context, code: str) -> Mou:
    with ctx.uow(read_only=True) as uow:
        found = repo.get_mou(uow.session, code)
    if found is None:
        raise NotFound("MoU", code)
    return found


def list_mous(ctx: Context) -> list[Mou]:
    with ctx.uow(read_only=True) as uow:
        return repo.list_mous(uow.session)


def add_member(ctx: Context, code: str, member: Member, *, user: User) -> Mou:
    """Give a trader the MoU's facilitations for a period within the MoU's validity."""
    with ctx.uow() as uow:
        found = repo.get_mou(uow.session, code, lock=True)
        if found is None:
            raise NotFound("MoU", code)
        member = found.member_checked(Member(member.trader_id.strip().upper(),
                                             member.valid_from, member.valid_to))
        repo.add_member(uow.session, code, member, actor=user.actor, now=ctx.clock.now())
        _audit(ctx, uow, user, "mou.member_added", "mou", code,
               {"trader_id": member.trader_id, "valid_from": member.valid_from.isoformat(),
                "valid_to": member.valid_to.isoformat() if member.valid_to else None})
        uow.commit()
    ctx.risk.invalidate()
    return get_mou(ctx, code)


def end_member(ctx: Context, code: str, trader_id: str, on: date, *, user: User) -> Mou:
    """End a trader's membership on `on` (the last day its facilitations apply)."""
    with ctx.uow() as uow:
        if repo.mou_row(uow.session, code, lock=True) is None:
            raise NotFound("MoU", code)
        trader = trader_id.strip().upper()
        if repo.end_member(uow.session, code, trader, on, actor=user.actor,
                           now=ctx.clock.now()) == 0:
            raise NotFound("MoU member", f"{code}/{trader}")
        _audit(ctx, uow, user, "mou.member_ended", "mou", code,
               {"trader_id": trader, "on": on.isoformat()})
        uow.commit()
    ctx.risk.invalidate()
    return get_mou(ctx, code)


def review_mou(ctx: Context, code: str, *, note: str, next_review_on: date | None,
               user: User) -> Mou:
    """Record a review of the MoU (what was found) and when the next one is due."""
    today = ctx.clock.now().date()
    review = Review(on=today, by=user.actor, note=filled(note, "review's findings"),
                    next_review_on=next_review_on)
    if next_review_on is not None and next_review_on <= today:
        raise ClearwayError(code="CW-MOU-INVALID", message="The next review must be later")
    with ctx.uow() as uow:
        row = repo.mou_row(uow.session, code, lock=True)
        if row is None:
            raise NotFound("MoU", code)
        repo.add_review(uow.session, row, review, ctx.clock.now())
        _audit(ctx, uow, user, "mou.reviewed", "mou", code, review.as_dict())
        uow.commit()
    return get_mou(ctx, code)


def facilitation(ctx: Context, span: Period) -> dict[str, Any]:
    """Green share and release minutes of members vs non-members in the period."""
    with ctx.uow(read_only=True) as uow:
        members = repo.memberships(uow.session)
        decided = repo.decided(uow.session, span.first, span.last)
        released = repo.released(uow.session, span.start, span.end)
    return {**span.as_dict(), **measure(decided, released, members.codes)}


def record_consultation(ctx: Context, *, held_on: date, title: str, participants: list[str],
                        topics: list[str], outcomes: str, mou_code: str | None,
                        user: User) -> Consultation:
    code = "CW-CONSULTATION-INVALID"
    people = [p.strip() for p in participants if p.strip()]
    subjects = [t.strip() for t in topics if t.strip()]
    if not people or not subjects:
        raise consultation_invalid("Name the participants and at least one topic")
    with ctx.uow() as uow:
        if mou_code and repo.mou_row(uow.session, mou_code) is None:
            raise NotFound("MoU", mou_code)
        audit.lock_head(uow.session)  # numbers concurrent records one after another
        number = repo.consultations_in(uow.session, held_on.year) + 1
        found = Consultation(reference=consultation_reference(held_on.year, number),
                             held_on=held_on, title=filled(title, "meeting's title", code=code),
                             participants=tuple(people), topics=tuple(subjects),
                             outcomes=filled(outcomes, "outcomes", code=code),
                             mou_code=mou_code or None)
        repo.add_consultation(uow.session, found, actor=user.actor, now=ctx.clock.now())
        _audit(ctx, uow, user, "consultation.recorded", "consultation", found.reference,
               {"held_on": held_on.isoformat(), "topics": list(subjects),
                "mou_code": found.mou_code})
        uow.commit()
    return found


def list_consultations(ctx: Context) -> list[Consultation]:
    with ctx.uow(read_only=True) as uow:
        return repo.list_consultations(uow.session)


def get_consultation(ctx: Context, reference: str) -> Consultation:
    with ctx.uow(read_only=True) as uow:
        found = repo.list_consultations(uow.session, reference)
    if not found:
        raise NotFound("Consultation", reference)
    return found[0]


def add_action(ctx: Context, reference: str, *, description: str, owner: str, due_on: date,
               user: User) -> Consultation:
    """A follow-up action with its owner and deadline (overdue once the deadline passed)."""
    code = "CW-CONSULTATION-INVALID"
    text = filled(description, "action", code=code)
    who = filled(owner, "action's owner", code=code)
    with ctx.uow() as uow:
        row = repo.consultation_row(uow.session, reference)
        if row is None:
            raise NotFound("Consultation", reference)
        action_id = repo.add_action(uow.session, row.id, text, who, due_on)
        _audit(ctx, uow, user, "consultation.action_added", "consultation", reference,
               {"action_id": action_id, "owner": who, "due_on": due_on.isoformat()})
        uow.commit()
    return get_consultation(ctx, reference)


def complete_action(ctx: Context, reference: str, action_id: int, *, note: str | None,
                    user: User) -> Consultation:
    with ctx.uow() as uow:
        row = repo.consultation_row(uow.session, reference)
        action = repo.action_row(uow.session, row.id, action_id) if row else None
        if row is None or action is None:
            raise NotFound("Follow-up action", f"{reference}/{action_id}")
        if action.done_on is not None:
            raise consultation_invalid("The action is already done")
        action.done_on, action.done_note = ctx.clock.now().date(), (note or "").strip() or None
        _audit(ctx, uow, user, "consultation.action_done", "consultation", reference,
               {"action_id": action_id, "note": action.done_note})
        uow.commit()
    return get_consultation(ctx, reference)
