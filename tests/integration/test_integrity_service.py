"""Integrity indicators read from the control tables, and the register of cases, on SQLite
and PostgreSQL: every change audited, references numbered per year."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from clearway.audit.service import verify
from clearway.bootstrap import prepare
from clearway.clearance import lodging
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Role, User
from clearway.integrity import service
from clearway.periods import period
from clearway.storage.orm import AuditRow, UserRow
from clearway.storage.orm_controls import (
    ControlResultRow,
    ControlTaskRow,
    OverrideRow,
    TaskAssignmentRow,
)
from helpers import TRADER, import_doc, make_token

OFFICE = "RS001002"
AUDITOR = User(id=0, name="ann", role=Role.AUDITOR, trader_id=None)


def _lodge(ctx: Context, n: int) -> list[int]:
    trader = User(id=0, name="t", role=Role.TRADER, trader_id=TRADER)
    docs = [import_doc(lrn=f"LRN-I{i}", offices={"lodgement": OFFICE}) for i in range(n)]
    rows = [lodging.submit(ctx, json.dumps(d).encode(), "application/json", trader).row
            for d in docs]
    assert {r.office for r in rows} == {OFFICE}  # overrides count at the declaration's office
    return [r.id for r in rows]


@pytest.fixture
def world(ctx: Context) -> dict[str, int]:
    prepare(ctx)
    for name in ("o1", "o2", "sup"):
        make_token(ctx, name, "officer" if name != "sup" else "supervisor")
    with ctx.uow(read_only=True) as uow:
        ids = dict(uow.session.execute(select(UserRow.name, UserRow.id)).all())
    decl = _lodge(ctx, 3)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        s = uow.session
        # (declaration, officer, outcome, minutes ago recorded); D0 closed regular by o1,
        # then found irregular by o2 in a blue audit.
        plan = [(decl[0], "o1", "regular", 120), (decl[0], "o2", "irregular", 10),
                (decl[1], "o1", "regular", 60), (decl[2], "o2", "irregular", 30)]
        for n, (d, officer, outcome, ago) in enumerate(plan, start=1):
            at = now - timedelta(minutes=ago)
            s.add(ControlTaskRow(id=n, declaration_id=d, reference=f"R{n}", office=OFFICE,
                                 channel="red", kind="physical", status="done",
                                 qualifications=[], reasons=[], instructions=[],
                                 random_selected=False, origin="decision",
                                 officer_id=ids[officer], created_at=at - timedelta(hours=1),
                                 assigned_at=at - timedelta(hours=1),
                                 started_at=at - timedelta(minutes=45), completed_at=at))
            s.flush()
            s.add(ControlResultRow(task_id=n, declaration_id=d, officer_id=ids[officer],
                                   outcome=outcome, irregularities=[], revenue=Decimal("0"),
                                   seizures=[], action="release", notes=None, recorded_at=at))
        # task 1 went first to o2, then a supervisor moved it to o1
        s.add_all([TaskAssignmentRow(task_id=1, officer_id=ids["o2"], at=now - timedelta(hours=4),
                                     by="system", reason=None, eligible=2),
                   TaskAssignmentRow(task_id=1, officer_id=ids["o1"], at=now - timedelta(hours=3),
                                     by="supervisor:sup", reason="sick", eligible=2)])
        s.add(OverrideRow(declaration_id=decl[1], kind="waiver", from_channel="red",
                          to_channel=None, reason="perishable goods", status="approved",
                          requested_by_id=ids["o1"], requested_at=now - timedelta(hours=2)))
        uow.commit()
    return ids


def test_indicators_from_the_control_tables(ctx: Context, world: dict[str, int]) -> None:
    ctx.settings = ctx.settings.model_copy(update={"integrity_missed_threshold": 1})
    found = service.indicators(ctx, period(ctx.clock.now().date()))
    rows = {x["officer"]: x for x in found["officers"]}
    o1, o2 = rows["o1"], rows["o2"]
    assert (o1["controls"], o1["hits"], o1["missed"], o1["overrides"]) == (2, 0, 1, 1)
    assert (o2["controls"], o2["hits"], o2["missed"], o2["reassigned_away"]) == (2, 2, 0, 1)
    assert o1["tasks"] == 1 and o1["median_minutes"] == 45.0
    assert o1["flags"] == ["1 controls closed regular on declarations later found irregular "
                           "(threshold 1)"]
    (office,) = found["offices"]
    assert (office["office"], office["controls"], office["hits"]) == ("RS001002", 4, 2)
    assert service.indicators(ctx, period(ctx.clock.now().date()), "XX000000")["officers"] == []
    past = period(ctx.clock.now().date(), date(2026, 1, 1), date(2026, 1, 31))
    assert service.indicators(ctx, past)["officers"] == []


def test_register_open_update_report_and_audit(ctx: Context, world: dict[str, int]) -> None:
    indicator = {"officer_id": world["o1"], "flags": ["1 controls closed regular ..."]}
    first = service.open_case(ctx, allegation="collusion", description="closed regular",
                              source="indicator", office="RS001002", officer_id=world["o1"],
                              user=AUDITOR, indicator=indicator)
    second = service.open_case(ctx, allegation="bribery", description="complaint by trader",
                               source="complaint", office=None, officer_id=None, user=AUDITOR)
    assert (first.reference, second.reference) == ("IC-2026-0001", "IC-2026-0002")
    assert service.get_case(ctx, first.reference).detail == {"indicator": indicator}
    service.update_case(ctx, first.reference, status="investigating", sanction=None,
                        note=None, user=AUDITOR)
    done = service.update_case(ctx, first.reference, status="substantiated",
                               sanction="suspension", note="confirmed", user=AUDITOR)
    assert done.closed_on == ctx.clock.now().date() and done.sanction == "suspension"
    report = service.yearly_report(ctx, 2026)
    assert report["detected_total"] == 2 and report["detected"]["collusion"] == 1
    assert report["sanctions"]["suspension"] == 1
    assert [c.reference for c in service.list_cases(ctx, status="open")] == [second.reference]
    with ctx.uow(read_only=True) as uow:
        actions = uow.session.execute(select(AuditRow.action).where(
            AuditRow.object_type == "integrity_case")).scalars().all()
    assert actions == ["integrity_case.opened"] * 2 + ["integrity_case.updated"] * 2
    assert verify(ctx)[0] is None


@pytest.mark.parametrize(("changes", "code"), [
    ({"allegation": "theft"}, "CW-INTEGRITY-VALUE"),
    ({"source": "rumour"}, "CW-INTEGRITY-VALUE"),
    ({"description": "  "}, "CW-INTEGRITY-VALUE"),
    ({"officer_id": 999_999}, "CW-INTEGRITY-OFFICER"),
])
def test_register_refuses_bad_cases(ctx: Context, world: dict[str, int],
                                    changes: dict[str, object], code: str) -> None:
    fields: dict[str, object] = {"allegation": "fraud", "description": "x", "source": "audit",
                                 "office": None, "officer_id": None, **changes}
    with pytest.raises(ClearwayError) as raised:
        service.open_case(ctx, user=AUDITOR, **fields)  # type: ignore[arg-type]
    assert raised.value.code == code
