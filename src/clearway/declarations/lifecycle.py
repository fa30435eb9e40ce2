"""The life cycle of a declaration: its statuses and the transitions allowed between them.

Pure: `clearance.moves.move` checks every status change against `TRANSITIONS`.
"""

from __future__ import annotations


class DeclarationStatus:
    LODGED = "lodged"
    ACCEPTED = "accepted"
    RISK_ASSESSED = "risk_assessed"
    UNDER_CONTROL = "under_control"
    DETAINED = "detained"  # held after a control; later released or seized
    SEIZED = "seized"
    RELEASED = "released"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    INVALIDATED = "invalidated"
    REFUSED = "refused"  # an agency of the single window refused the goods (its reason kept)


# Every status, in the order the class lists them: the one list the console's filter and
# labels, the reports and the checks iterate, so none can leave a status out.
STATUSES: tuple[str, ...] = tuple(
    value for name, value in vars(DeclarationStatus).items() if name.isupper())


# Allowed life-cycle transitions: the only moves a status change may make (`check_transition`).
TRANSITIONS: dict[str, frozenset[str]] = {
    DeclarationStatus.LODGED: frozenset({DeclarationStatus.ACCEPTED, DeclarationStatus.REJECTED}),
    DeclarationStatus.ACCEPTED: frozenset(
        {DeclarationStatus.RISK_ASSESSED, DeclarationStatus.UNDER_CONTROL,
         DeclarationStatus.RELEASED, DeclarationStatus.CANCELLED, DeclarationStatus.INVALIDATED}
    ),
    DeclarationStatus.RISK_ASSESSED: frozenset(
        {DeclarationStatus.UNDER_CONTROL, DeclarationStatus.RELEASED,
         DeclarationStatus.CANCELLED, DeclarationStatus.INVALIDATED}
    ),
    DeclarationStatus.UNDER_CONTROL: frozenset(
        {DeclarationStatus.RELEASED, DeclarationStatus.DETAINED, DeclarationStatus.SEIZED,
         DeclarationStatus.CANCELLED, DeclarationStatus.INVALIDATED}
    ),
    DeclarationStatus.DETAINED: frozenset(
        {DeclarationStatus.RELEASED, DeclarationStatus.SEIZED, DeclarationStatus.INVALIDATED,
         DeclarationStatus.REFUSED}
    ),
    # Refused goods are never released; customs may still seize them, or an officer
    # invalidate the declaration.
    DeclarationStatus.REFUSED: frozenset(
        {DeclarationStatus.SEIZED, DeclarationStatus.INVALIDATED}
    ),
}
# An agency's refusal may come while the declaration waits for release in any of these.
for _waiting in (DeclarationStatus.RISK_ASSESSED, DeclarationStatus.UNDER_CONTROL):
    TRANSITIONS[_waiting] = TRANSITIONS[_waiting] | {DeclarationStatus.REFUSED}


class LifecycleError(Exception):
    """A transition the life cycle does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"A declaration that is {current} cannot become {target}")
        self.current, self.target = current, target


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise LifecycleError(current, target)
