"""The release-time report's single-window parts, on both backends: customs' own time, each
agency's decision time and share of the total, the release an agency held, and the time
from the booth at the crossing point to release."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agency_world import ORANGES, SHAVERS, agency_world, decide, lodge, officer_of, status, tasks
from clearway.agencies.model import AgencyDecision
from clearway.border.booth import Presented
from clearway.border.model import Booth
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.periods import period
from clearway.prearrival.service import record_crossing
from clearway.reports.service import release_time_report
from controls_world import OFFICE, staff


def test_an_agency_decision_after_customs_clearance_is_its_share_of_the_release_time(
        ctx: Context, clock: FixedClock) -> None:
    world = agency_world(ctx)
    start = clock.now()
    held = lodge(ctx, world, "SW-TIME-1", [ORANGES])     # no certificate: plant health decides
    plain = lodge(ctx, world, "SW-TIME-2", [SHAVERS])    # no agency: released at once
    assert status(ctx, plain) == "released"
    booth_officer = staff(ctx, "booth-1", "officer")
    record_crossing(ctx, booth_officer, OFFICE, "BG 1234 AB", [], [], "BG",
                    border=Presented(Booth(declarations=(str(held.mrn),))))
    clock.advance(minutes=30)
    decide(ctx, tasks(ctx, held)["PH"], officer_of(ctx, "PH"), AgencyDecision.RELEASE)
    assert status(ctx, held) == "released"

    report = release_time_report(ctx, period(start.date(), start.date(),
                                             start.date() + timedelta(days=1)))
    assert report["declarations"] == 2
    assert report["all"]["total"]["mean"] == pytest.approx(15.0, abs=0.01)
    assert report["all"]["customs"]["count"] == 2
    assert report["all"]["customs"]["p99"] == pytest.approx(0.0, abs=0.01)
    ph = report["agencies"]["PH"]
    assert ph["decision"]["count"] == 1
    assert ph["decision"]["mean"] == pytest.approx(30.0, abs=0.01)
    assert ph["share_of_total_pct"]["mean"] == pytest.approx(100.0, abs=0.1)
    assert ph["held_release"] == 1
    assert set(report["agencies"]) == {"PH"}
    assert report["by_office"][OFFICE]["agencies"]["PH"]["held_release"] == 1
    assert report["by_aeo"]["aeo"]["agencies"]["PH"]["decision"]["count"] == 1
    border = report["all"]["at_the_border"]
    assert border["count"] == 1 and border["mean"] == pytest.approx(30.0, abs=0.01)
