"""The MoU register's rules and the consultation record's deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from clearway.errors import ClearwayError
from clearway.partnerships.model import Action, Consultation, Member, Mou, consultation_reference


def mou(**changes: object) -> Mou:
    data: dict[str, object] = dict(
        code="MOU-FF", title="Freight forwarders", kind="trade_association",
        parties=("Customs", "Freight Forwarders' Association"), scope="Data quality",
        obligations=("Declare complete data",), facilitations=("Fewer documentary checks",),
        contacts=(), valid_from=date(2026, 1, 1), valid_to=date(2027, 12, 31))
    data.update(changes)
    return Mou(**data)  # type: ignore[arg-type]


@pytest.mark.parametrize("changes", [
    {"kind": "club"}, {"title": " "}, {"scope": ""}, {"parties": (" ",)},
    {"valid_to": date(2025, 12, 31)},
])
def test_a_bad_mou_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ClearwayError) as exc:
        mou(**changes).checked()
    assert exc.value.code == "CW-MOU-INVALID"


@pytest.mark.parametrize(("member", "ok"), [
    (Member("RS1", date(2026, 1, 1), date(2027, 12, 31)), True),
    (Member("RS1", date(2026, 5, 1)), True),             # open-ended: as long as the MoU
    (Member("RS1", date(2026, 5, 1), date(2028, 1, 1)), False),  # past the MoU's end
    (Member("RS1", date(2025, 12, 1), date(2026, 6, 1)), False),
    (Member("RS1", date(2026, 6, 1), date(2026, 5, 1)), False),
    (Member(" ", date(2026, 6, 1), date(2026, 7, 1)), False),
])
def test_a_member_lies_within_the_mou(member: Member, ok: bool) -> None:
    if ok:
        assert mou().member_checked(member) == member
    else:
        with pytest.raises(ClearwayError):
            mou().member_checked(member)


def test_members_on_a_day_need_the_mou_in_force() -> None:
    m = mou(members=(Member("RS1", date(2026, 1, 1), date(2027, 12, 31)),
                     Member("RS2", date(2026, 1, 1), date(2026, 3, 31))))
    assert [x.trader_id for x in m.members_on(date(2026, 2, 1))] == ["RS1", "RS2"]
    assert [x.trader_id for x in m.members_on(date(2026, 4, 1))] == ["RS1"]
    assert m.members_on(date(2028, 1, 1)) == []


@pytest.mark.parametrize(("due", "done", "today", "overdue"), [
    (date(2026, 11, 30), None, date(2026, 12, 1), True),
    (date(2026, 12, 1), None, date(2026, 12, 1), False),   # due today: not yet overdue
    (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 6), False),
])
def test_an_action_is_overdue_past_its_deadline_until_done(
        due: date, done: date | None, today: date, overdue: bool) -> None:
    action = Action(1, "Publish the guidance", "supervisor:ana", due, done)
    c = Consultation("CT-2026-0001", date(2026, 11, 1), "Quarterly", ("FFA",), ("ENS",), "ok",
                     actions=(action,))
    assert action.overdue(today) is overdue
    assert len(c.overdue(today)) == int(overdue)
    assert len(c.open_actions()) == int(done is None)


def test_consultation_reference() -> None:
    assert consultation_reference(2026, 7) == "CT-2026-0007"
