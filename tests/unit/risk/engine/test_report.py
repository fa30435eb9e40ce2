"""Selectivity report: channel shares, and the AEO benefit as a difference of shares."""

from __future__ import annotations

from clearway.risk.engine.report import DecisionRecord, summarize


def rec(channel: str, aeo: bool, office: str = "RS001002", rnd: bool = False) -> DecisionRecord:
    return DecisionRecord(channel, aeo, rnd, office, "IM")


def test_aeo_benefit_is_the_difference_in_shares_released_at_once() -> None:
    rows = ([rec("green", True)] * 9 + [rec("red", True)]
            + [rec("green", False)] * 6 + [rec("blue", False)] + [rec("yellow", False)] * 3)
    report = summarize(rows)
    assert report["aeo"]["released_at_once"] == 0.9
    assert report["non_aeo"]["released_at_once"] == 0.7
    assert report["aeo_benefit"] == 0.2
    assert report["all"]["channels"] == {"green": 15, "blue": 1, "yellow": 3, "red": 1}


def test_random_selections_and_offices_are_counted_apart() -> None:
    report = summarize([rec("red", False, "RS001001", True), rec("green", False, "RS001002")])
    assert report["random_selected"] == 1
    assert set(report["offices"]) == {"RS001001", "RS001002"}
    assert report["offices"]["RS001001"]["shares"]["red"] == 1.0


def test_no_decisions_gives_no_shares() -> None:
    report = summarize([])
    assert report["all"]["total"] == 0 and report["aeo_benefit"] is None
