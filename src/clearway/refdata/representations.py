"""Registered customs representations (list `representations`): who may lodge for whom.

A trader lodging a declaration whose declarant is another trader must hold a registered
authorisation from that declarant (UCC art. 18-19: direct or indirect representation), valid
on the day and for the declaration type. Pure: built from the list's checked rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

Index = dict[tuple[str, str], list["Representation"]]


@dataclass(frozen=True)
class Representation:
    """`agent_id` may lodge for `principal_id` (`kind` direct or indirect) the declaration
    types of `scope` (empty: every type) from `valid_from` to `valid_to`, both inclusive."""

    agent_id: str
    principal_id: str
    kind: str
    scope: frozenset[str]
    valid_from: date | None = None
    valid_to: date | None = None

    def covers(self, declaration_type: str, on: date) -> bool:
        return ((self.valid_from or date.min) <= on <= (self.valid_to or date.max)
                and (not self.scope or declaration_type in self.scope))


def index(rows: list[tuple[int, dict[str, str]]]) -> Index:
    """(agent, principal) -> its authorisations (several may cover other types or dates)."""
    found: Index = {}
    for _, r in rows:
        found.setdefault((r["agent_id"], r["principal_id"]), []).append(Representation(
            r["agent_id"], r["principal_id"], r["kind"],
            frozenset() if r["scope"] == "*" else frozenset(r["scope"].split("|")),
            date.fromisoformat(r["valid_from"]) if r["valid_from"] else None,
            date.fromisoformat(r["valid_to"]) if r["valid_to"] else None))
    return found
