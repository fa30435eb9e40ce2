"""Conferences, their reporting deadline and reminders, the sections of a progress report and
the steps of its workflow. Pure: no storage, no clock (today is given).

A conference is held on `held_on`; each participating administration reports at least
`lead_months` calendar months before it (the document asks for one month): the deadline is
`held_on` minus that many months, end-of-month days clamped (31 March - 1 month = 28/29 Feb).
Reminders fall `reminder_days` days before the deadline. A report covers its conference's
period: from `period_start` up to, not including, the deadline.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from clearway.errors import ClearwayError

DEFAULT_REMINDERS = (30, 14, 7, 1)


@dataclass(frozen=True)
class Section:
    """One section of the report: one conclusion of the Naples document (R1-R8)."""

    key: str
    number: int
    title: str
    requirement: str
    asks: str   # what the document asks the administration to report


SECTIONS: tuple[Section, ...] = (
    Section("risk", 1, "Risk analysis for safety and security (incl. AEO)", "R1",
            "Report on the latest activities in risk analysis and on further plans."),
    Section("ipr_dualuse", 2, "Intellectual property rights and dual-use goods", "R2",
            "Provide details on what has been done in this regard."),
    Section("assistance", 3, "Mutual assistance and data protection", "R3",
            "Report on the latest developments in this area."),
    Section("integrity", 4, "Fight against customs-related corruption", "R4",
            "Report on all actions carried out and on the number of detected cases and "
            "sanctions taken."),
    Section("training", 5, "Training strategy and capacity building", "R5",
            "Provide information on the adoption of a strategy and its implementation."),
    Section("single_window", 6, "Single window", "R6",
            "Report on the situation and on the future plans."),
    Section("border", 7, "Integrated border management", "R7",
            "Report on the situation and on the future plans."),
    Section("messaging", 8, "Electronic messaging systems", "R8",
            "Report on the electronic messages exchanged with traders and administrations."),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
BY_KEY = {s.key: s for s in SECTIONS}


class Status(StrEnum):
    DRAFT = "draft"          # section owners write and complete their sections
    REVIEWED = "reviewed"    # a reviewer read it whole (no section of theirs)
    APPROVED = "approved"    # the head of administration approved: frozen, hash audited
    SUBMITTED = "submitted"  # sent to the conference
    IMPORTED = "imported"    # another administration's submitted report, read from a file


FROZEN = frozenset({Status.APPROVED, Status.SUBMITTED, Status.IMPORTED})


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months (negative: back), the day clamped."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Conference:
    code: str
    name: str
    held_on: date
    administrations: tuple[str, ...]
    period_start: date
    lead_months: int = 1
    reminder_days: tuple[int, ...] = DEFAULT_REMINDERS

    @property
    def deadline(self) -> date:
        """The last day a report may be submitted on time."""
        return add_months(self.held_on, -self.lead_months)

    def reminders(self) -> list[date]:
        """The reminder days, earliest first."""
        return sorted({self.deadline - timedelta(days=d) for d in self.reminder_days})


def check_conference(conference: Conference) -> None:
    """Refuse terms that make no report possible."""
    if conference.period_start >= conference.deadline:
        raise ClearwayError("CW-PROGRESS-CONFERENCE", f"The period must start before the "
                            f"reporting deadline {conference.deadline}")
    if any(d < 0 for d in conference.reminder_days):
        raise ClearwayError("CW-PROGRESS-CONFERENCE", "Reminders fall before the deadline")


@dataclass(frozen=True)
class Reminder:
    on: date
    days_before: int


@dataclass(frozen=True)
class Timing:
    """Where a report stands against its conference's deadline on `today`."""

    deadline: date
    days_left: int
    due: Reminder | None   # the latest reminder that has fallen, while not yet submitted
    upcoming: list[Reminder] = field(default_factory=list)
    late: bool = False     # past the deadline and not submitted, or submitted after it


def timing(conference: Conference, today: date, submitted_on: date | None) -> Timing:
    deadline = conference.deadline
    reminders = [Reminder(on, (deadline - on).days) for on in conference.reminders()]
    fallen = [r for r in reminders if r.on <= today]
    done = submitted_on is not None
    due = fallen[-1] if fallen and not done and today <= deadline else None
    late = (submitted_on > deadline) if done and submitted_on else today > deadline
    return Timing(deadline, (deadline - today).days, due,
                  [r for r in reminders if r.on > today], late)


def canonical(content: dict[str, Any]) -> bytes:
    """The bytes a report's hash is taken over: JSON with sorted keys, no spaces, UTF-8."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


@dataclass(frozen=True)
class SectionState:
    key: str
    owner: str | None        # the user name of the responsible manager
    narrative: str
    completed_by: str | None


def reviewable(sections: list[SectionState]) -> None:
    """Review needs every section completed by its owner, with a narrative."""
    missing = [s.key for s in sections if not s.completed_by or not s.narrative.strip()]
    if missing:
        raise ClearwayError("CW-PROGRESS-INCOMPLETE",
                            "Sections not completed yet: " + ", ".join(missing))


def authors(sections: list[SectionState]) -> set[str]:
    return {s.completed_by for s in sections if s.completed_by}


def check_reviewer(reviewer: str, sections: list[SectionState]) -> None:
    """Four eyes: nobody reviews a report with a section of their own."""
    if reviewer in authors(sections):
        raise ClearwayError("CW-PROGRESS-FOUR-EYES",
                            "You completed a section of this report: another reviews it")


def check_approver(approver: str, reviewer: str | None, sections: list[SectionState]) -> None:
    """Four eyes: the head of administration approves what another reviewed and others
    wrote."""
    if approver == reviewer:
        raise ClearwayError("CW-PROGRESS-FOUR-EYES",
                            "You reviewed this report: it needs another person's approval")
    if approver in authors(sections):
        raise ClearwayError("CW-PROGRESS-FOUR-EYES",
                            "You completed a section of this report: another approves it")


def require_status(status: Status, *allowed: Status) -> None:
    if status in FROZEN and Status.DRAFT in allowed:
        raise ClearwayError("CW-PROGRESS-FROZEN", f"The report is {status}: it no longer "
                            "changes; revise it as a new version")
    if status not in allowed:
        raise ClearwayError("CW-PROGRESS-STATE", f"The report is {status}, not "
                            + " or ".join(a.value for a in allowed))
