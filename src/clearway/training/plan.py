"""The yearly training plan as plain data: the needs the data shows, and the plan's sessions
against them. Pure: no storage.

Needs, per office and qualification, on a day (docs/training.md, "The training plan"):
- a qualification is **required** at an office when an active customs risk profile asks for
  it (every office: a profile may select at any of them) or when a control task opened there
  in the past year needed it;
- the office's **officers** are those the duty roster puts there (`staffing.ROSTER_DAYS`);
- **holders** hold it valid on the day; **expiring** ones lose it within the next year
  (no later training renews it);
- **waited**: tasks of the past year that needed it and found nobody eligible when opened;
- **to train** = seats to plan: the office should keep `MIN_HOLDERS` holders (one more
  where tasks waited), at most all its officers, counting only holders who stay valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from clearway.training.model import CODE_PATTERN, add_months

# Two holders per office, so that one absence never leaves the office without.
MIN_HOLDERS = 2
Money = Annotated[Decimal, Field(ge=0, le=Decimal("999999999999"), allow_inf_nan=False,
                                 decimal_places=2)]


class SessionIn(BaseModel):
    """A course session to plan."""

    model_config = ConfigDict(extra="forbid")
    course_code: Annotated[str, Field(pattern=CODE_PATTERN)]
    office: Annotated[str | None, Field(min_length=2, max_length=16, pattern=r"^[A-Z0-9]+$",
                                        description="For one office's officers; none: any")] = None
    planned_on: Annotated[date, Field(description="The day it is planned (its year is the "
                                                  "plan's)")]
    seats: Annotated[int, Field(ge=1, le=1000)]
    trainer: Annotated[str, Field(min_length=1, max_length=120)]
    budget: Money


class HeldIn(BaseModel):
    """A planned session held: when, what it cost, who attended (each gets a training
    record of the course on that day)."""

    model_config = ConfigDict(extra="forbid")
    held_on: date
    spent: Money
    attendees: Annotated[list[Annotated[int, Field(ge=1, le=2**62)]],
                         Field(min_length=1, max_length=1000)]


@dataclass(frozen=True)
class TaskNeed:
    """A control task of the past year that needed qualifications, and whether it waited."""

    office: str
    qualifications: frozenset[str]
    waited: bool


@dataclass(frozen=True)
class Need:
    office: str
    qualification: str
    required_by: tuple[str, ...]  # profile codes, and "tasks" when tasks needed it
    officers: int
    holders: int
    expiring: int
    tasks: int
    waited: int

    @property
    def to_train(self) -> int:
        target = min(self.officers, MIN_HOLDERS + (1 if self.waited else 0))
        return max(0, target - (self.holders - self.expiring))


def holding_ends(records: Iterable[tuple[int, str, date, date | None]],
                 day: date) -> dict[tuple[int, str], date | None]:
    """(officer, qualification) -> the first day the officer no longer holds it (None:
    never), for what they hold on `day`. Records: (officer, qualification, completed_on,
    expires_on)."""
    ends: dict[tuple[int, str], date | None] = {}
    for officer, qualification, completed, expires in records:
        if completed > day or (expires is not None and expires <= day):
            continue
        key = (officer, qualification)
        before = ends.get(key, expires)
        ends[key] = None if before is None or expires is None else max(before, expires)
    return ends


def needs(day: date, required: Mapping[str, Iterable[str]], roster: Mapping[int, Iterable[str]],
          ends: Mapping[tuple[int, str], date | None], tasks: Iterable[TaskNeed]) -> list[Need]:
    """The needs per (office, qualification): see the module's docstring. `required`:
    qualification -> the profiles requiring it; `roster`: officer -> offices."""
    staff: dict[str, set[int]] = {}
    for officer, offices in roster.items():
        for office in offices:
            staff.setdefault(office, set()).add(officer)
    pairs: dict[tuple[str, str], list[int]] = {
        (o, q): [0, 0] for o in staff for q in required}
    for task in tasks:
        for q in task.qualifications:
            counts = pairs.setdefault((task.office, q), [0, 0])
            counts[0] += 1
            counts[1] += int(task.waited)
    horizon = add_months(day, 12)
    found = []
    for (office, q), (count, waited) in sorted(pairs.items()):
        people = staff.get(office, set())
        held = [ends[(p, q)] for p in people if (p, q) in ends]
        found.append(Need(office, q, tuple(sorted(required.get(q, ()))) +
                          (("tasks",) if count else ()), len(people), len(held),
                          sum(1 for end in held if end is not None and end < horizon),
                          count, waited))
    return found
