"""A submitted progress report travels to a partner administration as a signed exchange
message over real HTTP: the partner keeps it as imported under the same SHA-256, audited as
the sender's; a report that is not the sender's own is refused and nothing is kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from clearway.errors import ClearwayError
from clearway.exchange.delivery import deliver_once
from clearway.identity import Role, User
from clearway.progress import messages, regional, service, workflow
from clearway.progress.model import SECTION_KEYS, Conference, content_hash
from clearway.storage.orm import AuditRow
from conftest import NOW
from exchange_world import Pair, open_pair

SEE = Conference("SEE-2027", "SEE conference", date(2027, 1, 25), ("RS", "MK"),
                 date(2026, 1, 1))
AUTHOR = User(id=1, name="sup1", role=Role.SUPERVISOR, trader_id=None)
REVIEWER = User(id=2, name="sup2", role=Role.SUPERVISOR, trader_id=None)
HEAD = User(id=3, name="head", role=Role.HEAD_OF_ADMINISTRATION, trader_id=None)


@pytest.fixture
def pair(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[Pair]:
    yield from open_pair(db_url, tmp_path, sqlite_template, NOW)


def _submitted(pair: Pair) -> int:
    rs = pair.rs.ctx
    for side in (pair.rs.ctx, pair.mk.ctx):
        service.create_conference(side, HEAD, SEE)
    report = service.create_report(rs, AUTHOR, SEE.code)
    for key in SECTION_KEYS:
        service.write_section(rs, AUTHOR, report.id, key, f"On {key}.", True)
    workflow.review(rs, REVIEWER, report.id)
    workflow.approve(rs, HEAD, report.id)
    return workflow.submit(rs, HEAD, report.id).id


def test_a_submitted_report_reaches_the_partner_under_its_hash(pair: Pair) -> None:
    report = _submitted(pair)
    digest = service.get_report(pair.rs.ctx, report).content_hash
    with pytest.raises(ClearwayError) as refused:
        messages.send_report(pair.rs.ctx, HEAD, report, "AL")   # no participant
    assert refused.value.code == "CW-PROGRESS-IMPORT"
    messages.send_report(pair.rs.ctx, HEAD, report, "MK")
    assert deliver_once(pair.rs.ctx).delivered == 1
    side = [a for a in regional.regional(pair.mk.ctx, SEE.code)["administrations"]
            if a["report"]]
    assert [(a["code"], a["report"]["sha256"], a["report"]["status"]) for a in side] == [
        ("RS", digest, "imported")]
    with pair.mk.ctx.uow(read_only=True) as uow:
        actor = uow.session.execute(select(AuditRow.actor).where(
            AuditRow.action == "progress.imported")).scalar_one()
    assert actor == "partner:RS"


def test_a_report_not_the_senders_own_is_refused(pair: Pair) -> None:
    report = _submitted(pair)
    exported = regional.export(pair.rs.ctx, report)
    exported["content"]["administration"] = "MK"   # claims to be the receiver's
    exported["sha256"] = content_hash(exported["content"])
    pair.send(action="progress-report", purpose="progress-report", payload=exported)
    outcome = deliver_once(pair.rs.ctx)
    assert (outcome.delivered, outcome.failed) == (0, 1)
    with pair.mk.ctx.uow(read_only=True) as uow:
        assert uow.session.execute(select(AuditRow.id).where(
            AuditRow.action == "progress.imported")).first() is None
