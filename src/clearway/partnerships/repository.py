"""Storing the MoU register, its members and the consultation record; reading what the
facilitation figures need (decisions and release timelines with their trader)."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.partnerships.facilitation import Decided, Released
from clearway.partnerships.model import Action, Consultation, Member, Mou, Review
from clearway.reports.repository import timelines
from clearway.risk.engine.memberships import Membership, Memberships
from clearway.risk.learning.history_store import trader_column
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_partnerships import (
    ConsultationActionRow,
    ConsultationRow,
    MouMemberRow,
    MouRow,
)
from clearway.storage.orm_risk import RiskDecisionRow


def _review(d: dict[str, str | None]) -> Review:
    nxt = d.get("next_review_on")
    return Review(on=date.fromisoformat(str(d["on"])), by=str(d["by"]), note=str(d["note"]),
                  next_review_on=date.fromisoformat(nxt) if nxt else None)


def _mou(row: MouRow, members: list[MouMemberRow]) -> Mou:
    return Mou(code=row.code, title=row.title, kind=row.kind, parties=tuple(row.parties),
               scope=row.scope, obligations=tuple(row.obligations),
               facilitations=tuple(row.facilitations),
               contacts=tuple(dict(c) for c in row.contacts), valid_from=row.valid_from,
               valid_to=row.valid_to, reviews=tuple(_review(r) for r in row.reviews),
               members=tuple(Member(m.trader_id, m.valid_from, m.valid_to) for m in members),
               next_review_on=row.next_review_on)


def _members(session: Session, codes: list[str]) -> dict[str, list[MouMemberRow]]:
    found: dict[str, list[MouMemberRow]] = {}
    for m in session.execute(select(MouMemberRow).where(MouMemberRow.mou_code.in_(codes))
                             .order_by(MouMemberRow.trader_id, MouMemberRow.id)).scalars():
        found.setdefault(m.mou_code, []).append(m)
    return found


def mou_row(session: Session, code: str, *, lock: bool = False) -> MouRow | None:
    query = select(MouRow).where(MouRow.code == code)
    return session.execute(query.with_for_update() if lock else query).scalar()


def get_mou(session: Session, code: str, *, lock: bool = False) -> Mou | None:
    row = mou_row(session, code, lock=lock)
    return _mou(row, _members(session, [code]).get(code, [])) if row else None


def list_mous(session: Session) -> list[Mou]:
    rows = list(session.execute(select(MouRow).order_by(MouRow.code)).scalars())
    members = _members(session, [r.code for r in rows])
    return [_mou(r, members.get(r.code, [])) for r in rows]


def add_mou(session: Session, mou: Mou, *, actor: str, now: datetime) -> None:
    session.add(MouRow(code=mou.code, title=mou.title, kind=mou.kind, parties=list(mou.parties),
                       scope=mou.scope, obligations=list(mou.obligations),
                       facilitations=list(mou.facilitations),
                       contacts=[dict(c) for c in mou.contacts], reviews=[],
                       valid_from=mou.valid_from, valid_to=mou.valid_to,
                       next_review_on=mou.next_review_on, created_by=actor, updated_at=now))
    session.flush()


def add_review(session: Session, row: MouRow, review: Review, now: datetime) -> None:
    row.reviews = [*row.reviews, review.as_dict()]
    row.next_review_on = review.next_review_on
    row.updated_at = now
    session.flush()


def add_member(session: Session, code: str, member: Member, *, actor: str,
               now: datetime) -> None:
    session.add(MouMemberRow(mou_code=code, trader_id=member.trader_id,
                             valid_from=member.valid_from, valid_to=member.valid_to,
                             changed_at=now, changed_by=actor))
    session.flush()


def end_member(session: Session, code: str, trader_id: str, on: date, *, actor: str,
               now: datetime) -> int:
    """End the trader's open or later-ending memberships of the MoU on `on`; how many."""
    rows = session.execute(select(MouMemberRow).where(
        MouMemberRow.mou_code == code, MouMemberRow.trader_id == trader_id)).scalars()
    ended = 0
    for row in rows:
        if row.valid_to is None or row.valid_to > on:
            row.valid_to = max(on, row.valid_from)
            row.changed_at, row.changed_by = now, actor
            ended += 1
    session.flush()
    return ended


def signature(session: Session) -> Hashable:
    """Changes when a member is added or ended, or an MoU changes (the engine's cache): the
    change times, and the ends themselves (two changes may share a clock reading)."""
    m = MouMemberRow
    members = session.execute(select(func.count(), func.max(m.changed_at), func.count(m.valid_to),
                                     func.min(m.valid_to), func.max(m.valid_to))).one()
    mous = session.execute(select(func.count(), func.max(MouRow.updated_at))).one()
    return (tuple(members), tuple(mous))


