"""Control tasks and results as plain data: statuses, kinds, the irregularity vocabulary and
the rules a result must satisfy. No storage, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from clearway.errors import Issue


class TaskStatus:
    AWAITING_OFFICER = "awaiting_officer"  # nobody eligible on duty yet
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WAIVED = "waived"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset({TaskStatus.AWAITING_OFFICER, TaskStatus.ASSIGNED,
                           TaskStatus.IN_PROGRESS})
CLOSING_STATUSES = frozenset({TaskStatus.WAIVED, TaskStatus.CANCELLED})
# Every status, in the order of a task's life (the lists' status filter).
TASK_STATUSES = (TaskStatus.AWAITING_OFFICER, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS,
                 TaskStatus.DONE, TaskStatus.WAIVED, TaskStatus.CANCELLED)

# What each controlling channel asks of the office.
KIND_OF_CHANNEL = {"yellow": "documentary", "red": "physical", "blue": "audit"}
# "assistance": a partner's verification found the declaration irregular (feedback.findings).
ORIGINS = frozenset({"decision", "override", "sample", "manual", "assistance"})

IRREGULARITIES = (
    "undervaluation", "misclassification", "false_origin", "prohibited_restricted",
    "ipr_infringement", "dual_use_without_licence", "smuggling", "drugs", "weapons",
    "false_description", "quantity_discrepancy", "other",
)
OUTCOMES = ("regular", "irregular")
ACTIONS = ("release", "detain", "seize")
# The declaration status each action leaves the goods in.
ACTION_STATUS = {"release": "released", "detain": "detained", "seize": "seized"}
# Roles that can be on duty and receive tasks.
DUTY_ROLES = frozenset({"officer", "supervisor"})
MAX_SHIFT_HOURS = 24  # a longer shift is a typing error, not a roster


@dataclass(frozen=True)
class Seizure:
    item: int | None
    description: str
    quantity: Decimal
    unit: str

    def as_dict(self) -> dict[str, Any]:
        return {"item": self.item, "description": self.description,
                "quantity": str(self.quantity), "unit": self.unit}


@dataclass(frozen=True)
class ControlResult:
    """What an officer reports at the end of a control."""

    outcome: str
    action: str
    irregularities: tuple[str, ...] = ()
    revenue: Decimal | None = None
    seizures: tuple[Seizure, ...] = ()
    notes: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def result_issues(result: ControlResult, *, kind: str) -> list[Issue]:
    """Every reason the result cannot be recorded on a task of `kind` (empty: it can)."""
    issues: list[Issue] = []

    def bad(pointer: str, message: str) -> None:
        issues.append(Issue("CW-CONTROL-RESULT", message, pointer=pointer))

    if result.outcome not in OUTCOMES:
        bad("/outcome", f"Outcome must be one of {', '.join(OUTCOMES)}")
    if result.action not in ACTIONS:
        bad("/action", f"Action must be one of {', '.join(ACTIONS)}")
    unknown = sorted(set(result.irregularities) - set(IRREGULARITIES))
    if unknown:
        bad("/irregularities", f"Unknown irregularity types: {', '.join(unknown)}")
    if result.outcome == "irregular" and not result.irregularities:
        bad("/irregularities", "An irregular result names at least one irregularity")
    if result.outcome == "regular" and result.irregularities:
        bad("/irregularities", "A regular result names no irregularity")
    if result.outcome == "regular" and result.action != "release":
        bad("/action", "Goods found regular are released")
    if result.outcome == "regular" and result.seizures:
        bad("/seizures", "A regular result seizes nothing")
    if result.revenue is not None and (not result.revenue.is_finite() or result.revenue < 0):
        bad("/revenue", "Revenue must be a number of at least 0")
    if result.action == "seize" and not result.seizures:
        bad("/seizures", "Seizing needs the seized quantities")
    for n, seizure in enumerate(result.seizures):
        if not seizure.quantity.is_finite() or seizure.quantity <= 0:
            bad(f"/seizures/{n}/quantity", "A seized quantity is more than 0")
    if kind == "audit" and result.action != "release":
        bad("/action", "A post-clearance audit finds goods already released: action release "
            "(the finding and revenue due are recorded)")
    return issues
