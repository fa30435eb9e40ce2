"""What a trader reads of an event: customs as the administration, details by allow-list."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from clearway.declarations.queries import administration, event_view
from clearway.storage.orm import EventRow

CUSTOMS = "customs:RS:RS001002"
NAMED = "officer olga (#42) saw it"
CASES: list[tuple[str, str, dict[str, Any], str, dict[str, Any]]] = [
    # kind, actor, stored detail -> actor and detail a trader reads
    ("lodged", "trader:tina", {}, "trader:tina", {}),
    ("accepted", "system", {"mrn": "26RS1"}, CUSTOMS, {"mrn": "26RS1"}),
    ("risk_assessed", "risk-engine", {"channel": "red", "hits": ["profile:P1"],
                                      "expected_value": 3.2}, CUSTOMS, {"channel": "red"}),
    ("under_control", "officer:olga", {"task": 7}, CUSTOMS, {}),
    ("released", "officer:olga", {"outcome": "regular", "revenue": None, "task": 7,
                                  "reason": NAMED, "officer": "olga"},
     CUSTOMS, {"outcome": "regular", "revenue": None}),
    ("detained", "officer:olga", {"outcome": "irregular", "revenue": "12.00",
                                  "assigned_to": 42}, CUSTOMS,
     {"outcome": "irregular", "revenue": "12.00"}),
    ("invalidated", "officer:olga", {"reason": NAMED}, CUSTOMS, {}),
    ("channel_changed", "supervisor:sue", {"from_channel": "red", "channel": "green",
                                           "by": "sue"}, CUSTOMS,
     {"from_channel": "red", "channel": "green"}),
    ("cancelled", "supervisor:sue", {"reason": NAMED}, CUSTOMS, {}),
    ("cancelled", "trader:tina", {"reason": "wrong invoice"}, "trader:tina",
     {"reason": "wrong invoice"}),
    ("amended", "trader:tina", {"version": 2, "reason": "typo"}, "trader:tina",
     {"version": 2, "reason": "typo"}),
    ("some_new_kind", "officer:olga", {"anything": NAMED}, CUSTOMS, {}),
]


@pytest.mark.parametrize(("kind", "actor", "detail", "actor_seen", "detail_seen"), CASES)
def test_trader_reads_the_administration_and_allowed_details(
        kind: str, actor: str, detail: dict[str, Any], actor_seen: str,
        detail_seen: dict[str, Any]) -> None:
    event = EventRow(at=datetime(2026, 1, 1, tzinfo=UTC), kind=kind, from_status=None,
                     to_status="x", actor=actor, detail=detail)
    seen = event_view(event, for_trader=True, customs=CUSTOMS)
    assert (seen["actor"], seen["detail"]) == (actor_seen, detail_seen)
    staff = event_view(event)
    assert (staff["actor"], staff["detail"]) == (actor, detail)


@pytest.mark.parametrize(("office", "expected"), [("RS001002", CUSTOMS), (None, "customs:RS")])
def test_administration_names_the_office_when_known(office: str | None, expected: str) -> None:
    assert administration("RS", office) == expected
