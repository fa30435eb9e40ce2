"""Officers' training on a real database: courses and trainings audited, officers only,
qualifications on a day, the yearly report."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from clearway.audit import repository as audit_repo
from clearway.audit.service import verify
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Role, User
from clearway.training import repository, service
from clearway.training.model import Course
from clearway.users.service import create_user

SUPERVISOR = User(id=99, name="sup", role=Role.SUPERVISOR, trader_id=None)
VAL = Course(code="VAL-1", title="Valuation", qualification="valuation", validity_months=12)
SAN = Course(code="SAN-1", title="Sanctions", qualification="sanctions")


def user(ctx: Context, name: str, role: str, trader: str | None = None) -> int:
    with ctx.uow() as uow:
        made, _ = create_user(uow.session, name=name, role=role, trader_id=trader,
                              now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    return made.id


def audit_trail(ctx: Context) -> list[tuple[str, str, dict[str, Any]]]:
    with ctx.uow(read_only=True) as uow:
        return [(e.action, e.object_id, e.detail) for e in audit_repo.iter_entries(uow.session)]


def test_courses_and_trainings_are_audited(ctx: Context) -> None:
    officer = user(ctx, "off", "officer")
    service.save_course(ctx, VAL, SUPERVISOR)
    service.save_course(ctx, VAL.model_copy(update={"validity_months": 24}), SUPERVISOR)
    record = service.record_training(ctx, officer, "VAL-1", date(2026, 2, 1), SUPERVISOR)
    assert record.expires_on == date(2028, 2, 1)
    trail = audit_trail(ctx)
    assert [(a, o) for a, o, _ in trail] == [("training_course.created", "VAL-1"),
                                              ("training_course.updated", "VAL-1"),
                                              ("training.recorded", "1")]
    assert trail[2][2] == {"officer_id": officer, "course": "VAL-1",
                           "completed_on": "2026-02-01", "expires_on": "2028-02-01"}
    assert verify(ctx)[0] is None
    assert [c.validity_months for c in service.list_courses(ctx)] == [24]


@pytest.mark.parametrize(("role", "code"), [
    ("trader", "CW-TRAINING-NOT-OFFICER"), ("risk_analyst", "CW-TRAINING-NOT-OFFICER"),
    ("auditor", "CW-TRAINING-NOT-OFFICER"), (None, "CW-NOT-FOUND"),
])
def test_only_officers_and_supervisors_are_trained(ctx: Context, role: str | None,
                                                   code: str) -> None:
    service.save_course(ctx, VAL, SUPERVISOR)
    key = 12345 if role is None else user(ctx, "u", role, "RS123" if role == "trader" else None)
    with pytest.raises(ClearwayError) as caught:
        service.record_training(ctx, key, "VAL-1", date(2026, 2, 1), SUPERVISOR)
    assert caught.value.code == code
    assert [a for a, _, _ in audit_trail(ctx)] == ["training_course.created"]


@pytest.mark.parametrize(("course", "completed", "code"), [
    ("NOPE", date(2026, 2, 1), "CW-NOT-FOUND"),
    ("VAL-1", date(2026, 11, 21), "CW-TRAINING-DATE"),  # the clock says 2026-11-20
])
def test_bad_trainings_are_refused(ctx: Context, course: str, completed: date,
                                   code: str) -> None:
    service.save_course(ctx, VAL, SUPERVISOR)
    officer = user(ctx, "off", "supervisor")
    with pytest.raises(ClearwayError) as caught:
        service.record_training(ctx, officer, course, completed, SUPERVISOR)
    assert caught.value.code == code
    assert service.officer_training(ctx, officer).records == []


def test_qualified_officers_and_report(ctx: Context) -> None:
    service.save_course(ctx, VAL, SUPERVISOR)
    service.save_course(ctx, SAN, SUPERVISOR)
    ana, bob, cid = (user(ctx, n, "officer") for n in ("ana", "bob", "cid"))
    for officer, code, on in [
            (ana, "VAL-1", date(2024, 12, 1)), (ana, "VAL-1", date(2026, 2, 1)),
            (bob, "VAL-1", date(2025, 1, 10)), (bob, "VAL-1", date(2025, 12, 1)),
            (cid, "VAL-1", date(2025, 4, 4)), (cid, "SAN-1", date(2020, 1, 1)),
            (bob, "SAN-1", date(2026, 5, 5))]:
        service.record_training(ctx, officer, code, on, SUPERVISOR)
    with ctx.uow(read_only=True) as uow:
        qualified = {(q, day): repository.qualified_officers(uow.session, q, day)
                     for q in ("valuation", "sanctions", "ipr")
                     for day in (date(2026, 1, 15), date(2026, 2, 1), date(2026, 12, 1))}
        by_year = {y: [(r.course_code, r.officers, r.trainings)
                       for r in service.report(uow.session, y)] for y in (2020, 2024, 2025, 2026)}
    assert qualified[("valuation", date(2026, 1, 15))] == {bob, cid}  # ana's first lapsed
    assert qualified[("valuation", date(2026, 2, 1))] == {ana, bob, cid}
    assert qualified[("valuation", date(2026, 12, 1))] == {ana}  # bob's expiry day
    assert qualified[("sanctions", date(2026, 2, 1))] == {cid}
    assert qualified[("sanctions", date(2026, 12, 1))] == {bob, cid}
    assert qualified[("ipr", date(2026, 2, 1))] == set()
    assert by_year == {2020: [("SAN-1", 1, 1)], 2024: [("VAL-1", 1, 1)],
                       2025: [("VAL-1", 2, 3)], 2026: [("SAN-1", 1, 1), ("VAL-1", 1, 1)]}
    with ctx.uow(read_only=True) as uow:
        assert service.report(uow.session, 2027) == []
    found = service.officer_training(ctx, bob, date(2026, 6, 1))
    assert found.qualifications == {"valuation", "sanctions"}
    assert [r.course_code for r in found.records] == ["VAL-1", "VAL-1", "SAN-1"]
