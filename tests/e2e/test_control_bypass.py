"""No officer or supervisor action moves goods around their open control (SQLite and
PostgreSQL).

A red declaration's control task goes to the qualified officer on duty ("qual"). While that
task is open, the goods move only through it: its assigned officer starts it, ends it with a
result (`release` with an outcome, or the task's result) or invalidates the declaration (the
task is then cancelled). Anyone else, and the assigned officer skipping the control, gets
409 CW-TASK-REQUIRED (or the controls room's own refusals) and nothing changes: no release,
no control result. A selection is changed only by two persons (four-eyes overrides). A blue
post-release audit does not hold the goods: the office releases them as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_controls import ControlResultRow, ControlTaskRow
from clearway.users.service import issue_token
from controls_world import OFFICE, QUAL, force, office, staff
from helpers import import_doc

REASON = {"reason": "goods checked at the gate, all fine"}
OUTCOME = {"outcome": "regular", **REASON}


@dataclass
class Room:
    client: TestClient
    ctx: Context
    tokens: dict[str, dict[str, str]]
    lrn: int = 0

    def post(self, who: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(path, json=body or {}, headers=self.tokens[who])

    def lodge(self, channel: Channel, qual: str | None) -> tuple[str, int]:
        force(self.ctx, channel, qual)
        self.lrn += 1
        answer = self.post("trader", "/api/v1/declarations",
                           import_doc(lrn=f"BYPASS-{self.lrn}", offices={"lodgement": OFFICE}))
        assert answer.status_code == 201, answer.text
        mrn = str(answer.json()["mrn"])
        with self.ctx.uow(read_only=True) as uow:
            task = uow.session.execute(select(ControlTaskRow.id).where(
                ControlTaskRow.reference == mrn)).scalar_one()
        return mrn, task

    def state(self, mrn: str) -> tuple[str, str, int]:
        """The declaration's status, its first task's status, and how many results."""
        with self.ctx.uow(read_only=True) as uow:
            row = uow.session.execute(select(DeclarationRow).where(
                DeclarationRow.mrn == mrn)).scalar_one()
            task = uow.session.execute(select(ControlTaskRow.status).where(
                ControlTaskRow.declaration_id == row.id).order_by(ControlTaskRow.id)
            ).scalars().first()  # the control (a waiver may add a sampled audit)
            results = uow.session.execute(select(func.count()).select_from(
                ControlResultRow).where(ControlResultRow.declaration_id == row.id)).scalar_one()
            return row.status, task, results


@pytest.fixture
def room(ctx: Context) -> Iterator[Room]:
    prepare(ctx)
    office(ctx)  # sup, qual (assigned: the only one qualified on duty), unq, far, off, trader
    staff(ctx, "sup2", "supervisor")
    names = ("sup", "sup2", "qual", "unq", "trader")
    tokens = {n: {"Authorization": f"Bearer {issue_token(ctx, n, actor='admin')[1]}"}
              for n in names}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield Room(client, ctx, tokens)


def act(action: str) -> str:
    return f"/api/v1/declarations/{{mrn}}/actions/{action}"


TASK = "/api/v1/controls/tasks/{task}"
# A step: who, path template ({mrn}, {task}), body.
Step = tuple[str, str, dict[str, Any]]
START = ("qual", act("start-control"), {})
RESULT = {"outcome": "regular", "action": "release", "irregularities": []}


@dataclass(frozen=True)
class Case:
    before: tuple[Step, ...]
    step: Step
    answer: tuple[int, str | None]  # status code and error code
    after: tuple[str, str, int]     # declaration status, task status, control results
    channel: Channel = Channel.RED
    qual: str | None = QUAL


HELD = ("risk_assessed", "assigned", 0)
CONTROLLED = ("under_control", "in_progress", 0)
REFUSED = (409, "CW-TASK-REQUIRED")

CASES: dict[str, Case] = {
    # --- the defect: goods released or invalidated around their control ---
    "another officer releases goods not yet controlled":
        Case((), ("unq", act("release"), OUTCOME), REFUSED, HELD),
    "another officer releases them without an outcome":
        Case((), ("unq", act("release"), REASON), REFUSED, HELD),
    "a supervisor releases goods not yet controlled":
        Case((), ("sup", act("release"), OUTCOME), REFUSED, HELD),
    "the assigned officer releases without doing the control":
        Case((), ("qual", act("release"), OUTCOME), REFUSED, HELD),
    "another officer invalidates a selected declaration":
        Case((), ("unq", act("invalidate"), REASON), REFUSED, HELD),
    "a supervisor invalidates a declaration under control":
        Case((START,), ("sup", act("invalidate"), REASON), REFUSED, CONTROLLED),
    "an officer releases goods whose task awaits an officer":
        Case((), ("unq", act("release"), OUTCOME), REFUSED,
             ("risk_assessed", "awaiting_officer", 0), qual="nobody-holds-this"),
    # --- already refused: the same class, kept in the table ---
    "another officer starts the control":
        Case((), ("unq", act("start-control"), {}), REFUSED, HELD),
    "another officer ends a started control":
        Case((START,), ("unq", act("release"), OUTCOME), REFUSED, CONTROLLED),
    "another officer records the task's result":
        Case((START,), ("unq", TASK + "/result", RESULT), (404, "CW-NOT-FOUND"), CONTROLLED),
    "a supervisor records the task's result":
        Case((START,), ("sup", TASK + "/result", RESULT), (403, "CW-TASK-NOT-ASSIGNED"),
             CONTROLLED),
    "a supervisor approves their own waiver":
        Case((("sup", "/api/v1/declarations/{mrn}/overrides",
               {"kind": "waiver", **REASON}),),
             ("sup", "/api/v1/overrides/{override}/approve", {}), (403, "CW-FOUR-EYES"), HELD),
    # --- the ways through ---
    "the assigned officer starts and ends the control":
        Case((START,), ("qual", act("release"), OUTCOME), (200, None),
             ("released", "done", 1)),
    "the assigned officer invalidates; the task is cancelled":
        Case((), ("qual", act("invalidate"), REASON), (200, None),
             ("invalidated", "cancelled", 0)),
    "a second supervisor approves the waiver":
        Case((("sup", "/api/v1/declarations/{mrn}/overrides",
               {"kind": "waiver", **REASON}),),
             ("sup2", "/api/v1/overrides/{override}/approve", {}), (200, None),
             ("released", "waived", 0)),
    "a blue audit does not hold the goods: any officer releases them":
        Case((), ("unq", act("release"), REASON), (200, None), ("released", "assigned", 0),
             channel=Channel.BLUE, qual=None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_goods_move_only_through_their_control(room: Room, name: str) -> None:
    case = CASES[name]
    mrn, task = room.lodge(case.channel, case.qual)
    names: dict[str, Any] = {"mrn": mrn, "task": task}
    for who, path, body in case.before:
        done = room.post(who, path.format(**names), body)
        assert done.status_code in (200, 201), done.text
        names["override"] = done.json().get("id")
    who, path, body = case.step
    answer = room.post(who, path.format(**names), body)
    code = answer.json().get("code") if answer.status_code >= 400 else None
    assert ((answer.status_code, code), room.state(mrn)) == (case.answer, case.after), \
        answer.text
