"""Four-eyes rules: which changes to a selection may be asked for, who may approve them, and
what an approved change does. Pure: the service gathers the facts and applies the effects.

A selection (the channel the risk engine gave, and the controls it opened) is changed only by
two persons: one asks with a written reason, another approves. Three kinds of change exist:
a new channel, a waiver of the open control, and a cancellation of a selected declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.errors import ClearwayError, Conflict
from clearway.risk.engine.decision import Channel

# Short enough for a sentence, long enough to refuse "ok", "n/a" or "per phone".
MIN_REASON_LENGTH = 10
MAX_REASON_LENGTH = 2000

# A decided declaration whose goods are still waiting for the selection to be carried out.
# Released, cancelled, invalidated and rejected ones are final: nothing is left to change.
CHANGEABLE_STATUSES = frozenset({S.RISK_ASSESSED, S.UNDER_CONTROL})


class Kind(StrEnum):
    CHANNEL_CHANGE = "channel_change"
    WAIVER = "waiver"
    CANCELLATION = "cancellation"


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Situation:
    """What the rules need to know about the declaration at the time of asking or approving."""

    status: str
    channel: Channel | None  # the decision's channel; None: no risk decision yet
    open_tasks: int  # control tasks not yet done, waived or cancelled
    # An ENS/EXS holding a do-not-load or high-risk-screening result: four eyes may only
    # make it stricter; a security risk officer clears it (docs/ens.md).
    held: bool = False


@dataclass(frozen=True)
class Effects:
    """What an approved change does, in the order the service applies it."""

    new_channel: Channel | None = None  # the decision's channel becomes this
    close_tasks_as: str | None = None  # open control tasks end "waived" or "cancelled"
    open_channel: Channel | None = None  # a control task is opened in this channel
    release: bool = False  # the goods are released (if still waiting)
    cancel: bool = False  # the declaration is cancelled
    audit_sample: bool = False  # less control than selected: may be sampled for audit


def written(text: str | None, what: str = "reason") -> str:
    """The written reason (or note), stripped; refused when missing or too short."""
    stripped = (text or "").strip()
    if len(stripped) < MIN_REASON_LENGTH or len(stripped) > MAX_REASON_LENGTH:
        raise ClearwayError(
            code="CW-OVERRIDE-REASON",
            message=f"A four-eyes {what} of {MIN_REASON_LENGTH} to {MAX_REASON_LENGTH} "
            "characters is required")
    return stripped


def check_request(kind: Kind, to_channel: Channel | None, now: Situation) -> None:
    """Refuse a request that cannot be made, or that would change nothing."""
    if now.channel is None:
        raise Conflict("CW-OVERRIDE-NO-DECISION",
                       "The declaration has no risk decision yet; nothing to override")
    if now.status not in CHANGEABLE_STATUSES:
        raise Conflict("CW-STATE", f"A {now.status} declaration's selection can no longer "
                       "change")
    if kind == Kind.CHANNEL_CHANGE:
        if to_channel is None:
            raise ClearwayError(code="CW-OVERRIDE-KIND",
                                message="A channel change names the new channel (to_channel)")
        if to_channel == now.channel:
            raise Conflict("CW-OVERRIDE-NOOP", f"The channel is already {to_channel}")
    elif to_channel is not None:
        raise ClearwayError(code="CW-OVERRIDE-KIND",
                            message=f"A {kind} does not name a channel")
    if kind == Kind.WAIVER and now.open_tasks == 0:
        raise Conflict("CW-OVERRIDE-NOOP", "The declaration has no open control to waive")
    stricter = kind == Kind.CHANNEL_CHANGE and to_channel is not None \
        and to_channel.rank > now.channel.rank
    if now.held and not stricter:
        raise Conflict("CW-OVERRIDE-SECURITY", "A do-not-load or high-risk-screening result "
                       "is never lowered, waived or cancelled by four eyes: a security risk "
                       "officer clears it")


def check_decider(requested_by_id: int, decider_id: int, status: Status) -> None:
    """Only a pending request is decided, and never by the person who asked."""
    if status != Status.PENDING:
        raise Conflict("CW-OVERRIDE-DECIDED", f"The request is already {status}")
    if requested_by_id == decider_id:
        raise ClearwayError(code="CW-FOUR-EYES",
                            message="A request is approved or rejected by a second person, "
                            "never by the one who asked")


def effects(kind: Kind, from_channel: Channel, to_channel: Channel | None) -> Effects:
    """What approving the change does (see docs/four-eyes.md, "What approval does")."""
    if kind == Kind.WAIVER:
        return Effects(close_tasks_as="waived", release=True, audit_sample=True)
    if kind == Kind.CANCELLATION:
        return Effects(close_tasks_as="cancelled", cancel=True)
    assert to_channel is not None
    if to_channel.rank > from_channel.rank:
        # Stricter: the weaker control the decision opened is superseded, not waived.
        return Effects(new_channel=to_channel,
                       close_tasks_as="cancelled" if from_channel != Channel.GREEN else None,
                       open_channel=to_channel)
    releases = to_channel in (Channel.GREEN, Channel.BLUE)
    return Effects(new_channel=to_channel, close_tasks_as="waived",
                   open_channel=None if to_channel == Channel.GREEN else to_channel,
                   release=releases,
                   # A blue task already finds the outcome out; others may be sampled.
                   audit_sample=to_channel != Channel.BLUE)


def sampled(draw: float, share: float) -> bool:
    """Whether an override with less control than selected goes to post-clearance audit."""
    return draw < share
