"""Alarms of the pre-arrival flow: a discrepancy between what a partner announced and what
arrived, an announcement nothing matched in time, an arrival nobody announced, or an export
the partner never confirmed. Each carries its reason and the evidence of both sides, enters
the risk decision of the declaration it concerns (a rule set whose weights analysts set) and
waits in the officers' room until someone closes it with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class AlarmKind(StrEnum):
    NO_ARRIVAL = "no-arrival"                  # announced, nothing arrived by the deadline
    NO_EXIT_RECORD = "no-exit-record"          # arrived from the partner, never announced
    GROSS_MASS = "gross-mass-difference"       # beyond the HS chapter's tolerance
    PACKAGES = "packages-difference"
    VALUE = "value-difference"
    HS6 = "hs6-mismatch"
    CONSIGNEE = "consignee-different"
    TRANSIT_TOO_SHORT = "transit-too-short"    # faster than the crossing's plausible time
    TRANSIT_TOO_LONG = "transit-too-long"
    SEALS = "seals-different"                  # seals or containers differ at the booth
    EXIT_UNCONFIRMED = "exit-unconfirmed"      # our export, never confirmed by the partner


ALARM_STATUSES = ("open", "closed")


@dataclass(frozen=True)
class Alarm:
    """One alarm. `mrn` is the announced movement's MRN (the partner's for an arrival, ours
    for an export never confirmed); `evidence` holds both sides' figures ("announced",
    "arrived", "tolerance"...). `declaration_id` is the declaration it weighs on, if any."""

    kind: AlarmKind
    partner: str
    mrn: str | None
    reason: str
    raised_at: datetime
    evidence: dict[str, Any] = field(default_factory=dict)
    declaration_id: int | None = None
    arrival_id: int | None = None
    exit_record_id: int | None = None
    item: int | None = None
