"""The balance simulation: four ways of choosing what to inspect, replayed on one stream.

Each week every strategy inspects the week's capacity (`rate` % of its items, `stream`):
- clearway: `random_share` of the inspections on average drawn at random first (each item
  with probability rate x share, `stream.random_draws`), the rest by the model's probability
  (`learner`), hard profiles (`--profiles`) before the model, soft ones adding their weight;
- random: uniformly at random;
- rules: a fixed rule set, the best first (`rules`);
- oracle: the irregular items first (an upper bound no selection can pass).
Only what a strategy inspected reveals its label, to that strategy. The estimate of the
stream's irregularity comes from Clearway's random inspections alone (`model.Estimate`).
Pure: no database, no files; `run` takes frames and returns figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from clearway.balance.learner import Learner, LearnerSettings
from clearway.balance.model import STRATEGIES, Estimate, Tally, sample_estimate, unseen_estimate
from clearway.balance.rules import ValueRule, learn_value_rule, profile_scores
from clearway.balance.stream import Records, Stream, prepare, random_draws, top_k
from clearway.profiles.matcher import ProfileSet
from clearway.risk.learning.mapping import Mapping

Progress = Callable[[str], None]


def _quiet(_phase: str) -> None:
    """No progress report."""


@dataclass(frozen=True)
class Settings:
    start: date
    rate: float  # percent of each week's items inspected
    random_share: float  # share of Clearway's inspections drawn at random (0..1)
    seed: int = 7
    learner: LearnerSettings = field(default_factory=LearnerSettings)
    profiles: ProfileSet | None = None  # Clearway's profiles (--profiles)
    rules: ProfileSet | None = None  # the fixed rule set (--rules); None: learnt rule


@dataclass
class Replay:
    """The running state: tallies, records, Clearway's random sample."""

    stream: Stream
    tallies: dict[str, Tally]
    records: dict[str, Records]
    rngs: dict[str, np.random.Generator]
    sample: int = 0
    sample_found: int = 0
    estimates: list[Estimate] = field(default_factory=list)

    def inspect(self, name: str, first: int, chosen: np.ndarray) -> None:
        s = self.stream
        rows = first + chosen
        labels = s.label[rows]
        critical = 0 if s.critical is None else int(s.critical[rows].sum())
        clean = 0
        if s.trader is not None:
            clean = self.records[name].clean(s.trader[rows])
            self.records[name].learn(s.trader[rows], labels)
        self.tallies[name].add_week(rows.tolist(), int(labels.sum()), critical, clean)


