"""An agency's own selectivity over the items routed to it. Pure.

Rules, in order: an item with no satisfying document declared must be decided by an officer
(the formality cannot be checked without one); otherwise the agency's officers look at a
random share of its tasks (`Agency.inspection_rate`), so a trader who always declares a
certificate can still be checked. A task not selected is released by the system at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from clearway.agencies.model import Agency, Routed


def select_task(routed: Sequence[Routed], agency: Agency, draw: float) -> tuple[bool, list[str]]:
    """(selected, why) for one agency's items of one declaration; `draw` in [0, 1)."""
    missing = [r.item for r in routed if r.missing]
    if missing:
        shown = ", ".join(str(i) for i in missing)
        return True, [f"no satisfying document declared on item(s) {shown}"]
    if draw < agency.inspection_rate:
        return True, [f"random selection ({agency.inspection_rate:.0%} of tasks)"]
    return False, ["every formality has its document; not selected"]
