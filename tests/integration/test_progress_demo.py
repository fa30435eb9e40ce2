"""`make demo`'s progress reports, without the servers: the conference two months ahead, the
report to the last meeting submitted on time (its figures are the previous period's), this
period's report in draft with some narratives, the head and the secretariat among the users
(before the traders)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from clearway.demo.run import prepare_side
from clearway.progress import service


def test_the_demo_has_a_conference_ahead_and_an_earlier_submitted_report(
        tmp_path: Path) -> None:
    side = prepare_side(tmp_path / "demo.db", 0, "RS")
    ctx = side.ctx
    today = ctx.clock.now().date()
    meeting, conference = service.conferences(ctx)
    assert conference.held_on == today + timedelta(days=60)
    assert "RS" in conference.administrations and conference.period_start == meeting.deadline
    earlier, draft = service.list_reports(ctx)
    assert (earlier.status, earlier.timing.late, earlier.content_hash is not None) == (
        "submitted", False, True)
    assert draft.status == "draft" and draft.conference.code == conference.code
    assert draft.content["previous_period"]["source"] == "report"
    written = {s["key"]: s for s in draft.content["sections"] if s["narrative"]}
    assert set(written) == {"risk", "training", "single_window"}
    assert written["risk"]["completed_by"] == "analyst"
    assert written["single_window"]["completed_by"] is None
    names = list(side.users)
    assert {"head", "secretariat"} <= set(names)
    traders = [n for n in names if side.users[n][1]]
    assert traders and names[-len(traders):] == traders
