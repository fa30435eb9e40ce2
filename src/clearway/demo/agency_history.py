"""The agencies' part of the demo's past: every agency task the matrix routed and the agency's
selection kept for an officer is decided by an officer of that agency minutes to hours after
it was routed (TradeNet's target is ten minutes for nine permits in ten): mostly releases,
some on conditions, a few inspections (one examination with customs when customs controls
the goods too, `clearance.joint_inspection`) followed by the agency's decision, and the odd
refusal. So the single window's key figures, the release-time report's agency shares and the
agency room start with data."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from clearway.agencies import repository as agency_repo
from clearway.agencies.model import AgencyDecision, DecisionIn
from clearway.clearance import agency_work
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Role, User
from clearway.storage.orm import UserRow
from clearway.users.service import create_user

D = AgencyDecision
# (decision, weight): what an agency officer decides on a task kept for them
DRAWS = ((D.RELEASE, 0.82), (D.RELEASE_WITH_CONDITIONS, 0.09), (D.INSPECT, 0.07),
         (D.REFUSE, 0.02))
WORDS = {
    D.RELEASE_WITH_CONDITIONS: "Release to the consignee's premises; not to be sold before "
                               "the laboratory result",
    D.REFUSE: "The goods do not meet the import conditions (no valid certificate, findings "
              "at inspection): re-export or destruction under supervision",
}
Later = Callable[..., None]


def agency_officers(ctx: Context) -> dict[str, User]:
    """One officer per agency code: the demo's own (created when missing, as `<code>-officer`)."""
    with ctx.uow() as uow:
        rows = uow.session.execute(select(UserRow).where(
            UserRow.role == Role.AGENCY_OFFICER.value).order_by(UserRow.id)).scalars()
        found = {r.trader_id: User(id=r.id, name=r.name, role=Role.AGENCY_OFFICER,
                                   trader_id=r.trader_id) for r in rows if r.trader_id}
        for agency in agency_repo.agencies(uow.session):
            if agency.code not in found:
                found[agency.code] = create_user(
                    uow.session, name=f"{agency.code.lower()}-officer", role="agency_officer",
                    trader_id=agency.code, now=ctx.clock.now(), ttl_days=30)[0]
        uow.commit()
    return found


def plan(ctx: Context, rng: random.Random, later: Later, at: datetime,
         declaration_id: int) -> int:
    """Schedule the decisions of the declaration's open agency tasks; how many."""
    with ctx.uow(read_only=True) as uow:
        waiting = [t.id for t in agency_repo.tasks(uow.session, declaration_id=declaration_id,
                                                   status="open")]
    for task in waiting:
        decision = rng.choices([d for d, _ in DRAWS], [w for _, w in DRAWS])[0]
        when = at + timedelta(minutes=rng.lognormvariate(3.0, 0.9))   # median 20 minutes
        later(when, "agency", task=task, decision=str(decision))
        if decision == D.INSPECT:   # the examination, then the agency's decision
            final = D.REFUSE if rng.random() < 0.15 else D.RELEASE
            later(when + timedelta(hours=rng.uniform(1, 6)), "agency", task=task,
                  decision=str(final))
    return len(waiting)


def work(ctx: Context, step: Any, officers: dict[str, User]) -> None:
    """An agency officer's decision; a task the declaration's end closed meanwhile (seized,
    cancelled) has nothing left to decide."""
    with ctx.uow(read_only=True) as uow:
        task = agency_repo.task(uow.session, step.task)
    if task is None or task.agency not in officers:
        return
    decision = AgencyDecision(step.decision)
    try:
        agency_work.decide(ctx, task.id, DecisionIn(decision, WORDS.get(decision)),
                           officers[task.agency])
    except ClearwayError:
        return
