"""A finding from outside a control, as a label: a partner administration's verification
(mutual assistance) that found one of our declarations irregular.

The label store reads control results only (`risk/learning/labels.py`), so the finding is
recorded the way a post-clearance audit's result is: a done audit task (origin
"assistance", the officer who asked the partner as its officer), its result row, the audit
entry `audit verify --deep` compares with it, the trader's record and the profiles'
effectiveness (`effects.apply_result`) - all in the caller's transaction (the reply's).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.controls import repository as controls_repo
from clearway.controls.model import TaskStatus
from clearway.declarations import repository as decl_repo
from clearway.feedback.effects import IRREGULAR, apply_result
from clearway.risk import trader_summary

ORIGIN = "assistance"


def record_finding_in(session: Session, *, mrn: str, irregularity: str, officer_id: int,
                      note: str, actor: str, now: datetime) -> int | None:
    """Label declaration `mrn` irregular; returns the task id (None: no such declaration
    here, nothing to label)."""
    row = decl_repo.get(session, mrn, for_update=True)  # outcomes of one take turns
    if row is None or row.mrn != mrn:
        return None
    before = trader_summary.label_of(session, row.id)
    task = controls_repo.add_task(
        session, declaration_id=row.id, reference=mrn, office=row.office or "",
        channel="blue", kind="audit", status=TaskStatus.DONE, qualifications=[],
        reasons=[f"mutual assistance: {irregularity}"], instructions=[],
        random_selected=False, origin=ORIGIN, officer_id=officer_id, created_at=now,
        assigned_at=now, started_at=now, completed_at=now)
    controls_repo.add_result(session, task_id=task.id, declaration_id=row.id,
                             officer_id=officer_id, outcome=IRREGULAR,
                             irregularities=[irregularity], revenue=0, seizures=[],
                             action="release", notes=note[:2000] or None, recorded_at=now)
    trader_summary.relabelled(session, row, before)
    audit.append(session, at=now, actor=actor, action="control_result.recorded",
                 object_type="control_task", object_id=str(task.id),
                 detail={"declaration": mrn, "outcome": IRREGULAR,
                         "irregularities": [irregularity], "revenue": None,
                         "action": "release", "seizures": [], "origin": ORIGIN})
    apply_result(session, declaration_id=row.id, outcome=IRREGULAR, revenue=None,
                 recorded_at=now)
    return task.id
