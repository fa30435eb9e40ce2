"""Use cases of the instructions room: publish a version, read the library, an officer's
instructions to acknowledge, the acknowledgement itself (audited), the rates by office and
the instructions a control task is done under.

Where officers serve comes from the duty roster (`staffing.ROSTER_DAYS` either side of the day) and
what they hold from their training records: the same sources as the control assignment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import Conflict, NotFound
from clearway.identity import User
from clearway.instructions import repository as repo
from clearway.instructions.model import (
    Instruction,
    InstructionIn,
    Officer,
    OfficeRate,
    current,
)
from clearway.instructions.model import office_rates as rates_of
from clearway.risk import repository as risk_repo
from clearway.training.staffing import (
    held_on,
    offices_by_officer,
    records_with_qualification,
    roster_window,
)


@dataclass(frozen=True)
class Owed:
    """An instruction in force that concerns the officer, and whether they acknowledged its
    version in force."""

    instruction: Instruction
    acknowledged: bool


@dataclass(frozen=True)
class TaskInstructions:
    """What the task page shows: the instructions the control is done under, and those of
    the task's area its officer has not acknowledged yet."""

    linked: list[Instruction]
    unacknowledged: list[Instruction]


def publish(ctx: Context, body: InstructionIn, user: User) -> Instruction:
    """Publish a new version of `body.code` (version 1 when the code is new). Every officer
    it concerns must acknowledge it again."""
    now = ctx.clock.now()
    try:
        with ctx.uow() as uow:
            version = repo.latest_version(uow.session, body.code) + 1
            found = repo.add_version(uow.session, body, version, now=now, actor=user.actor)
            audit.append(uow.session, at=now, actor=user.actor, action="instruction.published",
                         object_type="instruction", object_id=f"{body.code} v{version}",
                         detail=body.model_dump(mode="json", exclude={"body"}))
            uow.commit()
    except IntegrityError:
        raise Conflict("CW-INSTRUCTION-RACE", f"Instruction {body.code} was published by "
                       "someone else at the same moment: read it and publish again") from None
    return found


def library(ctx: Context) -> list[Instruction]:
    """The latest version of every code, whether in force or not, by code."""
    with ctx.uow(read_only=True) as uow:
        latest: dict[str, Instruction] = {}
        for found in repo.all_versions(uow.session):
            latest[found.code] = found  # versions come in ascending order
        return list(latest.values())


def history(ctx: Context, code: str) -> list[Instruction]:
    with ctx.uow(read_only=True) as uow:
        versions = repo.all_versions(uow.session, code)
    if not versions:
        raise NotFound("Instruction", code)
    return versions


def officers_in(session: Session, day: date,
                ids: Iterable[int] | None = None) -> list[Officer]:
    """The officers on the roster around `day` (or exactly `ids`), as the rules see them."""
    wanted = None if ids is None else sorted(set(ids))
    offices = offices_by_officer(session, *roster_window(day), wanted)
    people = wanted if wanted is not None else sorted(offices)
    held = held_on(records_with_qualification(session, people), day)
    acks = repo.acknowledged_by(session, people)
    return [Officer(p, frozenset(held.get(p, ())), frozenset(offices.get(p, ())),
                    frozenset(acks.get(p, ()))) for p in people]


def owed_in(session: Session, officer_id: int, day: date) -> list[Owed]:
    in_force = current(repo.all_versions(session), day)
    officer = officers_in(session, day, [officer_id])[0]
    return [Owed(i, i.key in officer.acknowledged) for i in in_force.values()
            if i.concerns(officer.qualifications, officer.offices)]


def mine(ctx: Context, user: User) -> list[Owed]:
    """The instructions in force that concern the user, the unacknowledged first."""
    with ctx.uow(read_only=True) as uow:
        owed = owed_in(uow.session, user.id, ctx.clock.now().date())
    return sorted(owed, key=lambda o: (o.acknowledged, o.instruction.code))


def acknowledge(ctx: Context, user: User, code: str, version: int) -> tuple[datetime, bool]:
    """Acknowledge the version in force of `code` (audited). Returns when it was acknowledged
    and whether this call did it (False: acknowledged already)."""
    now = ctx.clock.now()
    try:
        with ctx.uow() as uow:
            in_force = current(repo.all_versions(uow.session, code), now.date())
            if code not in in_force:
                raise NotFound("Instruction in force", code)
            if in_force[code].version != version:
                raise Conflict("CW-INSTRUCTION-VERSION",
                               f"Version {version} of {code} is not the one in force "
                               f"(version {in_force[code].version}): read it and acknowledge it")
            given = repo.acknowledgement(uow.session, code, version, user.id)
            if given is not None:
                return given.acknowledged_at, False
            repo.add_acknowledgement(uow.session, code, version, user.id, now)
            audit.append(uow.session, at=now, actor=user.actor,
                         action="instruction.acknowledged", object_type="instruction",
                         object_id=f"{code} v{version}", detail={"officer_id": user.id})
            uow.commit()
    except IntegrityError:  # the same officer twice at once: the first one counts
        return now, False
    return now, True


def office_rates(ctx: Context, day: date | None = None) -> list[OfficeRate]:
    """Per office on the roster: acknowledgements due from its officers and given."""
    on = day or ctx.clock.now().date()
    with ctx.uow(read_only=True) as uow:
        in_force = list(current(repo.all_versions(uow.session), on).values())
        return rates_of(in_force, officers_in(uow.session, on))


def task_areas(session: Session, declaration_id: int) -> set[str]:
    """The risk areas of the hits behind the declaration's latest risk decision."""
    row = risk_repo.get_decision(session, declaration_id)
    hits = ((row.decision or {}).get("hits") or []) if row is not None else []
    return {str(h["area"]) for h in hits if isinstance(h, dict) and h.get("area")}


def for_task(ctx: Context, *, declaration_id: int, office: str, qualifications: list[str],
             texts: list[str], officer_id: int | None) -> TaskInstructions:
    """The instructions a control task is done under (by its risk areas, its needed
    qualifications, the codes its control instructions cite) and, of those and the ones
    naming its office, those the task's officer has not acknowledged."""
    day = ctx.clock.now().date()
    with ctx.uow(read_only=True) as uow:
        in_force = list(current(repo.all_versions(uow.session), day).values())
        areas = task_areas(uow.session, declaration_id)
        acks = repo.acknowledged_by(uow.session, [officer_id]) if officer_id else {}
    linked = [i for i in in_force if i.governs(areas, qualifications, texts)]
    if officer_id is None:
        return TaskInstructions(linked, [])
    given = acks.get(officer_id, set())
    area = [i for i in in_force if i in linked or office in i.terms.offices]
    return TaskInstructions(linked, [i for i in area if i.key not in given])
