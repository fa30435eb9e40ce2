"""`make demo`'s progress reports, without the servers: the conference two months ahead, the
report to the last meeting submitted on time (its figures are the previous period's), this
period's report in draft with some narratives, the head and the secretariat among the users
(before the traders)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.demo.progress import share_reports
from clearway.demo.region import connect, pseudonym_keys
from clearway.demo.run import prepare_side
from clearway.exchange.delivery import deliver_once
from clearway.progress import regional, service


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


def test_the_neighbours_report_arrives_for_the_regional_view(tmp_path: Path) -> None:
    keys = pseudonym_keys(tmp_path)
    home = prepare_side(tmp_path / "demo.db", 0, "RS", pseudonym_keys_file=str(keys))
    partner = prepare_side(tmp_path / "demo-mk.db", 0, "MK", pseudonym_keys_file=str(keys),
                           secret_key=f"{home.ctx.settings.secret_key}:MK")
    home.url, partner.url = "http://127.0.0.1:8000", "http://127.0.0.1:8001"
    connect(home, partner)

    assert "SEE-WG-5" in share_reports(home, partner)
    with TestClient(create_app(home.ctx)) as client:
        def post(url: str, body: bytes) -> tuple[int, bytes]:   # into home's inbox
            answer = client.post(urlsplit(url).path, content=body,
                                 headers={"Content-Type": "application/jose"})
            return answer.status_code, answer.content

        assert deliver_once(partner.ctx, post=post).delivered == 1
    side = regional.regional(home.ctx, "SEE-WG-5")
    received = {a["code"]: a["report"]["status"] for a in side["administrations"]
                if a["report"]}
    assert received == {"RS": "submitted", "MK": "imported"}
