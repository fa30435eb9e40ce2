"""The training domain's figures read inside a caller's unit of work: the needs per office
and qualification on a day, and the progress report's training figures for a period. Reads
only (no use case), so other domains' reports may call them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from clearway.training import plan_repository as plans
from clearway.training import repository as repo
from clearway.training.model import add_months
from clearway.training.plan import Need, holding_ends, needs
from clearway.training.staffing import (
    offices_by_officer,
    records_with_qualification,
    roster_window,
)


@dataclass(frozen=True)
class Needs:
    on: date
    needs: list[Need]
    agencies: dict[str, list[str]]  # agency -> qualifications its own profiles ask for



def needs_in(session: Session, day: date) -> Needs:
    """The needs per office and qualification on `day` (training.plan has the rule)."""
    wanted = plans.profile_requirements(session, day)
    records = [(r.officer_id, q, r.completed_on, r.expires_on)
               for r, q in records_with_qualification(session)]
    found = needs(day, wanted.get(None, {}), offices_by_officer(session, *roster_window(day)),
                  holding_ends(records, day),
                  plans.task_needs(session, add_months(day, -12), day + timedelta(days=1)))
    agencies = {a: sorted(q) for a, q in sorted(wanted.items(), key=lambda kv: kv[0] or "")
                if a is not None}
    return Needs(day, found, agencies)



def training_figures(session: Session, start: date, end: date) -> dict[str, Any]:
    """The progress report's training figures for [start, end), inside the caller's unit of
    work: trainings completed, the plan's sessions planned and held (seats, budget, spend),
    tasks that waited for a qualification, and the needs on the period's last day."""
    courses = [{"course": code, "title": title, "officers": officers, "trainings": count}
               for code, title, officers, count in repo.per_course(session, start, end)]
    planned = plans.sessions_of(session, start, end)
    held = plans.held_between(session, start, end)
    waited = sum(1 for t in plans.task_needs(session, start, end) if t.waited)
    last = needs_in(session, end - timedelta(days=1)).needs
    return {
        "trainings": sum(c["trainings"] for c in courses),
        "officers_trained": plans.officers_trained(session, start, end),
        "courses": courses,
        "sessions_planned": len(planned), "sessions_held": len(held),
        "seats_planned": sum(s.seats for s in planned),
        "seats_filled": sum(len(s.attendees or []) for s in held),
        "budget_planned": str(sum((s.budget for s in planned), Decimal("0"))),
        "spent": str(sum((s.spent or Decimal("0") for s in held), Decimal("0"))),
        "tasks_waiting_for_qualification": waited,
        "holders_expiring_next_year": sum(n.expiring for n in last),
        "seats_needed": sum(n.to_train for n in last),
    }
