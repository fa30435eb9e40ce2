"""The single window inside the clearance: routing an accepted declaration's items to the
agencies whose matrix rule applies (in the acceptance transaction), and the consolidated
release — goods leave only when customs and every routed agency whose rule forbids moving
first have released them; a refusal by any agency stops them with its reason.

Customs' own clearance while agencies still decide is recorded (an event the trader sees,
and the hold's `customs_cleared_at`); whichever release comes last, customs' or an agency's,
makes the move to released (`release_or_wait`, `after_agency_release`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.agencies import repository as agency_repo
from clearway.agencies.model import AgencyDecision, Routed, TaskStatus
from clearway.agencies.routing import route_indexed
from clearway.agencies.selection import select_task
from clearway.clearance.moves import Batch, Notice, move
from clearway.context import Context
from clearway.declarations import repository as decl_repo
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.declarations.model import Declaration
from clearway.notifications.service import notify
from clearway.risk.engine.decision import Hit
from clearway.risk.engine.frame import RiskDoc
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_agencies import AgencyHoldRow, AgencyTaskRow

SYSTEM = "system:agency-selectivity"
ROUTED_TYPES = frozenset({"IM", "EX", "CO"})
REFUSABLE = frozenset({S.RISK_ASSESSED, S.UNDER_CONTROL, S.DETAINED})


def _items(doc: Declaration, routed: list[Routed]) -> list[dict[str, Any]]:
    """What the agency sees of its items: goods, origin, the documents that satisfy it."""
    goods = {item.sequence: item for item in doc.items}
    return [{"item": r.item, "commodity_code": goods[r.item].commodity_code,
             "description": goods[r.item].description,
             "origin": goods[r.item].origin_country, "rule": r.rule,
             "formality": str(r.formality), "documents": list(r.documents),
             "missing": r.missing, "move_before_decision": r.move_before_decision}
            for r in routed]


@dataclass(frozen=True)
class Held:
    """A hold `route_on_acceptance` inserted, with the agencies it waits for: the record of
    customs' clearance in the same acceptance then needs not read the tasks back."""

    declaration_id: int
    waiting: tuple[str, ...]


def route_on_acceptance(ctx: Context, session: Session, row: DeclarationRow, doc: RiskDoc,
                        *, now: datetime, batch: Batch,
                        hits: Mapping[str, Sequence[Hit]] | None = None) -> Held | None:
    """One task per routed agency; the hold on release when one of them must decide first.
    `hits`: the agencies' own profile hits on the declaration, by agency code. Tasks,
    steps and hold go in through the core, one statement each (the acceptance path)."""
    if not isinstance(doc, Declaration) or doc.declaration_type not in ROUTED_TYPES:
        return None
    matrix = ctx.matrix.get()
    version = matrix.on(now.date())
    routed = [] if version is None else route_indexed(doc, version.index(now.date()))
    if not routed or version is None:
        return None
    by_agency: dict[str, list[Routed]] = defaultdict(list)
    for r in routed:
        by_agency[r.agency].append(r)
    tasks: list[AgencyTaskRow] = []
    for code, items in sorted(by_agency.items()):
        # The agencies are kept beside the matrix (no read per filing); one added since the
        # cache last looked is read here
        agency = matrix.agencies.get(code) or agency_repo.agency(session, code)
        assert agency is not None, f"the matrix routes to agency {code}, which is stored"
        selected, why = select_task(items, agency, ctx.rng.random(), (hits or {}).get(code, ()))
        tasks.append(AgencyTaskRow(
            declaration_id=row.id, reference=row.mrn or row.lrn, agency=code,
            office=row.office, matrix_version=version.number, items=_items(doc, items),
            holds_release=not all(r.move_before_decision for r in items), selected=selected,
            selection=why, status=TaskStatus.OPEN if selected else TaskStatus.DECIDED,
            shared=False, routed_at=now, decision=None if selected else AgencyDecision.RELEASE,
            decided_at=None if selected else now, decided_by=None if selected else SYSTEM))
    _insert(session, tasks, now=now)
    for task in tasks:   # a task not selected is released by the system at once
        if not task.selected:
            tell_decision(session, row, task, now=now, into=batch.notes)
    waiting = tuple(t.agency for t in tasks if t.holds_release and t.selected)
    if not waiting:
        return None
    agency_repo.insert_hold(session, row.id)
    return Held(row.id, waiting)


def _insert(session: Session, tasks: list[AgencyTaskRow], *, now: datetime) -> None:
    """The tasks (decided ones already released by the system) and their steps."""
    ids = agency_repo.insert_tasks(session, [{c: getattr(t, c) for c in _TASK_COLUMNS}
                                             for t in tasks])
    steps: list[dict[str, Any]] = []
    for task in tasks:
        task.id = ids[task.agency]
        steps.append(_step(task, "routed", now, {"items": [i["item"] for i in task.items],
                                                 "selected": task.selected}))
        if not task.selected:
            steps.append(_step(task, "decided", now, {"decision": "release",
                                                      "why": task.selection}))
    agency_repo.insert_steps(session, steps)


