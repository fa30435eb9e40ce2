"""Mutual assistance as plain data: request types, the life cycle on both sides (one
transition table), the four-eyes rule, deadlines and the reply's rules. No storage, no HTTP.

A request leaves ("out") when a supervisor other than its drafter approves it: the approval
writes the message to the outbox in the same transaction, so "approved" and "sent" are one
step. The partner ("in") receives, assigns, and answers, answers partly or refuses; the reply
goes back in the same conversation and moves the requester's copy too. Either side closes its
own copy once a reply exists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from clearway.errors import ClearwayError, Conflict

ACTION_REQUEST = "mutual-assistance-request"
ACTION_REPLY = "mutual-assistance-reply"
PURPOSE = "mutual-assistance"

OUT, IN = "out", "in"
DIRECTIONS = (OUT, IN)

# What each type may name as its subject: a verification's topic, a surveillance's target.
SUBJECT_KINDS: dict[str, tuple[str, ...]] = {
    "information": (),
    "verification": ("document-authenticity", "origin-proof", "declared-value"),
    "surveillance": ("persons", "goods", "means-of-transport"),
    "notification": (),
    "spontaneous": (),
}
REQUEST_TYPES = tuple(SUBJECT_KINDS)
PRIORITIES = ("normal", "urgent")
CONFIDENTIALITY = ("restricted", "confidential", "secret")
OUTCOMES = ("answered", "partly-answered", "refused")
FINDINGS = ("confirmed", "irregular", "inconclusive")
# The irregularity a verification topic stands for in the label store's vocabulary.
FINDING_IRREGULARITY = {"origin-proof": "false_origin", "declared-value": "undervaluation",
                        "document-authenticity": "false_description"}

MAX_ATTACHMENT_BYTES = 512 * 1024  # each; the partner's inbox takes 2 MiB signed, base64 twice
MAX_MESSAGE_ATTACHMENT_BYTES = 1024 * 1024  # all attachments of one request or reply


class Status:
    DRAFTED = "drafted"
    SENT = "sent"
    RECEIVED = "received"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    PARTLY_ANSWERED = "partly-answered"
    REFUSED = "refused"
    CLOSED = "closed"


S = Status
REPLIED = (S.ANSWERED, S.PARTLY_ANSWERED, S.REFUSED)
# Not answered yet: past its deadline such a request is overdue (on both sides).
WAITING = frozenset({S.DRAFTED, S.SENT, S.RECEIVED, S.ASSIGNED})

# (direction, status, event) -> new status. The only place a request's status changes.
TRANSITIONS: dict[tuple[str, str, str], str] = {
    (OUT, S.DRAFTED, "approve"): S.SENT,
    (IN, S.RECEIVED, "assign"): S.ASSIGNED,
    (IN, S.ASSIGNED, "assign"): S.ASSIGNED,  # reassigned
    **{(IN, S.ASSIGNED, outcome): outcome for outcome in OUTCOMES},
    **{(OUT, S.SENT, outcome): outcome for outcome in OUTCOMES},  # the partner's reply
    **{(side, replied, "close"): S.CLOSED for side in DIRECTIONS for replied in REPLIED},
}


def next_status(direction: str, status: str, event: str) -> str:
    """The status `event` leads to, or CW-ASSIST-STATE when the life cycle forbids it."""
    found = TRANSITIONS.get((direction, status, event))
    if found is None:
        raise Conflict("CW-ASSIST-STATE", f"A request {status} ({direction}) cannot be "
                       f"{event.replace('-', ' ')}{'' if event.endswith('d') else ' now'}")
    return found


def check_approver(drafted_by_id: int | None, approver_id: int) -> None:
    """Four eyes: a supervisor other than the drafter approves a request."""
    if drafted_by_id == approver_id:
        raise ClearwayError(code="CW-ASSIST-SELF-APPROVAL",
                            message="A request is approved by a second person, never by the "
                            "one who drafted it")


def overdue(deadline: datetime, status: str, now: datetime) -> bool:
    """Past its deadline and not answered yet."""
    return status in WAITING and now > deadline


@dataclass(frozen=True)
class Draft:
    """What an officer or analyst writes before a supervisor approves."""

    partner: str
    agreement_id: str
    request_type: str
    question: str
    deadline: datetime
    subject_kind: str | None = None
    subject: str = ""
    legal_basis: str | None = None  # None: the agreement's article
    purpose: str = PURPOSE
    priority: str = "normal"
    confidentiality: str = "restricted"
    mrn: str | None = None
    disclose_requested: bool = False


def check_draft(draft: Draft, now: datetime) -> None:
    """Refuse a draft that cannot become a request (coded CW-ASSIST-*)."""
    kinds = SUBJECT_KINDS.get(draft.request_type)
    if kinds is None:
        raise ClearwayError(code="CW-ASSIST-INVALID", message="request_type must be one of "
                            f"{', '.join(REQUEST_TYPES)}")
    if kinds and draft.subject_kind not in kinds:
        raise ClearwayError(code="CW-ASSIST-INVALID", message=f"A {draft.request_type} "
                            f"request names its subject_kind: one of {', '.join(kinds)}")
    if not kinds and draft.subject_kind:
        raise ClearwayError(code="CW-ASSIST-INVALID", message=f"A {draft.request_type} "
                            "request names no subject_kind")
    for name, value, allowed in (("priority", draft.priority, PRIORITIES),
                                 ("confidentiality", draft.confidentiality, CONFIDENTIALITY)):
        if value not in allowed:
            raise ClearwayError(code="CW-ASSIST-INVALID",
                                message=f"{name} must be one of {', '.join(allowed)}")
    if not draft.question.strip():
        raise ClearwayError(code="CW-ASSIST-INVALID", message="A request asks a question")
    if draft.deadline <= now:
        raise ClearwayError(code="CW-ASSIST-DEADLINE",
                            message="The deadline must lie in the future")


@dataclass(frozen=True)
class Reply:
    """What the assigned officer answers."""

    outcome: str
    answer: str = ""
    reason: str | None = None
    finding: str | None = None
    disclosed: str | None = None  # the clear identity, only where the request asked for it


def check_reply(reply: Reply, *, request_type: str, disclose_requested: bool) -> None:
    """Refuse a reply the rules forbid (coded CW-ASSIST-*)."""
    if reply.outcome not in OUTCOMES:
        raise ClearwayError(code="CW-ASSIST-INVALID",
                            message=f"outcome must be one of {', '.join(OUTCOMES)}")
    if reply.outcome == S.REFUSED and not (reply.reason or "").strip():
        raise ClearwayError(code="CW-ASSIST-INVALID", message="A refusal gives its reason")
    if reply.outcome != S.REFUSED and not reply.answer.strip():
        raise ClearwayError(code="CW-ASSIST-INVALID", message="An answer has its text")
    if reply.finding is not None and (reply.finding not in FINDINGS
                                      or request_type != "verification"):
        raise ClearwayError(code="CW-ASSIST-INVALID", message="Only a verification has a "
                            f"finding, one of {', '.join(FINDINGS)}")
    if reply.disclosed is not None and not disclose_requested:
        raise ClearwayError(code="CW-ASSIST-DISCLOSURE",
                            message="A clear identity is disclosed only when the request "
                            "asked for it")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


def check_attachments(files: list[Attachment], claimed: Sequence[str | None]) -> list[str]:
    """Each file's SHA-256 (checked against the one its sender claims, when one is given);
    refused when a file or the whole set is too large for the partner's inbox."""
    if sum(len(f.data) for f in files) > MAX_MESSAGE_ATTACHMENT_BYTES:
        raise ClearwayError(code="CW-ASSIST-ATTACHMENT-SIZE", message="The attachments of "
                            f"one message may total at most {MAX_MESSAGE_ATTACHMENT_BYTES} bytes")
    digests = []
    for file, said in zip(files, claimed, strict=True):
        if len(file.data) > MAX_ATTACHMENT_BYTES:
            raise ClearwayError(code="CW-ASSIST-ATTACHMENT-SIZE", message=f"{file.filename}: "
                                f"an attachment may be at most {MAX_ATTACHMENT_BYTES} bytes")
        digest = sha256(file.data)
        if said is not None and said.lower() != digest:
            raise ClearwayError(code="CW-ASSIST-ATTACHMENT-HASH", message=f"{file.filename}: "
                                "its SHA-256 is not the one given")
        digests.append(digest)
    return digests
