"""Joint inspection: when customs (a yellow or red control before release) and one or more
agencies select the same goods for inspection, one examination is booked — at the office, in
a time slot — and each party records its own section of the result. An agency joining later
joins the booked inspection; it is never booked twice.

Booked by an agency's `inspect` decision (`book_or_join`, in that decision's transaction);
results by any officer of a party (`record_section`). An agency user sees an inspection
only when its agency is a party, and only its own section; customs staff see every section.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.agencies.service import visible_agency
from clearway.audit import repository as audit
from clearway.context import Context
from clearway.controls import repository as controls_repo
from clearway.errors import ClearwayError, Conflict, NotFound
from clearway.identity import User
from clearway.notifications.service import notify
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_agencies import JointInspectionRow, JointResultRow

CUSTOMS = "customs"
SLOT = timedelta(minutes=30)
OUTCOMES = frozenset({"compliant", "non_compliant"})


def _slot(now: datetime) -> datetime:
    """The next half hour that starts at least 30 minutes from now (time to get there)."""
    start = (now + SLOT).replace(second=0, microsecond=0)
    return start + timedelta(minutes=(30 - start.minute % 30) % 30)


def _customs_inspects(session: Session, declaration_id: int) -> bool:
    return any(t.kind != "audit" and t.channel in ("yellow", "red")
               for t in controls_repo.open_tasks_of(session, declaration_id))


def book_or_join(session: Session, row: DeclarationRow, agency: str, *, now: datetime,
                 actor: str) -> JointInspectionRow:
    """The declaration's one inspection, with `agency` (and customs, if it controls the
    goods) among its parties; the trader is told where and when, once per booking."""
    found = session.execute(select(JointInspectionRow).where(
        JointInspectionRow.declaration_id == row.id).with_for_update()).scalar_one_or_none()
    if found is None:
        parties = ([CUSTOMS] if _customs_inspects(session, row.id) else []) + [agency]
        start = _slot(now)
        found = JointInspectionRow(declaration_id=row.id, reference=row.mrn or row.lrn,
                                   office=row.office, slot_start=start, slot_end=start + SLOT,
                                   parties=parties, status="booked", booked_at=now,
                                   booked_by=actor)
        session.add(found)
        session.flush()
        notify(session, row, kind="joint_inspection", at=now,
               message=f"Inspection booked at office {row.office}, {start:%Y-%m-%d %H:%M} "
                       f"UTC: present the goods once for {', '.join(parties)}")
    elif agency not in found.parties:
        found.parties = [*found.parties, agency]
    audit.append(session, at=now, actor=actor, action="joint_inspection.booked",
                 object_type="joint_inspection", object_id=str(found.id),
                 detail={"declaration": found.reference, "parties": found.parties})
    return found


def _party(user: User) -> str:
    return visible_agency(user) or CUSTOMS


def _visible(session: Session, key: int, user: User, *, lock: bool = False
             ) -> JointInspectionRow:
    query = select(JointInspectionRow).where(JointInspectionRow.id == key)
    found = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    own = visible_agency(user)
    if found is None or (own is not None and own not in found.parties):
        raise NotFound("Joint inspection", str(key))
    return found


def sections(session: Session, inspection: JointInspectionRow, user: User
             ) -> list[JointResultRow]:
    own = visible_agency(user)
    rows = session.execute(select(JointResultRow).where(
        JointResultRow.inspection_id == inspection.id).order_by(JointResultRow.id)).scalars()
    return [r for r in rows if own is None or r.party == own]


def get(ctx: Context, key: int, user: User) -> tuple[JointInspectionRow, list[JointResultRow]]:
    with ctx.uow(read_only=True) as uow:
        found = _visible(uow.session, key, user)
        return found, sections(uow.session, found, user)


def list_visible(ctx: Context, user: User) -> list[JointInspectionRow]:
    own = visible_agency(user)
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(select(JointInspectionRow).order_by(
            JointInspectionRow.id.desc()).limit(200)).scalars()
        return [r for r in rows if own is None or own in r.parties]


def record_section(ctx: Context, key: int, outcome: str, notes: str | None,
                   user: User) -> JointResultRow:
    """The acting party's section of the one examination's result."""
    if outcome not in OUTCOMES:
        raise ClearwayError("CW-JOINT-RESULT", f"outcome is one of {', '.join(sorted(OUTCOMES))}")
    now, party = ctx.clock.now(), _party(user)
    with ctx.uow() as uow:
        found = _visible(uow.session, key, user, lock=True)
        if party not in found.parties:
            raise ClearwayError("CW-JOINT-RESULT", f"{party} is no party to this inspection")
        if any(r.party == party for r in sections(uow.session, found, user)):
            raise Conflict("CW-JOINT-SECTION", f"{party}'s section is recorded already")
        section = JointResultRow(inspection_id=found.id, party=party, outcome=outcome,
                                 notes=notes, recorded_by=user.actor, recorded_at=now)
        uow.session.add(section)
        found.examined_at = found.examined_at or now
        recorded = {r.party for r in uow.session.execute(select(JointResultRow).where(
            JointResultRow.inspection_id == found.id)).scalars()} | {party}
        found.status = "done" if recorded >= set(found.parties) else "examined"
        audit.append(uow.session, at=now, actor=user.actor,
                     action="joint_inspection.section", object_type="joint_inspection",
                     object_id=str(found.id), detail={"party": party, "outcome": outcome})
        uow.commit()
        return section
