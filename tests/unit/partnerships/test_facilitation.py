"""Each facilitation measured on fixed data: green share and release minutes of members'
declarations against non-members', membership taken on each declaration's own day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from clearway.partnerships.facilitation import Decided, Released, measure
from clearway.reports.release_time import Timeline
from clearway.risk.engine.memberships import Membership, Memberships

DAY = date(2026, 11, 10)
MEMBERS = Memberships([Membership("M1", "MOU-A", date(2026, 1, 1)),
                       Membership("M2", "MOU-B", date(2026, 1, 1), date(2026, 11, 9))])
T0 = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)


def released(n: int, trader: str, minutes: float, day: date = DAY) -> Released:
    times = {"lodged": T0, "released": T0 + timedelta(minutes=minutes)}
    return Released(trader, day, Timeline(n, "green", "RS001002", False, "IM", times))


DECIDED = [
    Decided("M1", DAY, "green"), Decided("M1", DAY, "green"), Decided("M1", DAY, "green"),
    Decided("M1", DAY, "red"),
    Decided("M2", date(2026, 11, 9), "green"),   # its last day as a member of MOU-B
    Decided("M2", DAY, "yellow"),                 # no longer a member
    Decided("N1", DAY, "green"), Decided("N1", DAY, "red"), Decided(None, DAY, "red"),
]
RELEASED = [released(1, "M1", 10), released(2, "M1", 20), released(3, "M1", 30),
            released(4, "N1", 60), released(5, "N1", 120), released(6, "M2", 40,
                                                                  date(2026, 11, 9))]


def test_members_against_non_members() -> None:
    found = measure(DECIDED, RELEASED, MEMBERS.codes)
    members, others = found["members"], found["non_members"]
    assert (members["decided"], members["green"], members["green_share"]) == (5, 4, 0.8)
    assert (others["decided"], others["green"], others["green_share"]) == (4, 1, 0.25)
    assert members["release_minutes"]["count"] == 4
    assert members["release_minutes"]["p50"] == 25.0   # 10, 20, 30, 40
    assert others["release_minutes"]["p50"] == 90.0    # 60, 120
    assert found["difference"] == {"green_share": 0.55, "median_release_minutes": -65.0}


def test_each_mou_is_measured_apart() -> None:
    found = measure(DECIDED, RELEASED, MEMBERS.codes)["by_mou"]
    assert sorted(found) == ["MOU-A", "MOU-B"]
    assert (found["MOU-A"]["decided"], found["MOU-A"]["green_share"]) == (4, 0.75)
    assert (found["MOU-B"]["decided"], found["MOU-B"]["green_share"]) == (1, 1.0)
    assert found["MOU-B"]["release_minutes"]["mean"] == 40.0


def test_nothing_to_measure() -> None:
    found = measure([], [], MEMBERS.codes)
    assert found["members"]["green_share"] is None
    assert found["members"]["release_minutes"] == {"count": 0}
    assert found["difference"] == {"green_share": None, "median_release_minutes": None}
