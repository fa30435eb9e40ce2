"""Request and response bodies of the whistleblowing channel. The receipt code travels in
the body, never in an address: addresses are written to the access log."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from clearway.whistleblowing.model import MAX_TEXT, Report

RECEIPT_CHARS = 64  # a code with its dashes, and room for spaces


class ReportIn(BaseModel):
    topic: str = Field(max_length=40, description="bribery, collusion, abuse_of_discretion, "
                       "leak_of_information, fraud, conflict_of_interest, other")
    text: str = Field(max_length=MAX_TEXT, description="What happened, where and when; "
                      "leave out anything that names you")


class ReceiptIn(BaseModel):
    receipt: str = Field(max_length=RECEIPT_CHARS)


class ReporterMessageIn(BaseModel):
    receipt: str = Field(max_length=RECEIPT_CHARS)
    text: str = Field(max_length=MAX_TEXT)


class AnswerIn(BaseModel):
    text: str = Field(max_length=MAX_TEXT)


def _messages(report: Report) -> list[dict[str, Any]]:
    return [{"author": m.author, "text": m.body, "written_on": m.written_on}
            for m in report.messages]


def for_reporter(report: Report) -> dict[str, Any]:
    """What the holder of the receipt code sees: the stage, not the case or its outcome."""
    return {"topic": report.topic, "received_on": report.received_on, "stage": report.stage,
            "messages": _messages(report)}


def for_auditor(report: Report, *, thread: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"case_reference": report.case_reference, "topic": report.topic,
                           "received_on": report.received_on,
                           "case_status": report.case_status,
                           "awaiting_auditor": report.awaiting_auditor,
                           "messages_count": len(report.messages)}
    if thread:
        out["messages"] = _messages(report)
    return out


def received_out(receipt: str, today: date) -> dict[str, Any]:
    return {"receipt": receipt, "received_on": today,
            "keep_it": "This code is shown once and cannot be recovered: keep it to follow "
                       "up on your report and answer questions."}