def _oracle(label: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    return top_k(label.astype(float), k, rng)


def _rule_score(rule: ValueRule | None, settings: Settings, rows: pl.DataFrame) -> np.ndarray:
    if rule is not None:
        return rule.score(rows)
    assert settings.rules is not None
    return profile_scores(settings.rules, rows).priority()


def _clearway(replay: Replay, learner: Learner, settings: Settings, w: int) -> None:
    s, rng = replay.stream, replay.rngs["clearway"]
    first, last, k = int(s.bounds[w]), int(s.bounds[w + 1]), s.weeks[w].capacity
    drawn = random_draws(rng, last - first, settings.rate / 100 * settings.random_share, k)
    score, features = learner.score(first, last)
    if settings.profiles is not None:
        score = score + profile_scores(settings.profiles, s.week_rows(w)).priority()
    picked = top_k(score, k - len(drawn), rng, exclude=drawn)
    chosen = np.sort(np.concatenate([drawn, picked])).astype(np.int64)
    replay.inspect("clearway", first, chosen)
    replay.tallies["clearway"].random += len(drawn)
    replay.sample += len(drawn)
    replay.sample_found += int(s.label[first + drawn].sum())
    replay.estimates.append(sample_estimate(replay.sample_found, replay.sample))
    learner.learn(first, features, chosen)
    learner.week_done(w)


def run(frame: pl.DataFrame, mapping: Mapping, settings: Settings,
        progress: Progress = _quiet) -> dict[str, Any]:
    """Replay `frame` (canonical rows of `mapping`, optional `label_critical`): the figures
    (the command line's JSON)."""
    return report(*replay(frame, mapping, settings, progress))


def replay(frame: pl.DataFrame, mapping: Mapping, settings: Settings,
           progress: Progress = _quiet) -> tuple[Replay, Settings, Learner, str]:
    """The replay itself: every strategy's tally (with what it chose each week)."""
    if not 0 < settings.rate <= 100 or not 0 <= settings.random_share <= 1:
        raise ValueError("rate must lie in (0, 100] percent, random share in [0, 1]")
    stream = prepare(frame, settings.start, settings.rate)
    progress(f"{len(stream.weeks)} weeks, {stream.items.height} items, "
             f"history of {stream.history.height} rows; the first model")
    learner = Learner(stream.history, stream.items, mapping, settings.learner)
    rule: ValueRule | None = None
    if settings.rules is None:
        rule = learn_value_rule(stream.history, settings.rate, list(mapping.categorical))
    state = Replay(stream, {n: Tally() for n in STRATEGIES},
                   {n: Records(stream) for n in STRATEGIES},
                   {n: np.random.default_rng([settings.seed, i])
                    for i, n in enumerate(STRATEGIES)})
    for w, week in enumerate(stream.weeks):
        if w % 4 == 0:
            progress(f"week {w + 1} of {len(stream.weeks)} ({week.first_day})")
        first, last, k = int(stream.bounds[w]), int(stream.bounds[w + 1]), week.capacity
        _clearway(state, learner, settings, w)
        state.inspect("random", first, np.sort(
            state.rngs["random"].choice(last - first, k, replace=False)))
        state.inspect("rules", first, top_k(_rule_score(rule, settings, stream.week_rows(w)),
                                            k, state.rngs["rules"]))
        state.inspect("oracle", first, _oracle(stream.label[first:last], k,
                                               state.rngs["oracle"]))
    describe = rule.describe() if rule is not None else "profiles (--rules)"
    return state, settings, learner, describe


def report(replay: Replay, settings: Settings, learner: Learner,
           rule: str) -> dict[str, Any]:
    s = replay.stream
    irregular = int(s.label.sum())
    critical = None if s.critical is None else int(s.critical.sum())
    items = s.items.height
    truth = irregular / items
    estimate = replay.estimates[-1] if replay.estimates else sample_estimate(0, 0)
    cw = replay.tallies["clearway"]
    unseen = unseen_estimate(estimate, items, cw.inspections, cw.caught)
    unseen_truth = (irregular - cw.caught) / (items - cw.inspections) \
        if items > cw.inspections else None
    traders = s.trader is not None
    cumulative = np.cumsum([wk.irregular for wk in s.weeks]) / np.cumsum(
        [wk.items for wk in s.weeks])
    return {
        "weeks": len(s.weeks), "start": settings.start.isoformat(), "items": items,
        "history_rows": s.history.height, "rate": settings.rate,
        "random_share": settings.random_share, "seed": settings.seed,
        "retrain_every_weeks": settings.learner.retrain_every,
        "trainings": learner.trainings, "rules": rule,
        "strategies": {n: t.as_dict(irregular, critical, traders)
                       for n, t in replay.tallies.items()},
        "estimate": {**estimate.as_dict(), "method": "share irregular among Clearway's "
                     "random inspections (a uniform sample of the stream); Wilson 95%"},
        "truth": {"rate": round(truth, 6), "irregular": irregular, "critical": critical},
        "covered": estimate.covers(truth),
        "unseen": {"estimate": unseen.as_dict(),
                   "truth": None if unseen_truth is None else round(unseen_truth, 6)},
        "per_week": [{"week": wk.index + 1, "from": wk.first_day, "items": wk.items,
                      "irregular": wk.irregular, "inspections": wk.capacity,
                      "truth_to_date": round(float(cumulative[i]), 6),
                      "caught": {n: t.per_week[i] for n, t in replay.tallies.items()},
                      "estimate_to_date": replay.estimates[i].as_dict()}
                     for i, wk in enumerate(s.weeks)],
    }
