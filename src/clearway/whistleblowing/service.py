"""Use cases of the whistleblowing channel. A report opens a case in the integrity register
(source "whistleblower") in the same transaction; the case carries no word of the report,
which only the integrity auditor reads (READ_WHISTLEBLOWING), each reading audited. The
sender is told a receipt code once, and with it reads the thread and writes again."""

from __future__ import annotations

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import NotFound
from clearway.identity import User
from clearway.integrity import cases as register
from clearway.integrity import repository as integrity
from clearway.whistleblowing import repository as repo
from clearway.whistleblowing.model import (
    AUDITOR,
    REPORTER,
    Report,
    closed,
    new_receipt,
    receipt_hash,
    text_checked,
    topic_checked,
    unknown_receipt,
)

# The sender as the audit trail names it: no one.
ANONYMOUS = "whistleblower:anonymous"
# What the integrity case says of the report: where to read it, and nothing of its content
# (administrators read the register; only the auditor reads reports).
CASE_DESCRIPTION = ("Anonymous report received through the whistleblowing channel; its text "
                    "and thread are in the whistleblowing room (integrity auditor only).")


def submit(ctx: Context, *, topic: str, text: str) -> str:
    """Store a report and open its integrity case; returns the receipt code (never stored,
    shown to the sender once)."""
    topic, text = topic_checked(topic), text_checked(text)
    code = new_receipt()
    now = ctx.clock.now()
    today = now.date()
    with ctx.uow() as uow:
        audit.lock_head(uow.session)  # numbers concurrent cases one after another
        number = integrity.cases_opened_in(uow.session, today.year) + 1
        case = register.Case(reference=register.reference(today.year, number), opened_on=today,
                             allegation=topic, description=CASE_DESCRIPTION, officer_id=None,
                             office=None, source="whistleblower", status="open",
                             sanction=None, closed_on=None, updated_at=now,
                             detail={"channel": "whistleblowing"})
        integrity.add_case(uow.session, case)
        repo.add_report(uow.session, receipt_hash=receipt_hash(code),
                        case_reference=case.reference, topic=topic, text=text, on=today)
        audit.append(uow.session, at=now, actor=ANONYMOUS, action="integrity_case.opened",
                     object_type="integrity_case", object_id=case.reference,
                     detail={"allegation": topic, "source": "whistleblower"})
        uow.commit()
    return code


def follow_up(ctx: Context, receipt: str) -> Report:
    """The report and its thread, for whoever holds the receipt code."""
    with ctx.uow(read_only=True) as uow:
        found = repo.by_receipt(uow.session, receipt_hash(receipt))
    if found is None:
        raise unknown_receipt()
    return found[1]


def write_again(ctx: Context, receipt: str, text: str) -> Report:
    """The reporter's answer or addition, while the case is not closed."""
    body = text_checked(text, "message")
    with ctx.uow() as uow:
        found = repo.by_receipt(uow.session, receipt_hash(receipt))
        if found is None:
            raise unknown_receipt()
        report_id, report = found
        if report.closed:
            raise closed()
        repo.add_message(uow.session, report_id, author=REPORTER, body=body,
                         on=ctx.clock.now().date())
        audit.append(uow.session, at=ctx.clock.now(), actor=ANONYMOUS,
                     action="whistle_report.written", object_type="integrity_case",
                     object_id=report.case_reference)
        uow.commit()
    return follow_up(ctx, receipt)


def reports(ctx: Context) -> list[Report]:
    with ctx.uow(read_only=True) as uow:
        return repo.all_reports(uow.session)


def read(ctx: Context, reference: str, *, user: User) -> Report:
    """One report and its thread; the reading is audited."""
    with ctx.uow() as uow:
        found = repo.by_case(uow.session, reference)
        if found is None:
            raise NotFound("Whistleblower report", reference)
        audit.append(uow.session, at=ctx.clock.now(), actor=user.actor,
                     action="whistle_report.read", object_type="integrity_case",
                     object_id=reference)
        uow.commit()
    return found[1]


def answer(ctx: Context, reference: str, text: str, *, user: User) -> Report:
    """The auditor's question or answer to the reporter (read on their next follow-up)."""
    body = text_checked(text, "message")
    with ctx.uow() as uow:
        found = repo.by_case(uow.session, reference)
        if found is None:
            raise NotFound("Whistleblower report", reference)
        report_id, report = found
        if report.closed:
            raise closed()
        repo.add_message(uow.session, report_id, author=AUDITOR, body=body,
                         on=ctx.clock.now().date())
        audit.append(uow.session, at=ctx.clock.now(), actor=user.actor,
                     action="whistle_report.answered", object_type="integrity_case",
                     object_id=reference)
        uow.commit()
    with ctx.uow(read_only=True) as uow:
        after = repo.by_case(uow.session, reference)
    return after[1] if after else report
