"""Recording a control result updates each hitting profile's effectiveness at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from clearway.context import Context
from clearway.feedback.effects import profile_code, profile_codes
from clearway.storage.orm_controls import ProfileEffectivenessRow
from feedback_data import decide, declaration, officer, result

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("ref", "code"), [
    ("UNDERVAL-01 v3", "UNDERVAL-01"), ("PLAIN", "PLAIN"), ("ODD vX", "ODD vX"),
    ("A v1 v12", "A v1"),
])
def test_profile_code_of_a_hit_ref(ref: str, code: str) -> None:
    assert profile_code(ref) == code


def test_profile_codes_are_distinct_sorted_and_only_profiles() -> None:
    hits = [{"source": "profile", "ref": "B v2", "item": 1},
            {"source": "profile", "ref": "B v2", "item": 2},
            {"source": "profile", "ref": "A v1"}, {"source": "model", "ref": "model"},
            {"source": "screening", "ref": "B v2"}]
    assert profile_codes(hits) == ["A", "B"]


def stats(ctx: Context) -> dict[str, tuple[int, int, Decimal, datetime | None, datetime | None]]:
    with ctx.uow() as uow:
        rows = uow.session.execute(select(ProfileEffectivenessRow)).scalars()
        return {r.code: (r.controls, r.hits, Decimal(r.revenue).quantize(Decimal("0.01")),
                         r.last_control_at, r.last_hit_at) for r in rows}


# (profiles that hit, outcome, revenue, days after T0) per declaration, in recording order
CASES = [
    (("P1", "P2"), "irregular", "100.00", 3), (("P1",), "regular", None, 5),
    (("P2",), "irregular", "20.50", 1), ((), "irregular", "9.00", 2),
]


def test_results_count_per_profile_with_latest_times(ctx: Context) -> None:
    with ctx.uow() as uow:
        for n, (profiles, outcome, revenue, days) in enumerate(CASES):
            at = T0 + timedelta(days=days)
            decl = declaration(uow.session, f"L{n}", trader="RS100000001", at=T0)
            decide(uow.session, decl, at=T0, profiles=profiles)
            result(uow.session, decl, at=at, outcome=outcome, revenue=revenue)
        uow.commit()
    day = {d: T0 + timedelta(days=d) for d in range(6)}
    assert stats(ctx) == {
        "P1": (2, 1, Decimal("100.00"), day[5], day[3]),
        "P2": (2, 2, Decimal("120.50"), day[3], day[3]),  # the 1-day result came later
    }


def test_a_declaration_without_decision_or_profile_hits_changes_nothing(ctx: Context) -> None:
    with ctx.uow() as uow:
        decl = declaration(uow.session, "NODEC", trader="RS100000001", at=T0)
        result(uow.session, decl, at=T0, outcome="irregular", revenue="5")
        uow.commit()
    assert stats(ctx) == {}


def test_concurrent_results_for_one_profile_all_count(ctx: Context) -> None:
    n = 8
    with ctx.uow() as uow:
        officer(uow.session)  # one officer, created before the threads race
        ids = [declaration(uow.session, f"C{i}", trader="RS100000001", at=T0) for i in range(n)]
        for decl in ids:
            decide(uow.session, decl, at=T0, profiles=("HOT",))
        uow.commit()

    def record(decl: int) -> None:
        with ctx.uow() as uow:
            result(uow.session, decl, at=T0 + timedelta(hours=decl), outcome="irregular",
                   revenue="1.00")
            uow.commit()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(record, ids))
    controls, hits, revenue, last, _ = stats(ctx)["HOT"]
    assert (controls, hits, revenue) == (n, n, Decimal(n))
    assert last == T0 + timedelta(hours=max(ids))
