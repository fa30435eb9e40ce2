"""An agency's own selectivity over the items routed to it. Pure.

Rules, in order, every reason that holds kept:
1. an item with no satisfying document declared must be decided by an officer (the
   formality cannot be checked without one);
2. the agency's own risk profiles (written in the same language and run by the same engine
   as customs' profiles, on the same item frame, but never weighing on customs' channel):
   a hit about one of the agency's routed items (or about the whole declaration) selects
   the task when its profile is hard (a channel above green), and soft hits select it when
   their weights together (1 - prod(1 - w), as customs combines them) reach `SELECT_AT`;
3. otherwise the agency's officers look at a random share of its tasks
   (`Agency.inspection_rate`), so a trader who always declares a certificate can still be
   checked.
A task not selected is released by the system at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from clearway.agencies.model import Agency, Routed
from clearway.risk.engine.batch import combine
from clearway.risk.engine.decision import Hit

# Soft hits select a task when their combined weight reaches this (customs' yellow line).
SELECT_AT = 0.5


def relevant(hits: Sequence[Hit], routed: Sequence[Routed]) -> list[Hit]:
    """The hits about the routed items, or about the declaration as a whole."""
    items = {r.item for r in routed}
    return [h for h in hits if h.item is None or h.item in items]


def profile_reason(hit: Hit) -> str:
    why = f"profile {hit.ref}: {hit.reason}"
    if hit.item is not None:
        why += f" (item {hit.item})"
    return why + (f"; to do: {hit.instructions}" if hit.instructions else "")


def select_task(routed: Sequence[Routed], agency: Agency, draw: float,
                hits: Sequence[Hit] = ()) -> tuple[bool, list[str]]:
    """(selected, why) for one agency's items of one declaration; `draw` in [0, 1);
    `hits`: the agency's own profile hits on the declaration."""
    why: list[str] = []
    missing = [r.item for r in routed if r.missing]
    if missing:
        shown = ", ".join(str(i) for i in missing)
        why.append(f"no satisfying document declared on item(s) {shown}")
    found = relevant(hits, routed)
    weight = combine([h.weight for h in found if not h.hard])
    if any(h.hard for h in found) or (found and weight >= SELECT_AT):
        why.extend(profile_reason(h) for h in found)
    if why:
        return True, why
    if draw < agency.inspection_rate:
        return True, [f"random selection ({agency.inspection_rate:.0%} of tasks)"]
    if found:
        return False, [f"profile hits weigh {weight:.2f}, under {SELECT_AT}; every formality "
                       "has its document; not selected"]
    return False, ["every formality has its document; not selected"]
