"""`make demo`'s partnerships and whistleblowing: MoUs with the demo's traders as members, a
consultation with an overdue follow-up action, one anonymous report for the auditor."""

from __future__ import annotations

from pathlib import Path

from clearway.demo.run import prepare_side
from clearway.partnerships import service
from clearway.whistleblowing import service as whistleblowing


def test_demo_registers_mous_a_consultation_and_a_report(tmp_path: Path) -> None:
    side = prepare_side(tmp_path / "demo.db", 0, "RS")
    ctx = side.ctx
    today = ctx.clock.now().date()
    mous = {m.code: m for m in service.list_mous(ctx)}
    assert set(mous) == {"MOU-FFA", "MOU-RAIL", "MOU-PHYTO"}
    assert [m.trader_id for m in mous["MOU-FFA"].members_on(today)] == sorted(side.traders[:2])
    knowledge = ctx.risk.get().knowledge
    assert knowledge.memberships is not None
    assert knowledge.memberships.codes(side.traders[2], today) == ["MOU-RAIL"]
    (held,) = service.list_consultations(ctx)
    assert len(held.overdue(today)) == 1 and len(held.open_actions()) == 2
    (report,) = whistleblowing.reports(ctx)
    assert report.awaiting_auditor and report.case_status == "open"
    ctx.engine.dispose()
