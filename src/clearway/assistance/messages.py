"""The payloads of mutual-assistance messages, written and read (no storage, no HTTP).

Top-level fields are those the agreement lists for the purpose "mutual-assistance"; an
attachment travels as its bytes in base64 with its SHA-256, and the receiver checks the hash
before anything is stored.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from clearway.assistance.model import (
    FINDINGS,
    OUTCOMES,
    REQUEST_TYPES,
    Attachment,
    Reply,
    check_attachments,
)
from clearway.errors import ClearwayError
from clearway.exchange.model import ExchangeRefused, plausible_time


def attachments_out(files: list[Attachment]) -> list[dict[str, Any]]:
    return [{"filename": f.filename, "content_type": f.content_type,
             "sha256": check_attachments([f], [None])[0],
             "data": base64.b64encode(f.data).decode("ascii")} for f in files]


def request_payload(row: Any, files: list[Attachment]) -> dict[str, Any]:
    """What a request tells the partner (`row`: the stored request)."""
    return {"request_type": row.request_type, "request_ref": str(row.id),
            "subject": {"kind": row.subject_kind, "text": row.subject},
            "question": row.question, "legal_basis": row.legal_basis,
            "deadline": row.deadline.isoformat(), "priority": row.priority,
            "mrn": row.mrn, "disclose": row.disclose_requested,
            "attachments": attachments_out(files)}


def reply_payload(reply: Reply, files: list[Attachment]) -> dict[str, Any]:
    return {"outcome": reply.outcome, "answer": reply.answer, "reason": reply.reason,
            "finding": reply.finding, "disclosed": reply.disclosed,
            "attachments": attachments_out(files)}


def _refused(what: str) -> ExchangeRefused:
    return ExchangeRefused("CW-EXCH-PAYLOAD", f"A mutual-assistance message {what}")


def _text(payload: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = payload.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise _refused(f"needs {name} as text")
    return value


def attachments_in(payload: dict[str, Any]) -> list[Attachment]:
    """The files a message carries, each checked against its SHA-256 (a mismatch refuses the
    whole message: CW-ASSIST-ATTACHMENT-HASH, nothing stored)."""
    raw = payload.get("attachments") or []
    if not isinstance(raw, list):
        raise _refused("lists its attachments")
    files, claimed = [], []
    for item in raw:
        if not isinstance(item, dict):
            raise _refused("lists its attachments as objects")
        try:
            data = base64.b64decode(str(item.get("data", "")), validate=True)
        except (binascii.Error, ValueError):
            raise _refused("carries attachments in base64") from None
        files.append(Attachment(str(item.get("filename") or "attachment")[:200],
                                str(item.get("content_type") or "application/octet-stream")
                                [:100], data))
        claimed.append(str(item.get("sha256") or "-"))
    try:
        check_attachments(files, claimed)
    except ClearwayError as exc:  # the partner's bytes: refused under the code, not a 500
        raise ExchangeRefused(exc.code, f"{exc.message}; nothing was stored") from None
    return files


def read_request(payload: dict[str, Any]) -> dict[str, Any]:
    """The stored fields of a received request, or CW-EXCH-PAYLOAD."""
    kind = payload.get("request_type")
    if kind not in REQUEST_TYPES:
        raise _refused(f"names request_type, one of {', '.join(REQUEST_TYPES)}")
    subject = payload.get("subject") or {}
    if not isinstance(subject, dict):
        raise _refused("describes its subject as an object")
    try:
        deadline = datetime.fromisoformat(str(payload.get("deadline")))
    except ValueError:
        raise _refused("has a deadline (ISO 8601 time)") from None
    if deadline.tzinfo is None:
        raise _refused("has a deadline with its time zone")
    try:
        deadline = plausible_time(deadline)
    except ValueError:
        raise _refused("has a deadline between the years 1900 and 9000") from None
    priority = payload.get("priority") or "normal"
    return {"request_type": kind, "subject_kind": subject.get("kind"),
            "subject": str(subject.get("text") or ""), "question": _text(payload, "question"),
            "legal_basis": _text(payload, "legal_basis"), "deadline": deadline,
            "priority": priority if priority in ("normal", "urgent") else "normal",
            "mrn": _text(payload, "mrn", required=False),
            "disclose_requested": payload.get("disclose") is True}


def read_reply(payload: dict[str, Any]) -> Reply:
    outcome = payload.get("outcome")
    if outcome not in OUTCOMES:
        raise _refused(f"reply names its outcome, one of {', '.join(OUTCOMES)}")
    finding = payload.get("finding")
    if finding is not None and finding not in FINDINGS:
        raise _refused(f"reply's finding is one of {', '.join(FINDINGS)}")
    return Reply(outcome=str(outcome), answer=_text(payload, "answer", required=False) or "",
                 reason=_text(payload, "reason", required=False), finding=finding,
                 disclosed=_text(payload, "disclosed", required=False))