def memberships(session: Session) -> Memberships:
    """Every membership, cut to its MoU's validity, as the engine takes them."""
    rows = session.execute(select(MouMemberRow.trader_id, MouMemberRow.mou_code,
                                  MouMemberRow.valid_from, MouMemberRow.valid_to,
                                  MouRow.valid_from, MouRow.valid_to)
                           .join(MouRow, MouRow.code == MouMemberRow.mou_code))
    found = []
    for trader, code, start, end, mou_start, mou_end in rows:
        ends = [d for d in (end, mou_end) if d is not None]
        found.append(Membership(trader, code, max(start, mou_start), min(ends) if ends else None))
    return Memberships(found)


def _consultation(row: ConsultationRow, actions: list[ConsultationActionRow]) -> Consultation:
    return Consultation(
        reference=row.reference, held_on=row.held_on, title=row.title,
        participants=tuple(row.participants), topics=tuple(row.topics), outcomes=row.outcomes,
        mou_code=row.mou_code,
        actions=tuple(Action(a.id, a.description, a.owner, a.due_on, a.done_on, a.done_note)
                      for a in actions))


def consultations_in(session: Session, year: int) -> int:
    return session.execute(select(func.count()).select_from(ConsultationRow).where(
        ConsultationRow.reference.like(f"CT-{year}-%"))).scalar_one()


def add_consultation(session: Session, c: Consultation, *, actor: str, now: datetime) -> int:
    row = ConsultationRow(reference=c.reference, held_on=c.held_on, title=c.title,
                          participants=list(c.participants), topics=list(c.topics),
                          outcomes=c.outcomes, mou_code=c.mou_code, recorded_at=now,
                          recorded_by=actor)
    session.add(row)
    session.flush()
    return row.id


def consultation_row(session: Session, reference: str) -> ConsultationRow | None:
    return session.execute(select(ConsultationRow).where(
        ConsultationRow.reference == reference)).scalar()


def list_consultations(session: Session, reference: str | None = None) -> list[Consultation]:
    query = select(ConsultationRow).order_by(ConsultationRow.held_on.desc(),
                                             ConsultationRow.id.desc())
    if reference is not None:
        query = query.where(ConsultationRow.reference == reference)
    rows = list(session.execute(query).scalars())
    actions: dict[int, list[ConsultationActionRow]] = {}
    for a in session.execute(select(ConsultationActionRow).where(
            ConsultationActionRow.consultation_id.in_([r.id for r in rows]))
            .order_by(ConsultationActionRow.due_on, ConsultationActionRow.id)).scalars():
        actions.setdefault(a.consultation_id, []).append(a)
    return [_consultation(r, actions.get(r.id, [])) for r in rows]


def add_action(session: Session, consultation_id: int, description: str, owner: str,
               due_on: date) -> int:
    row = ConsultationActionRow(consultation_id=consultation_id, description=description,
                                owner=owner, due_on=due_on)
    session.add(row)
    session.flush()
    return row.id


def action_row(session: Session, consultation_id: int, action_id: int
               ) -> ConsultationActionRow | None:
    return session.execute(select(ConsultationActionRow).where(
        ConsultationActionRow.id == action_id,
        ConsultationActionRow.consultation_id == consultation_id).with_for_update()).scalar()


def decided(session: Session, first: date, last: date) -> list[Decided]:
    """The declarations decided from `first` to `last` (days included), with their trader."""
    rows = session.execute(
        select(trader_column(), RiskDecisionRow.day, RiskDecisionRow.channel)
        .join(DeclarationRow, DeclarationRow.id == RiskDecisionRow.declaration_id)
        .where(RiskDecisionRow.day >= first, RiskDecisionRow.day <= last))
    return [Decided(t, d, c) for t, d, c in rows]


def released(session: Session, start: datetime, end: datetime) -> list[Released]:
    """The declarations released in [start, end), with their trader and the day their
    membership counts on (the risk decision's, else the lodgement's)."""
    found = timelines(session, start, end)
    ids = [t.declaration_id for t in found]
    heads = {i: (t, d, at) for i, t, d, at in session.execute(
        select(DeclarationRow.id, trader_column(), RiskDecisionRow.day,
               DeclarationRow.created_at)
        .outerjoin(RiskDecisionRow, RiskDecisionRow.declaration_id == DeclarationRow.id)
        .where(DeclarationRow.id.in_(ids)))}
    out = []
    for t in found:
        trader, day, created = heads.get(t.declaration_id, (None, None, None))
        on = day or (created.date() if created else t.times.get("lodged", start).date())
        out.append(Released(trader, on, t))
    return out
