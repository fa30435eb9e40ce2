"""Builders for the feedback tests: declarations, risk decisions, control tasks and results
written straight into the tables (as the controls room stores them)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.declarations import repository as repo
from clearway.declarations.canonical import canonical_dict
from clearway.declarations.model import AnyDeclaration
from clearway.feedback.effects import apply_result
from clearway.storage.orm import UserRow
from clearway.storage.orm_controls import ControlResultRow, ControlTaskRow
from clearway.storage.orm_risk import RiskDecisionRow
from helpers import import_doc

ADAPTER: TypeAdapter[Any] = TypeAdapter(AnyDeclaration)
OFFICE = "RS001"


def officer(session: Session, name: str = "officer-1") -> int:
    found = session.execute(select(UserRow.id).where(UserRow.name == name)).scalar()
    if found is not None:
        return int(found)
    row = UserRow(name=name, role="officer", trader_id=None, token_hash=f"h-{name}",
                  created_at=datetime(2026, 1, 1))
    session.add(row)
    session.flush()
    return row.id


def declaration(session: Session, lrn: str, *, trader: str, at: datetime,
                status: str = "released", office: str | None = OFFICE) -> int:
    doc = ADAPTER.validate_python(import_doc(lrn=lrn, declarant={"id": trader},
                                             importer={"id": trader}))
    row = repo.add(session, dict(
        mrn=None, lrn=lrn, declarant_id=trader, submitted_by=trader,
        declaration_type="IM", additional_type=None, status=status, version=1,
        format="json", content_hash=f"hash-{lrn}", office=office,
        item_count=len(doc.items), document=canonical_dict(doc), envelope={}, errors=[],
        created_at=at, updated_at=at), doc)
    assert row is not None
    row.mrn = f"26RS{row.id:014d}"
    repo.write_state(session, row)
    return row.id


def decide(session: Session, declaration_id: int, *, at: datetime, channel: str = "red",
           profiles: tuple[str, ...] = (), random_selected: bool = False,
           office: str | None = OFFICE) -> None:
    hits = [{"source": "profile", "ref": f"{code} v1", "area": "fiscal", "reason": code}
            for code in profiles]
    hits.append({"source": "model", "ref": "model", "area": "fiscal", "reason": "score"})
    session.add(RiskDecisionRow(
        declaration_id=declaration_id, decided_at=at, office=office, day=at.date(),
        channel=channel, fiscal_score=0.5, security_score=0.0, probability=0.5,
        expected_value=1.0, random_selected=random_selected, ens_outcome=None,
        model_version=None, decision={"channel": channel, "hits": hits,
                                      "random_selected": random_selected}))
    session.flush()


def result(session: Session, declaration_id: int, *, at: datetime, outcome: str,
           revenue: str | None = None, irregularities: tuple[str, ...] = (),
           office: str = OFFICE, channel: str = "red", random_selected: bool = False,
           apply: bool = True) -> int:
    """A done control task and its result; `apply` runs the feedback as the controls room
    does, in the same transaction."""
    officer_id = officer(session)
    task = ControlTaskRow(declaration_id=declaration_id, reference=str(declaration_id),
                          office=office, channel=channel, kind="physical", status="done",
                          qualifications=[], reasons=[], instructions=[],
                          random_selected=random_selected, origin="decision",
                          officer_id=officer_id, created_at=at, assigned_at=at,
                          started_at=at, completed_at=at)
    session.add(task)
    session.flush()
    money = Decimal(revenue or "0")  # stored 0 when nothing was assessed
    session.add(ControlResultRow(task_id=task.id, declaration_id=declaration_id,
                                 officer_id=officer_id, outcome=outcome,
                                 irregularities=list(irregularities), revenue=money,
                                 seizures=[], action="release", notes=None, recorded_at=at))
    session.flush()
    if apply:
        apply_result(session, declaration_id=declaration_id, outcome=outcome, revenue=money,
                     recorded_at=at)
    return task.id
