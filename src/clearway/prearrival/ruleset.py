"""Pre-arrival alarms as a rule set of the risk engine: each open alarm of a declaration is a
hit with the alarm's reason and both sides' evidence, weighed as the analysts set it.

The engine stays pure and knows nothing of this domain: the clearance room hands a
declaration's alarms to `risk.engine.assess.assess(..., alarms=...)` (`alarm_input` shapes
one), `frame.flatten` puts them in the `arrival_alarms` column, and the composition root
hands this rule set to the engine's knowledge cache with the weights table's signature.

Areas: a difference in value, gross mass or packages is a fiscal matter (valuation: goods
the declaration does not show are goods nobody pays duty on); an HS6 mismatch is
classification; everything about the movement itself (no exit record, seals, transit time,
a different consignee, no arrival, an export never confirmed) is security and safety.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl

from clearway.prearrival.model import Alarm, AlarmKind
from clearway.risk.engine.decision import Area, Channel, Hit, Source
from clearway.risk.engine.frame import ALARMS_COLUMN

K = AlarmKind
AREAS: dict[AlarmKind, Area] = {
    K.VALUE: Area.VALUATION, K.GROSS_MASS: Area.VALUATION, K.PACKAGES: Area.VALUATION,
    K.HS6: Area.CLASSIFICATION,
    K.NO_ARRIVAL: Area.SECURITY, K.NO_EXIT_RECORD: Area.SECURITY, K.SEALS: Area.SECURITY,
    K.TRANSIT_TOO_SHORT: Area.SECURITY, K.TRANSIT_TOO_LONG: Area.SECURITY,
    K.CONSIGNEE: Area.SECURITY, K.EXIT_UNCONFIRMED: Area.SECURITY,
}
DEFAULT_WEIGHT = 0.4


@dataclass(frozen=True)
class AlarmWeight:
    """What an alarm kind weighs: `weight` adds to its area's score (0..1); a `hard` one
    also imposes `min_channel` whatever the score, capacity or AEO status."""

    kind: AlarmKind
    weight: float = DEFAULT_WEIGHT
    min_channel: Channel | None = None
    hard: bool = False
    updated_by: str | None = None    # None: the default, never set by an analyst
    updated_at: datetime | None = None

    @property
    def area(self) -> Area:
        return AREAS[self.kind]


# A kind without a stored weight weighs this (docs/exchange.md): 0.4 soft, but goods from
# the partner that it never announced (no exit record) go to a documentary check at least.
DEFAULT_WEIGHTS: dict[AlarmKind, AlarmWeight] = {
    kind: AlarmWeight(kind) for kind in AlarmKind}
DEFAULT_WEIGHTS[K.NO_EXIT_RECORD] = AlarmWeight(K.NO_EXIT_RECORD, 0.6, Channel.YELLOW, True)


def weight_problem(weight: float, min_channel: Channel | None, hard: bool) -> str | None:
    """Why these settings cannot be stored (None: they can)."""
    if not math.isfinite(weight) or not 0.0 <= weight <= 1.0:
        return "The weight is a number from 0 to 1"
    if hard and min_channel in (None, Channel.GREEN):
        return "A hard alarm needs a minimum channel of blue, yellow or red"
    if not hard and min_channel is not None:
        return "A minimum channel applies only to a hard alarm: set hard, or no channel"
    return None


def alarm_input(alarm: Alarm, alarm_id: int | None = None) -> dict[str, Any]:
    """One alarm as the engine takes it (`assess(..., alarms={key: [these]})`)."""
    return {"id": alarm_id, "kind": str(alarm.kind), "partner": alarm.partner,
            "mrn": alarm.mrn, "reason": alarm.reason, "evidence": alarm.evidence,
            "item": alarm.item, "raised_at": alarm.raised_at.isoformat()}


class ArrivalAlarmRules:
    """One hit per alarm in the frame's `arrival_alarms` column (see module doc)."""

    def __init__(self, weights: Mapping[AlarmKind, AlarmWeight] | None = None) -> None:
        self.weights = {**DEFAULT_WEIGHTS, **(weights or {})}

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        if ALARMS_COLUMN not in frame.columns:  # no declaration of the batch has alarms
            return []
        found = (frame.select("_decl", ALARMS_COLUMN)
                 .filter(pl.col(ALARMS_COLUMN).is_not_null())
                 .unique(subset="_decl", keep="first", maintain_order=True))
        out: list[tuple[int, Hit]] = []
        for decl, text in found.iter_rows():
            out += [(int(decl), self.hit(alarm)) for alarm in json.loads(text)]
        return out

    def hit(self, alarm: Mapping[str, Any]) -> Hit:
        kind = str(alarm.get("kind"))
        known = AlarmKind(kind) if kind in AlarmKind._value2member_map_ else None
        # A kind this installation does not know yet (a newer partner) weighs the default,
        # as a security matter: it still reaches the officer with its reason.
        w = self.weights[known] if known is not None else AlarmWeight(K.NO_ARRIVAL)
        evidence = {"alarm_id": alarm.get("id"), "partner": alarm.get("partner"),
                    "mrn": alarm.get("mrn"), "item": alarm.get("item"),
                    **dict(alarm.get("evidence") or {})}
        return Hit(source=Source.PRE_ARRIVAL, ref=kind,
                   area=w.area if known is not None else Area.SECURITY,
                   reason=f"pre-arrival alarm from {alarm.get('partner')}: "
                          f"{alarm.get('reason')}",
                   weight=w.weight, min_channel=w.min_channel if w.hard else None,
                   hard=w.hard, evidence=evidence)
