"""Receipt codes (random, high entropy, stored only as a hash) and the channel's limits."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from clearway.errors import ClearwayError
from clearway.whistleblowing.limits import Busy, GlobalWindow
from clearway.whistleblowing.model import (
    AUDITOR,
    MAX_TEXT,
    REPORTER,
    Message,
    Report,
    new_receipt,
    receipt_hash,
    text_checked,
    topic_checked,
)

T0 = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_receipts_are_long_random_and_never_repeat() -> None:
    codes = {new_receipt() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert re.fullmatch(r"([A-Z2-7]{4}-){7}[A-Z2-7]{4}", code)  # 32 chars: 160 bits


def test_the_hash_reads_a_code_however_it_is_typed() -> None:
    code = new_receipt()
    stored = receipt_hash(code)
    assert re.fullmatch(r"[0-9a-f]{64}", stored) and code not in stored
    assert receipt_hash(code.lower().replace("-", " ")) == stored
    assert receipt_hash(code[:-1] + ("A" if code[-1] != "A" else "B")) != stored


@pytest.mark.parametrize(("text", "ok"), [("", False), ("  ", False), ("x", True),
                                          ("x" * MAX_TEXT, True), ("x" * (MAX_TEXT + 1), False)])
def test_text_limits(text: str, ok: bool) -> None:
    if ok:
        assert text_checked(text) == text
    else:
        with pytest.raises(ClearwayError) as exc:
            text_checked(text)
        assert exc.value.code == "CW-WHISTLE-INVALID"


def test_unknown_topic() -> None:
    assert topic_checked("bribery") == "bribery"
    with pytest.raises(ClearwayError):
        topic_checked("gossip")


@pytest.mark.parametrize(("status", "stage", "closed"), [
    ("open", "received", False), ("investigating", "under investigation", False),
    ("substantiated", "closed", True), ("unfounded", "closed", True)])
def test_what_the_reporter_is_told(status: str, stage: str, closed: bool) -> None:
    day = T0.date()
    r = Report("IC-2026-0001", "bribery", day, status,
               (Message(REPORTER, "a", day), Message(AUDITOR, "b?", day)))
    assert (r.stage, r.closed, r.awaiting_auditor) == (stage, closed, False)


def test_the_window_counts_over_everyone() -> None:
    window = GlobalWindow(2, 60)
    window.check(T0)
    window.count(T0)
    window.count(T0 + timedelta(seconds=10))
    with pytest.raises(Busy) as exc:
        window.check(T0 + timedelta(seconds=20))
    assert exc.value.code == "CW-WHISTLE-BUSY" and exc.value.headers == {"Retry-After": "40"}
    window.check(T0 + timedelta(seconds=61))   # the first left the window
