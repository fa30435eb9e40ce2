"""Instructions and circulars as plain data, and the rules of who they concern. Pure: no
storage.

An instruction concerns an officer when it names neither qualifications nor offices (all
staff: the code of conduct), when the officer holds one of its qualifications on the day, or
when the officer is on the roster of one of its offices. It governs a control task when it
names one of the task's risk areas or needed qualifications, or when the task's control
instructions cite its code (a profile's `instructions: "... see IPR-608"`). Each version is
acknowledged anew; only the version in force counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from clearway.training.model import CODE_PATTERN, QUALIFICATION_PATTERN

AREA_PATTERN = r"^[a-z][a-z_]{1,39}$"
OFFICE_PATTERN = r"^[A-Z0-9]{2,16}$"
Qualification = Annotated[str, Field(pattern=QUALIFICATION_PATTERN)]
Office = Annotated[str, Field(pattern=OFFICE_PATTERN)]
AreaName = Annotated[str, Field(pattern=AREA_PATTERN)]


class InstructionTerms(BaseModel):
    """What one version says and whom it concerns (all of it is replaced by a new version)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["instruction", "circular"] = "instruction"
    title: Annotated[str, Field(min_length=1, max_length=200)]
    body: Annotated[str, Field(min_length=1, max_length=20000)]
    owner: Annotated[str, Field(min_length=1, max_length=120,
                                description="The unit answerable for it, e.g. IPR unit")]
    valid_from: date
    valid_to: Annotated[date | None, Field(description="Last day in force; none: open")] = None
    qualifications: Annotated[list[Qualification], Field(max_length=20, description=(
        "Officers holding one of these qualifications must acknowledge it"))] = []
    offices: Annotated[list[Office], Field(max_length=50, description=(
        "Officers on the duty roster of one of these offices must acknowledge it"))] = []
    areas: Annotated[list[AreaName], Field(max_length=10, description=(
        "Risk areas (valuation, ipr, dual_use...) of the controls it governs"))] = []

    @model_validator(mode="after")
    def _period(self) -> InstructionTerms:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class InstructionIn(InstructionTerms):
    code: Annotated[str, Field(pattern=CODE_PATTERN, description="e.g. IPR-608")]


@dataclass(frozen=True)
class Instruction:
    """One published version."""

    code: str
    version: int
    terms: InstructionTerms
    published_at: datetime
    published_by: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.code, self.version)

    def in_force(self, day: date) -> bool:
        t = self.terms
        return t.valid_from <= day and (t.valid_to is None or day <= t.valid_to)

    @property
    def for_everyone(self) -> bool:
        return not self.terms.qualifications and not self.terms.offices

    def concerns(self, qualifications: Iterable[str], offices: Iterable[str]) -> bool:
        """Whether an officer holding `qualifications` on the roster of `offices` must
        acknowledge it."""
        return (self.for_everyone or bool(set(self.terms.qualifications) & set(qualifications))
                or bool(set(self.terms.offices) & set(offices)))

    def governs(self, areas: Iterable[str], qualifications: Iterable[str],
                texts: Iterable[str]) -> bool:
        """Whether a control of `areas`, needing `qualifications`, with control
        instructions `texts`, is done under this instruction."""
        return (bool(set(self.terms.areas) & set(areas))
                or bool(set(self.terms.qualifications) & set(qualifications))
                or any(cites(text, self.code) for text in texts))


def cites(text: str, code: str) -> bool:
    """Whether `text` names `code` as a word of its own ("see IPR-608", not "IPR-6080")."""
    return re.search(rf"(?<![A-Za-z0-9-]){re.escape(code)}(?![A-Za-z0-9-])", text) is not None


def current(versions: Iterable[Instruction], day: date) -> dict[str, Instruction]:
    """The latest version of each code, if that version is in force on `day` (a code whose
    latest version has lapsed is no longer in force: a new version replaces, never adds)."""
    latest: dict[str, Instruction] = {}
    for found in versions:
        if found.code not in latest or found.version > latest[found.code].version:
            latest[found.code] = found
    return {code: i for code, i in sorted(latest.items()) if i.in_force(day)}


@dataclass(frozen=True)
class OfficeRate:
    """Acknowledgements due and given by the officers on an office's roster."""

    office: str
    officers: int
    due: int  # (officer, instruction) pairs where the instruction concerns the officer
    acknowledged: int

    @property
    def rate(self) -> float | None:
        return self.acknowledged / self.due if self.due else None


@dataclass(frozen=True)
class Officer:
    """An officer as the rules see them: what they hold, where they serve, what they signed."""

    officer_id: int
    qualifications: frozenset[str]
    offices: frozenset[str]
    acknowledged: frozenset[tuple[str, int]]


def office_rates(in_force: list[Instruction], officers: Iterable[Officer]) -> list[OfficeRate]:
    """Per office on the roster: the acknowledgements due from its officers and how many are
    given (an officer on two offices' rosters counts at both)."""
    due: dict[str, list[int]] = {}
    people: dict[str, int] = {}
    for officer in officers:
        owed = [i for i in in_force if i.concerns(officer.qualifications, officer.offices)]
        given = sum(1 for i in owed if i.key in officer.acknowledged)
        for office in officer.offices:
            counts = due.setdefault(office, [0, 0])
            counts[0] += len(owed)
            counts[1] += given
            people[office] = people.get(office, 0) + 1
    return [OfficeRate(o, people[o], d, a) for o, (d, a) in sorted(due.items())]
