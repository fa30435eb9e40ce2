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
