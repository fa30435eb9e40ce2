"""Release-time report: minutes per step, overall and per group, steps absent when skipped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clearway.reports.release_time import Timeline, summarize

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def timeline(n: int, channel: str, aeo: bool, *minutes: float) -> Timeline:
    """Events at T0 + the given minutes: lodged, accepted, risk_assessed, [under_control],
    released."""
    kinds = (["lodged", "accepted", "risk_assessed", "under_control", "released"]
             if len(minutes) == 5 else ["lodged", "accepted", "risk_assessed", "released"])
    times = {k: T0 + timedelta(minutes=m) for k, m in zip(kinds, minutes, strict=True)}
    return Timeline(n, channel, "RS001002", aeo, "IM", times)


ROWS = [timeline(1, "green", True, 0, 0, 0, 0), timeline(2, "green", False, 0, 0, 0, 2),
        timeline(3, "red", False, 0, 0, 0, 30, 90)]

# (path into the report, expected)
TABLE = [
    (("all", "total", "count"), 3),
    (("all", "total", "mean"), pytest.approx((0 + 2 + 90) / 3, abs=0.01)),
    (("all", "control", "count"), 1),  # only the red one was controlled
    (("all", "control", "mean"), 60.0),
    (("all", "waiting_for_control", "p50"), 30.0),
    (("by_channel", "green", "total", "p50"), 1.0),
    (("by_channel", "red", "total", "mean"), 90.0),
    (("by_aeo", "aeo", "total", "mean"), 0.0),
    (("by_aeo", "non_aeo", "total", "count"), 2),
    (("by_office", "RS001002", "total", "count"), 3),
]


@pytest.mark.parametrize(("path", "expected"), TABLE)
def test_release_time_figures(path: tuple[str, ...], expected: object) -> None:
    node: object = summarize(ROWS)
    for key in path:
        node = node[key]  # type: ignore[index]
    assert node == expected


def test_events_out_of_order_or_missing_give_no_figure() -> None:
    odd = Timeline(9, None, None, False, "IM", {"lodged": T0, "released": T0 - timedelta(1)})
    report = summarize([odd])
    assert report["all"]["total"] == {"count": 0} and report["by_channel"]["-"]


def test_unknown_grouping_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown grouping"):
        summarize(ROWS, by=["trader"])
