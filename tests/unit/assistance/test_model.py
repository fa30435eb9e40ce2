"""The life cycle of a mutual-assistance request, the four-eyes rule, deadlines and the
reply's rules, as data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clearway.assistance.messages import attachments_in
from clearway.assistance.model import (
    IN,
    OUT,
    Attachment,
    Draft,
    Reply,
    check_approver,
    check_attachments,
    check_draft,
    check_reply,
    next_status,
    overdue,
)
from clearway.errors import ClearwayError

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(("direction", "status", "event", "expected"), [
    (OUT, "drafted", "approve", "sent"),
    (OUT, "sent", "answered", "answered"),
    (OUT, "sent", "partly-answered", "partly-answered"),
    (OUT, "sent", "refused", "refused"),
    (OUT, "answered", "close", "closed"),
    (IN, "received", "assign", "assigned"),
    (IN, "assigned", "assign", "assigned"),
    (IN, "assigned", "answered", "answered"),
    (IN, "assigned", "refused", "refused"),
    (IN, "partly-answered", "close", "closed"),
    (OUT, "drafted", "answered", None),  # a draft has not left
    (OUT, "sent", "approve", None),  # approved once
    (IN, "received", "answered", None),  # assigned first
    (IN, "drafted", "approve", None),  # nothing received is approved here
    (OUT, "received", "assign", None),
    (OUT, "sent", "close", None),  # closed after a reply only
    (IN, "closed", "close", None),
])
def test_transition_table(direction: str, status: str, event: str,
                          expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ClearwayError) as refused:
            next_status(direction, status, event)
        assert refused.value.code == "CW-ASSIST-STATE"
    else:
        assert next_status(direction, status, event) == expected


@pytest.mark.parametrize(("drafter", "approver", "allowed"), [
    (1, 2, True), (2, 2, False), (None, 2, True)])
def test_four_eyes(drafter: int | None, approver: int, allowed: bool) -> None:
    if allowed:
        check_approver(drafter, approver)
    else:
        with pytest.raises(ClearwayError) as refused:
            check_approver(drafter, approver)
        assert refused.value.code == "CW-ASSIST-SELF-APPROVAL"


@pytest.mark.parametrize(("hours_left", "status", "late"), [
    (-1, "sent", True), (-1, "received", True), (-1, "assigned", True),
    (-1, "drafted", True), (1, "sent", False), (0, "sent", False),
    (-1, "answered", False), (-1, "refused", False), (-1, "closed", False),
    (-1, "partly-answered", False),
])
def test_overdue(hours_left: int, status: str, late: bool) -> None:
    assert overdue(NOW + timedelta(hours=hours_left), status, NOW) is late


def _draft(**changes: object) -> Draft:
    values: dict[str, object] = dict(partner="MK", agreement_id="A", request_type="information",
                                     question="q?", deadline=NOW + timedelta(days=1))
    return Draft(**{**values, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "code"), [
    ({}, None),
    ({"deadline": NOW}, "CW-ASSIST-DEADLINE"),
    ({"request_type": "gossip"}, "CW-ASSIST-INVALID"),
    ({"request_type": "verification"}, "CW-ASSIST-INVALID"),
    ({"request_type": "verification", "subject_kind": "declared-value"}, None),
    ({"request_type": "surveillance", "subject_kind": "persons"}, None),
    ({"subject_kind": "persons"}, "CW-ASSIST-INVALID"),
    ({"priority": "yesterday"}, "CW-ASSIST-INVALID"),
    ({"question": "  "}, "CW-ASSIST-INVALID"),
])
def test_drafts(changes: dict[str, object], code: str | None) -> None:
    if code is None:
        check_draft(_draft(**changes), NOW)
    else:
        with pytest.raises(ClearwayError) as refused:
            check_draft(_draft(**changes), NOW)
        assert refused.value.code == code


@pytest.mark.parametrize(("reply", "kind", "asked", "code"), [
    (Reply("answered", "yes"), "information", False, None),
    (Reply("refused"), "information", False, "CW-ASSIST-INVALID"),
    (Reply("refused", reason="outside scope"), "information", False, None),
    (Reply("answered", ""), "information", False, "CW-ASSIST-INVALID"),
    (Reply("answered", "x", finding="irregular"), "information", False, "CW-ASSIST-INVALID"),
    (Reply("answered", "x", finding="irregular"), "verification", False, None),
    (Reply("answered", "x", disclosed="P. P."), "information", False, "CW-ASSIST-DISCLOSURE"),
    (Reply("answered", "x", disclosed="P. P."), "information", True, None),
    (Reply("closed", "x"), "information", False, "CW-ASSIST-INVALID"),
])
def test_replies(reply: Reply, kind: str, asked: bool, code: str | None) -> None:
    if code is None:
        check_reply(reply, request_type=kind, disclose_requested=asked)
    else:
        with pytest.raises(ClearwayError) as refused:
            check_reply(reply, request_type=kind, disclose_requested=asked)
        assert refused.value.code == code


@pytest.mark.parametrize(("size", "claimed", "code"), [
    (10, None, None),
    (10, "0" * 64, "CW-ASSIST-ATTACHMENT-HASH"),
    (600 * 1024, None, "CW-ASSIST-ATTACHMENT-SIZE"),
])
def test_attachments(size: int, claimed: str | None, code: str | None) -> None:
    files = [Attachment("f", "text/plain", b"x" * size)]
    if code is None:
        assert len(check_attachments(files, [claimed])[0]) == 64
    else:
        with pytest.raises(ClearwayError) as refused:
            check_attachments(files, [claimed])
        assert refused.value.code == code


def test_a_received_attachment_whose_hash_differs_is_refused() -> None:
    payload = {"attachments": [{"filename": "a", "data": "YWJj", "sha256": "1" * 64}]}
    with pytest.raises(ClearwayError) as refused:
        attachments_in(payload)
    assert refused.value.code == "CW-ASSIST-ATTACHMENT-HASH"
    good = {"attachments": [{"filename": "a", "data": "YWJj", "sha256":
                             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]}
    assert attachments_in(good)[0].data == b"abc"
