"""Who gets a control task: pure functions over plain data, so the rule can be tested alone.

The rule (docs/controls.md): only officers on duty at the declaration's office when the task
is assigned, holding EVERY qualification the task needs, are eligible; among them those with
the fewest open tasks; among those, one drawn uniformly at random with the injected rng. Nobody
chooses: not the officer, not the supervisor (who may only reassign, with a written reason).
Before the draw, officers who declared an interest in a party of the declaration are left out
(`without_conflicts`); the task's log counts them by kind of link, never naming them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Candidate:
    officer_id: int
    qualifications: frozenset[str]
    open_tasks: int


@dataclass(frozen=True)
class Shift:
    officer_id: int
    office: str
    starts_at: datetime
    ends_at: datetime

    def covers(self, office: str, at: datetime) -> bool:
        return self.office == office and self.starts_at <= at < self.ends_at


def on_duty(shifts: Iterable[Shift], office: str, at: datetime) -> list[int]:
    """Officers on duty at `office` at `at` (shift [starts_at, ends_at)), sorted."""
    return sorted({s.officer_id for s in shifts if s.covers(office, at)})


def build_candidates(shifts: Iterable[Shift], office: str, at: datetime,
                     holders: Mapping[str, Iterable[int]],
                     open_tasks: Mapping[int, int]) -> list[Candidate]:
    """The officers on duty at `office` at `at`, each with the qualifications it holds among
    `holders` (qualification -> officers holding it that day) and its open task count."""
    held = {q: set(ids) for q, ids in holders.items()}
    return [Candidate(officer, frozenset(q for q, ids in held.items() if officer in ids),
                      open_tasks.get(officer, 0))
            for officer in on_duty(shifts, office, at)]


def eligible(candidates: Sequence[Candidate], needs: frozenset[str]) -> list[Candidate]:
    return [c for c in candidates if needs <= c.qualifications]


def without_conflicts(candidates: Sequence[Candidate],
                      conflicts: Mapping[int, Iterable[str]]
                      ) -> tuple[list[Candidate], dict[str, int]]:
    """The candidates with no declared link to a party of the declaration, and how many were
    left out by kind of link (`conflicts`: officer -> kinds declared; an officer with several
    counts once, under the first kind in alphabetical order)."""
    kept: list[Candidate] = []
    excluded: dict[str, int] = {}
    for c in candidates:
        kinds = sorted(set(conflicts.get(c.officer_id, ())))
        if kinds:
            excluded[kinds[0]] = excluded.get(kinds[0], 0) + 1
        else:
            kept.append(c)
    return kept, excluded


def choose_officer(candidates: Sequence[Candidate], needs: frozenset[str],
                   rng: random.Random) -> Candidate | None:
    """One eligible candidate with the least workload, uniformly at random (None: nobody)."""
    pool = eligible(candidates, needs)
    if not pool:
        return None
    least = min(c.open_tasks for c in pool)
    # Sorted so that a given rng state always gives the same officer (reproducible draws).
    lightest = sorted((c for c in pool if c.open_tasks == least), key=lambda c: c.officer_id)
    return rng.choice(lightest)
