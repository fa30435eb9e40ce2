"""An agency's own selection: missing documents, its own profiles' hits about its routed
items (hard ones select; soft ones when they weigh enough together), then its random share."""

from __future__ import annotations

import pytest

from clearway.agencies.model import Agency, AgencyKind, Formality, Routed
from clearway.agencies.selection import SELECT_AT, select_task
from clearway.risk.engine.decision import Area, Channel, Hit, Source

PH = Agency("PH", "Plant health", AgencyKind.PLANT_HEALTH, inspection_rate=0.1)


def routed(item: int, *documents: str) -> Routed:
    return Routed(item=item, agency="PH", rule="PH-FRUIT", formality=Formality.CERTIFICATE,
                  documents=documents, move_before_decision=False)


def hit(ref: str, weight: float = 0.3, item: int | None = 1, hard: bool = False) -> Hit:
    return Hit(Source.PROFILE, ref, Area.HEALTH, f"{ref} reason", weight=weight,
               min_channel=Channel.YELLOW if hard else None, hard=hard, item=item,
               instructions="sample" if hard else None)


CASES = [
    # (name, routed items, hits, draw, selected, a word of the first reason)
    ("documents declared, nothing else: not selected", [routed(1, "N851")], [], 0.5, False,
     "every formality"),
    ("a document missing: selected", [routed(1)], [], 0.5, True, "no satisfying document"),
    ("the random share", [routed(1, "N851")], [], 0.05, True, "random selection"),
    ("a hard hit on a routed item", [routed(1, "N851")], [hit("PH-1 v1", hard=True)], 0.5,
     True, "profile PH-1 v1"),
    ("a hard hit on the whole declaration", [routed(1, "N851")],
     [hit("PH-1 v1", item=None, hard=True)], 0.5, True, "profile PH-1 v1"),
    ("a hard hit on another agency's item does not count", [routed(1, "N851")],
     [hit("PH-1 v1", item=2, hard=True)], 0.5, False, "every formality"),
    ("one soft hit under the line", [routed(1, "N851")], [hit("PH-1 v1")], 0.5, False,
     "profile hits weigh 0.30"),
    ("soft hits reaching the line together", [routed(1, "N851")],
     [hit("PH-1 v1", 0.3), hit("PH-2 v1", 0.3)], 0.5, True, "profile PH-1 v1"),
    ("a missing document and a hit: both reasons kept", [routed(1)],
     [hit("PH-1 v1", hard=True)], 0.5, True, "no satisfying document"),
]


@pytest.mark.parametrize(("name", "items", "hits", "draw", "selected", "why"), CASES,
                         ids=[c[0] for c in CASES])
def test_selection_table(name: str, items: list[Routed], hits: list[Hit], draw: float,
                         selected: bool, why: str) -> None:
    chosen, reasons = select_task(items, PH, draw, hits)
    assert chosen is selected
    assert why in reasons[0], reasons


def test_every_reason_is_kept_with_what_to_do() -> None:
    _chosen, reasons = select_task([routed(1)], PH, 0.5, [hit("PH-1 v1", hard=True)])
    assert reasons[1] == "profile PH-1 v1: PH-1 v1 reason (item 1); to do: sample"
    assert 0.3 < SELECT_AT < 0.51   # one 0.3 hit stays under it, two (0.51) reach it
