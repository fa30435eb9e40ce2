"""Use cases of the integrity room: indicators over a period, and the register of cases
(open, update, list, yearly report). Every change to the register is audited."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.identity import Role, User
from clearway.integrity import cases as rules
from clearway.integrity import repository as repo
from clearway.integrity.cases import Case
from clearway.integrity.model import Thresholds, office_indicators, officer_indicators
from clearway.periods import Period


def indicators(ctx: Context, span: Period, office: str | None = None) -> dict[str, Any]:
    """Indicators per officer and per office over `span`, with the outliers' reasons."""
    s = ctx.settings
    thresholds = Thresholds(z=s.integrity_z_threshold, min_controls=s.integrity_min_controls,
                            missed=s.integrity_missed_threshold)
    with ctx.uow(read_only=True) as uow:
        facts = repo.control_facts(uow.session, span.start, span.end, office)
        officers = officer_indicators(facts, repo.activity(uow.session, span.start, span.end,
                                                           office), thresholds)
        names = repo.user_names(uow.session, {x.officer_id for x in officers})
    return {
        "period": span.as_dict(), "office": office, "thresholds": asdict(thresholds),
        "officers": [{**asdict(x), "officer": names.get(x.officer_id)} for x in officers],
        "offices": [asdict(x) for x in office_indicators(officers, facts)],
    }


def case_dict(case: Case) -> dict[str, Any]:
    return {**asdict(case), "opened_on": case.opened_on.isoformat(),
            "closed_on": case.closed_on.isoformat() if case.closed_on else None,
            "updated_at": case.updated_at.isoformat()}


def open_case(ctx: Context, *, allegation: str, description: str, source: str,
              office: str | None, officer_id: int | None, user: User,
              indicator: dict[str, Any] | None = None, opened_on: date | None = None) -> Case:
    """Register a case; its reference is the next of the year. A case opened from an
    indicator outlier keeps the indicator in its detail."""
    rules.choice("allegation", allegation, rules.ALLEGATIONS)
    rules.choice("source", source, rules.SOURCES)
    if not description.strip():
        raise ClearwayError(code="CW-INTEGRITY-VALUE",
                            message="A case needs a description of the allegation")
    today = ctx.clock.now().date()
    day = opened_on or today
    if day > today:
        raise ClearwayError(code="CW-INTEGRITY-VALUE",
                            message=f"A case cannot be opened after today ({today})")
    with ctx.uow() as uow:
        if officer_id is not None and repo.user_role(uow.session, officer_id) in (
                None, Role.TRADER.value):
            raise ClearwayError(code="CW-INTEGRITY-OFFICER",
                                message=f"User {officer_id} is not a member of staff")
        # Taking the audit head's lock first numbers concurrent cases one after another.
        audit.lock_head(uow.session)
        number = repo.cases_opened_in(uow.session, day.year) + 1
        case = Case(reference=rules.reference(day.year, number), opened_on=day,
                    allegation=allegation, description=description.strip(),
                    officer_id=officer_id, office=office, source=source, status="open",
                    sanction=None, closed_on=None, updated_at=ctx.clock.now(),
                    detail={"indicator": indicator} if indicator else {})
        repo.add_case(uow.session, case)
        audit.append(uow.session, at=ctx.clock.now(), actor=user.actor,
                     action="integrity_case.opened", object_type="integrity_case",
                     object_id=case.reference,
                     detail={"allegation": allegation, "source": source, "office": office,
                             "officer_id": officer_id})
        uow.commit()
    return case


def update_case(ctx: Context, reference: str, *, status: str | None, sanction: str | None,
                note: str | None, user: User) -> Case:
    with ctx.uow() as uow:
        found = repo.get_case(uow.session, reference, lock=True)
        if found is None:
            raise NotFound("Integrity case", reference)
        changed = rules.updated(found, status=status, sanction=sanction,
                                today=ctx.clock.now().date(), now=ctx.clock.now())
        repo.save_case(uow.session, changed)
        audit.append(uow.session, at=ctx.clock.now(), actor=user.actor,
                     action="integrity_case.updated", object_type="integrity_case",
                     object_id=reference,
                     detail={"from_status": found.status, "status": changed.status,
                             "sanction": changed.sanction, "note": note})
        uow.commit()
    return changed


def get_case(ctx: Context, reference: str) -> Case:
    with ctx.uow(read_only=True) as uow:
        found = repo.get_case(uow.session, reference)
    if found is None:
        raise NotFound("Integrity case", reference)
    return found


def list_cases(ctx: Context, *, status: str | None = None, officer_id: int | None = None,
               year: int | None = None) -> list[Case]:
    if status is not None:
        rules.choice("status", status, rules.STATUSES)
    with ctx.uow(read_only=True) as uow:
        return repo.find_cases(
            uow.session, status=status, officer_id=officer_id,
            opened_from=date(year, 1, 1) if year else None,
            opened_to=date(year, 12, 31) if year else None)


def yearly_report(ctx: Context, year: int) -> dict[str, Any]:
    """Cases detected by allegation and sanctions by type in `year` (R4)."""
    with ctx.uow(read_only=True) as uow:
        found = repo.find_cases(uow.session)
    return rules.yearly_report(found, year)
