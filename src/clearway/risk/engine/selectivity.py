"""Selectivity: from an assessment to a channel, under the office's daily control capacity.

Order of precedence (docs/risk-engine.md):
1. a random draw below `random_share` sends the declaration red and flags it as random, so the
   outcomes of random controls estimate non-compliance without selection bias; AEO status and
   capacity never change that;
2. hard hits (profiles with a minimum channel, screening, IPR, dual-use, ENS) take their channel
   whatever the capacity;
3. otherwise the expected value picks red / yellow / blue / green against the thresholds; when
   the office's budget for that channel is spent, the declaration steps down a channel (never
   below what a hard hit required) and is flagged as capacity-limited.
Every selection, hard, random or soft, uses up one place of its channel's budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clearway.risk.engine.assess import Assessment, EngineSettings
from clearway.risk.engine.decision import Channel, Decision, EnsOutcome

STEP_DOWN = {Channel.RED: Channel.YELLOW, Channel.YELLOW: Channel.BLUE,
             Channel.BLUE: Channel.GREEN}
ENS_CHANNEL = {EnsOutcome.RFI: Channel.YELLOW, EnsOutcome.HRS: Channel.RED,
               EnsOutcome.DNL: Channel.RED}


@dataclass
class Capacity:
    """One office's budget for one day: places per channel (absent: unlimited) and use."""

    limits: dict[Channel, int] = field(default_factory=dict)
    used: dict[Channel, int] = field(default_factory=dict)

    def has_room(self, channel: Channel) -> bool:
        limit = self.limits.get(channel)
        return limit is None or self.used.get(channel, 0) < limit

    def take(self, channel: Channel) -> None:
        if channel != Channel.GREEN:
            self.used[channel] = self.used.get(channel, 0) + 1


def soft_channel(expected_value: float, settings: EngineSettings) -> Channel:
    if expected_value >= settings.red_at:
        return Channel.RED
    if expected_value >= settings.yellow_at:
        return Channel.YELLOW
    if expected_value >= settings.blue_at:
        return Channel.BLUE
    return Channel.GREEN


def select(assessment: Assessment, draw: float, capacity: Capacity | None,
           settings: EngineSettings) -> Decision:
    """The channel of one assessment; `draw` is uniform in [0, 1) from the injected RNG."""
    a = assessment
    required = a.required
    if a.ens_outcome in ENS_CHANNEL:
        required = Channel.strongest(required, ENS_CHANNEL[a.ens_outcome])
    random_selected = draw < settings.random_share
    limited = False
    if random_selected:
        channel = Channel.RED
    else:
        channel = Channel.strongest(required, soft_channel(a.expected_value, settings))
        floor = required.rank if required is not None else 0
        while (capacity is not None and channel.rank > floor
               and not capacity.has_room(channel)):
            channel, limited = STEP_DOWN[channel], True
    if capacity is not None:
        capacity.take(channel)
    return decision_of(a, channel, random_selected, limited)


def decision_of(a: Assessment, channel: Channel, random_selected: bool,
              limited: bool) -> Decision:
    return Decision(
        channel=channel, scores=a.scores, fiscal_score=a.fiscal_score,
        security_score=a.security_score, probability=a.probability,
        expected_revenue=a.expected_revenue, expected_value=a.expected_value, hits=a.hits,
        contributions=a.contributions, random_selected=random_selected,
        capacity_limited=limited, aeo=a.aeo, ens_outcome=a.ens_outcome,
        model_version=a.model_version)
