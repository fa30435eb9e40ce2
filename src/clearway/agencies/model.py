"""Agencies and the regulatory matrix, as plain objects.

A matrix rule says: goods under this HS prefix, in these declaration types and procedures,
from these origins or to these destinations (and, optionally, for this intended use) need
this agency's formality; these document codes (DE 2/3) satisfy it; and the goods may or may
not move before the agency has decided. Empty sets mean "any".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Formality(StrEnum):
    CERTIFICATE = "certificate"
    LICENCE = "licence"
    PERMIT = "permit"
    INSPECTION = "inspection"


@dataclass(frozen=True)
class MatrixRule:
    id: str                               # stable, e.g. "PH-PLANTS-IM"
    hs_prefix: str                        # 2 to 10 digits of the commodity code
    agency: str                           # the agency's code, e.g. "PH"
    formality: Formality
    declaration_types: frozenset[str] = frozenset()   # IM, EX, CO
    procedures: frozenset[str] = frozenset()          # requested procedure (DE 1/10), 2 digits
    origins: frozenset[str] = frozenset()             # item's country of origin (DE 5/15)
    destinations: frozenset[str] = frozenset()        # country of destination (DE 5/8)
    intended_use: str | None = None                   # an additional procedure code (DE 1/11)
    documents: frozenset[str] = frozenset()           # document codes that satisfy it
    move_before_decision: bool = False
    valid_from: date = date.min
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Routed:
    """One item routed to one agency by one rule: what the agency must decide on."""

    item: int                             # the goods item number (DE 1/6)
    agency: str
    rule: str
    formality: Formality
    documents: tuple[str, ...]            # the satisfying document codes declared on the item
    move_before_decision: bool

    @property
    def missing(self) -> bool:
        """No document that satisfies the formality was declared on the item."""
        return not self.documents


class AgencyKind(StrEnum):
    PLANT_HEALTH = "plant_health"
    VETERINARY = "veterinary"
    PUBLIC_HEALTH = "public_health"
    MARKET_SURVEILLANCE = "market_surveillance"
    DUAL_USE_LICENSING = "dual_use_licensing"
    OTHER = "other"


DEFAULT_TARGET_MINUTES = 10   # TradeNet: 90 % of permits decided within 10 minutes


@dataclass(frozen=True)
class Agency:
    """An agency at the border with its own officers. `inspection_rate`: the share of its
    tasks (with every document declared) its officers look at anyway, drawn at random."""

    code: str                             # 2 to 8 capitals, e.g. "PH"
    name: str
    kind: AgencyKind
    target_minutes: int = DEFAULT_TARGET_MINUTES
    inspection_rate: float = 0.0


class TaskStatus(StrEnum):
    OPEN = "open"                         # waiting for an officer's decision
    INSPECTING = "inspecting"             # the agency inspects; its decision follows
    AWAITING_DOCUMENT = "awaiting_document"   # the trader was asked for a document
    DECIDED = "decided"                   # released (with or without conditions) or refused


class AgencyDecision(StrEnum):
    RELEASE = "release"
    RELEASE_WITH_CONDITIONS = "release_with_conditions"
    INSPECT = "inspect"
    REFUSE = "refuse"
    REQUEST_DOCUMENT = "request_document"


FINAL = frozenset({AgencyDecision.RELEASE, AgencyDecision.RELEASE_WITH_CONDITIONS,
                   AgencyDecision.REFUSE})
RELEASING = frozenset({AgencyDecision.RELEASE, AgencyDecision.RELEASE_WITH_CONDITIONS})
# What each decision leaves the task in; a final decision closes it.
AFTER: dict[AgencyDecision, TaskStatus] = {
    AgencyDecision.RELEASE: TaskStatus.DECIDED,
    AgencyDecision.RELEASE_WITH_CONDITIONS: TaskStatus.DECIDED,
    AgencyDecision.REFUSE: TaskStatus.DECIDED,
    AgencyDecision.INSPECT: TaskStatus.INSPECTING,
    AgencyDecision.REQUEST_DOCUMENT: TaskStatus.AWAITING_DOCUMENT,
}


@dataclass(frozen=True)
class DecisionIn:
    """An agency officer's decision; `text` is the conditions, the reason of a refusal or
    the document asked for, as the decision needs."""

    decision: AgencyDecision
    text: str | None = None
    shared: bool = False                  # the reason may be read by the other parties


# Which decisions need words, and what they are called.
TEXT_NEEDED: dict[AgencyDecision, str] = {
    AgencyDecision.RELEASE_WITH_CONDITIONS: "the conditions",
    AgencyDecision.REFUSE: "the reason",
    AgencyDecision.REQUEST_DOCUMENT: "the document to supply",
}
