"""Partnerships with trade (R1): memoranda of understanding (MoU) with trade associations,
carriers and public bodies, the traders given their facilitations, and the record of
consultations with trade and their follow-up actions. Plain objects and their rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clearway.errors import ClearwayError

KINDS = ("trade_association", "carrier", "public_body")


def invalid(message: str) -> ClearwayError:
    return ClearwayError(code="CW-MOU-INVALID", message=message)


def consultation_invalid(message: str) -> ClearwayError:
    return ClearwayError(code="CW-CONSULTATION-INVALID", message=message)


def filled(text: str, what: str, *, code: str = "CW-MOU-INVALID") -> str:
    found = (text or "").strip()
    if not found:
        raise ClearwayError(code=code, message=f"Give the {what}")
    return found


def span_checked(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise invalid("The validity ends before it starts")


@dataclass(frozen=True)
class Member:
    trader_id: str
    valid_from: date
    valid_to: date | None = None

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class Review:
    """A periodic review of the MoU: when, by whom, what was found, the next one due."""

    on: date
    by: str
    note: str
    next_review_on: date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "by": self.by, "note": self.note,
                "next_review_on": self.next_review_on.isoformat()
                if self.next_review_on else None}


@dataclass(frozen=True)
class Mou:
    code: str
    title: str
    kind: str
    parties: tuple[str, ...]
    scope: str
    obligations: tuple[str, ...]
    facilitations: tuple[str, ...]
    contacts: tuple[dict[str, str], ...]
    valid_from: date
    valid_to: date | None
    reviews: tuple[Review, ...] = ()
    members: tuple[Member, ...] = ()
    next_review_on: date | None = None

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def review_due(self, today: date) -> bool:
        return self.next_review_on is not None and self.next_review_on <= today

    def members_on(self, on: date) -> list[Member]:
        return [m for m in self.members if m.valid_on(on)] if self.valid_on(on) else []

    def checked(self) -> Mou:
        """The MoU if its fields hold, or a coded refusal."""
        if self.kind not in KINDS:
            raise invalid(f"Unknown partner kind {self.kind!r}; one of: {', '.join(KINDS)}")
        filled(self.code, "MoU's code")
        filled(self.title, "MoU's title")
        filled(self.scope, "MoU's scope")
        if not [p for p in self.parties if p.strip()]:
            raise invalid("Name at least one party")
        span_checked(self.valid_from, self.valid_to)
        return self

    def member_checked(self, member: Member) -> Member:
        """A new member's period must lie within the MoU's validity (one without an end
        runs as long as the MoU does)."""
        span_checked(member.valid_from, member.valid_to)
        filled(member.trader_id, "member's EORI")
        ends_after = (self.valid_to is not None and member.valid_to is not None
                      and member.valid_to > self.valid_to)
        if member.valid_from < self.valid_from or ends_after:
            raise invalid("A member's period must lie within the MoU's validity")
        return member


@dataclass(frozen=True)
class Action:
    id: int
    description: str
    owner: str
    due_on: date
    done_on: date | None = None
    done_note: str | None = None

    def overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_on < today


@dataclass(frozen=True)
class Consultation:
    reference: str
    held_on: date
    title: str
    participants: tuple[str, ...]
    topics: tuple[str, ...]
    outcomes: str
    mou_code: str | None = None
    actions: tuple[Action, ...] = field(default_factory=tuple)

    def open_actions(self) -> list[Action]:
        return [a for a in self.actions if a.done_on is None]

    def overdue(self, today: date) -> list[Action]:
        return [a for a in self.actions if a.overdue(today)]


def consultation_reference(year: int, number: int) -> str:
    """The record's reference of the `number`-th consultation held in `year`: CT-2026-0001."""
    return f"CT-{year}-{number:04d}"
