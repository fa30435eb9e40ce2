"""Declarations of interest as plain rules: the kinds of link, the statuses, the yearly
renewal and the shape of a party's identifier. No storage, no HTTP."""

from __future__ import annotations

import re
from datetime import date, timedelta

from clearway.errors import ClearwayError

KINDS = ("relative", "former_employer", "shareholding", "side_activity", "other")
KIND_WORDS = {"relative": "a relative", "former_employer": "a former employer",
              "shareholding": "a shareholding", "side_activity": "a side activity",
              "other": "another link"}


class Status:
    PENDING = "pending"  # filed or renewed, awaiting a supervisor's review
    NOTED = "noted"  # reviewed: the link is on record as declared
    RETURNED = "returned"  # reviewed: the supervisor asks the officer to complete it
    WITHDRAWN = "withdrawn"  # the officer ended the link: it no longer excludes


STATUSES = (Status.PENDING, Status.NOTED, Status.RETURNED, Status.WITHDRAWN)
REVIEW_OUTCOMES = (Status.NOTED, Status.RETURNED)
# A declaration holds for a year; renewing it confirms the link for another year.
VALID_DAYS = 365
# EORI-style identifiers: letters and digits (a country prefix, then the number).
_PARTY = re.compile(r"[A-Z0-9]{3,40}")


def party_key(raw: str) -> str:
    """A party identifier as stored and compared: upper case, without spaces."""
    key = "".join(raw.split()).upper()
    if not _PARTY.fullmatch(key):
        raise ClearwayError(code="CW-INTEREST-FIELD",
                            message="A party is named by its EORI-style identifier: 3 to 40 "
                            "letters and digits")
    return key


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ClearwayError(code="CW-INTEREST-FIELD",
                            message=f"The kind of link is one of {', '.join(KINDS)}")
    return kind


def valid_until(day: date) -> date:
    return day + timedelta(days=VALID_DAYS)


def renewal_overdue(status: str, until: date, today: date) -> bool:
    """A declaration not renewed in time. It still excludes the officer (a link does not end
    because its paperwork is late); the officer and the supervisors see it flagged."""
    return status != Status.WITHDRAWN and today > until


def excludes(status: str) -> bool:
    """Every declared link excludes until withdrawn: pending, noted, returned or overdue."""
    return status != Status.WITHDRAWN