_TASK_COLUMNS = ("declaration_id", "reference", "agency", "office", "matrix_version", "items",
                 "holds_release", "selected", "selection", "status", "shared", "routed_at",
                 "decision", "decided_at", "decided_by")


def _step(task: AgencyTaskRow, step: str, at: datetime, detail: dict[str, Any]
          ) -> dict[str, Any]:
    return {"task_id": task.id, "step": step, "at": at, "actor": SYSTEM, "office": task.office,
            "detail": detail}


def tell_decision(session: Session, row: DeclarationRow, task: AgencyTaskRow, *,
                  now: datetime, into: list[dict[str, Any]] | None = None) -> None:
    """The trader's notice of one agency's decision, in the declaration's one stream."""
    words = {AgencyDecision.RELEASE: "released the goods",
             AgencyDecision.RELEASE_WITH_CONDITIONS: "released the goods on conditions: ",
             AgencyDecision.INSPECT: "will inspect the goods: present them at the office",
             AgencyDecision.REFUSE: "refused the goods: ",
             AgencyDecision.REQUEST_DOCUMENT: "asks for a document: "}
    decision = AgencyDecision(task.decision or "release")
    items = ", ".join(str(i["item"]) for i in task.items)
    text = words[decision] + (task.text or "" if decision in (
        AgencyDecision.RELEASE_WITH_CONDITIONS, AgencyDecision.REFUSE,
        AgencyDecision.REQUEST_DOCUMENT) else "")
    notify(session, row, kind="agency_decision", at=now,
           message=f"Agency {task.agency} (items {items}) {text}",
           extra={"agency": task.agency, "agency_decision": str(decision)}, into=into)


def customs_cleared(session: Session, row: DeclarationRow,
                    hold: AgencyHoldRow | Held | None, *, now: datetime, actor: str,
                    detail: dict[str, Any], batch: Batch | None = None) -> None:
    """Customs has nothing more to check, but agencies still decide: record it."""
    if isinstance(hold, Held):   # inserted by this acceptance, which knows whom it waits for
        agency_repo.clear_hold(session, hold.declaration_id, at=now, by=actor)
        waiting = list(hold.waiting)
    else:
        if hold is not None:
            hold.customs_cleared_at, hold.customs_by = now, actor
        waiting = sorted({t.agency for t in agency_repo.holding(session, row.id)})
    event = decl_repo.event(row, at=now, kind="customs_cleared", from_status=row.status,
                            actor=actor, detail={**detail, "waiting_for": waiting})
    message = ("Customs has cleared the goods; release waits for the decision of agency "
               + ", ".join(waiting) if waiting else
               "Customs has cleared the goods; an agency refused them, so they stay refused")
    if batch is None:
        decl_repo.add_events(session, [event])
        notify(session, row, kind="customs_cleared", at=now, message=message)
    else:
        batch.events.append(event)
        notify(session, row, kind="customs_cleared", at=now, message=message,
               into=batch.notes)


def release_or_wait(session: Session, row: DeclarationRow, *, now: datetime, actor: str,
                    detail: dict[str, Any], notice: Notice,
                    audit_detail: dict[str, Any] | None = None,
                    batch: Batch | None = None) -> bool:
    """Customs releases `row`: move it to released, unless an agency still holds it (then
    customs' clearance is recorded) or refused it (then customs' result is only recorded).
    True when the goods moved."""
    hold = agency_repo.hold(session, row.id, lock=True)
    if row.status == S.REFUSED or (hold is not None and agency_repo.holding(session, row.id)):
        customs_cleared(session, row, hold, now=now, actor=actor, detail=detail, batch=batch)
        return False
    move(session, row, S.RELEASED, now=now, actor=actor, detail=detail,
         audit_detail=audit_detail, notice=notice, batch=batch)
    return True


def after_agency_decision(session: Session, row: DeclarationRow, task: AgencyTaskRow, *,
                          now: datetime, actor: str) -> None:
    """What an agency's final decision does to the declaration: a refusal stops it; the
    last release, when customs has cleared too, releases it."""
    session.flush()   # the task's decision, before the queries below (no autoflush)
    if task.decision == AgencyDecision.REFUSE:
        if row.status not in REFUSABLE:   # moved already (a rule let it) or ended
            return
        move(session, row, S.REFUSED, now=now, actor=actor,
             detail={"agency": task.agency, "reason": task.text},
             notice=Notice(f"Refused by agency {task.agency}: {task.text}",
                           {"agency": task.agency}))
        return
    hold = agency_repo.hold(session, row.id, lock=True)
    if (hold is None or hold.customs_cleared_at is None or row.status == S.REFUSED
            or agency_repo.holding(session, row.id)):
        return
    move(session, row, S.RELEASED, now=now, actor=actor,
         detail={"agency": task.agency, "last_release": True},
         notice=Notice("Released: customs and every agency concerned have released the "
                       "goods", {"agency": task.agency}))
