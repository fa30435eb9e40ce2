"""The whistleblowing channel on SQLite and PostgreSQL: a report opens a case in the integrity
register, numbered with the register's other cases, and its thread is found by the receipt
code alone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Role, User
from clearway.integrity import service as integrity
from clearway.storage.orm_partnerships import WhistleMessageRow, WhistleReportRow
from clearway.whistleblowing import service
from clearway.whistleblowing.model import receipt_hash

AUDITOR = User(id=1, name="ines", role=Role.AUDITOR, trader_id=None)


def test_a_report_opens_a_case_numbered_with_the_others(ctx: Context) -> None:
    year = ctx.clock.now().year
    first = integrity.open_case(ctx, allegation="fraud", description="from an audit",
                                source="audit", office=None, officer_id=None, user=AUDITOR)
    code = service.submit(ctx, topic="bribery", text="cash asked at the gate")
    cases = integrity.list_cases(ctx)
    assert [c.reference for c in cases] == [first.reference, f"IC-{year}-0002"]
    case = cases[1]
    assert (case.source, case.allegation, case.status) == ("whistleblower", "bribery", "open")
    assert "cash" not in case.description
    with ctx.uow(read_only=True) as uow:
        report = uow.session.execute(select(WhistleReportRow)).scalar_one()
        messages = list(uow.session.execute(select(WhistleMessageRow)).scalars())
    assert report.receipt_hash == receipt_hash(code) and report.case_reference == case.reference
    assert [(m.author, m.body) for m in messages] == [("reporter", "cash asked at the gate")]


def test_the_receipt_code_is_the_only_key(ctx: Context) -> None:
    code = service.submit(ctx, topic="other", text="first")
    other = service.submit(ctx, topic="fraud", text="second")
    assert service.follow_up(ctx, code).messages[0].body == "first"
    assert service.follow_up(ctx, other).messages[0].body == "second"
    for wrong in ("", code[:-4], other + "A", "IC-2026-0001"):
        with pytest.raises(ClearwayError) as exc:
            service.follow_up(ctx, wrong)
        assert exc.value.code == "CW-WHISTLE-RECEIPT"


def test_the_thread_between_reporter_and_auditor(ctx: Context) -> None:
    code = service.submit(ctx, topic="collusion", text="a broker and an officer")
    (report,) = service.reports(ctx)
    assert report.awaiting_auditor
    asked = service.answer(ctx, report.case_reference, "Which office?", user=AUDITOR)
    assert not asked.awaiting_auditor
    again = service.write_again(ctx, code, "Office RS001002")
    assert [m.author for m in again.messages] == ["reporter", "auditor", "reporter"]
    assert service.read(ctx, report.case_reference, user=AUDITOR).awaiting_auditor
