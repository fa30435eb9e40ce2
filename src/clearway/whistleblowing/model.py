"""The anonymous whistleblowing channel: a report, its receipt code and its thread of
messages. Nothing here names or traces the sender: the code is made from the operating
system's random source (not the injected generator: a guessable code would open the thread
to anyone), shown once, and kept only as its SHA-256."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date

from clearway.errors import ClearwayError
from clearway.integrity.cases import ALLEGATIONS, CLOSED

TOPICS = ALLEGATIONS  # what a report is about: the integrity register's allegation types
MAX_TEXT = 10_000  # characters of a report or message
RECEIPT_BYTES = 20  # 160 bits: no one guesses a code, however many tries the limits allow
REPORTER, AUDITOR = "reporter", "auditor"
# What the reporter is told of the case (never the auditor's notes or the case's outcome).
STAGES = {"open": "received", "investigating": "under investigation",
          "substantiated": "closed", "unfounded": "closed"}
_NOT_CODE = re.compile(r"[^A-Z2-7]")


def new_receipt() -> str:
    """A fresh receipt code: 32 base-32 characters in groups of four (XXXX-XXXX-...)."""
    raw = base64.b32encode(secrets.token_bytes(RECEIPT_BYTES)).decode("ascii")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def receipt_hash(code: str) -> str:
    """The stored form of a receipt code: SHA-256 of its characters, case, spaces and
    dashes left out (so a code copied with spaces still reads)."""
    return hashlib.sha256(_NOT_CODE.sub("", code.upper()).encode("ascii")).hexdigest()


def invalid(message: str) -> ClearwayError:
    return ClearwayError(code="CW-WHISTLE-INVALID", message=message)


def text_checked(text: str, what: str = "report") -> str:
    found = (text or "").strip()
    if not found:
        raise invalid(f"Write the {what}")
    if len(found) > MAX_TEXT:
        raise invalid(f"The {what} is longer than {MAX_TEXT:,} characters")
    return found


def topic_checked(topic: str) -> str:
    if topic not in TOPICS:
        raise invalid(f"Unknown topic {topic!r}; one of: {', '.join(TOPICS)}")
    return topic


def unknown_receipt() -> ClearwayError:
    return ClearwayError(code="CW-WHISTLE-RECEIPT", message="No report has this receipt code")


def closed() -> ClearwayError:
    return ClearwayError(code="CW-WHISTLE-CLOSED",
                         message="The case of this report is closed; it can only be read")


@dataclass(frozen=True)
class Message:
    author: str  # reporter / auditor
    body: str
    written_on: date


@dataclass(frozen=True)
class Report:
    """A report as the auditor reads it (the reporter sees `stage`, not `case_status`)."""

    case_reference: str
    topic: str
    received_on: date
    case_status: str
    messages: tuple[Message, ...]

    @property
    def stage(self) -> str:
        return STAGES.get(self.case_status, "received")

    @property
    def closed(self) -> bool:
        return self.case_status in CLOSED

    @property
    def awaiting_auditor(self) -> bool:
        """The reporter wrote last: the auditor has something to read and answer."""
        return bool(self.messages) and self.messages[-1].author == REPORTER
