"""Properties of assignment over many random rosters and tasks, built the way the service
builds them (`build_candidates` from shifts, qualification holders and workloads, then
`choose_officer`, as `clearway.controls.tasks.try_assign` does):

1. nobody off duty, at another office, or lacking a needed qualification ever gets a task;
2. with equal workload, the spread across eligible officers is uniform. Tolerance (also in
   docs/controls.md): over 6,000 draws per case with a fixed seed, the chi-square statistic
   against the uniform spread stays below the 0.1 % critical value for k - 1 degrees of
   freedom, and every officer's share is within 10 % of 1/k;
3. nobody who declared an interest in a party of the declaration gets its task
   (`without_conflicts` before the draw, as `clearway.controls.tasks.free_candidates` does).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.controls.assignment import (
    Candidate,
    Shift,
    build_candidates,
    choose_officer,
    eligible,
    without_conflicts,
)

T0 = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
OFFICES = ["RS1", "RS2", "RS3"]
QUALS = ["valuation", "sanctions", "ipr", "drugs"]
# Chi-square critical values at p = 0.001 for 1..9 degrees of freedom.
CHI2_999 = {1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47, 5: 20.52, 6: 22.46, 7: 24.32, 8: 26.12,
            9: 27.88}

officer_st = st.fixed_dictionaries({
    "office": st.sampled_from(OFFICES),
    "start": st.integers(0, 47),  # hours after T0
    "hours": st.integers(1, 12),
    "quals": st.frozensets(st.sampled_from(QUALS)),
})
task_st = st.fixed_dictionaries({
    "office": st.sampled_from(OFFICES),
    "at": st.integers(0, 60 * 60),  # minutes after T0
    "needs": st.frozensets(st.sampled_from(QUALS), max_size=2),
})


@settings(max_examples=300, deadline=None)
@given(officers=st.lists(officer_st, min_size=0, max_size=12),
       tasks=st.lists(task_st, min_size=1, max_size=40), seed=st.integers(0, 2**32))
def test_no_task_reaches_an_ineligible_officer(officers: list[dict], tasks: list[dict],
                                               seed: int) -> None:
    shifts = [Shift(n + 1, o["office"], T0 + timedelta(hours=o["start"]),
                    T0 + timedelta(hours=o["start"] + o["hours"]))
              for n, o in enumerate(officers)]
    holders = {q: {n + 1 for n, o in enumerate(officers) if q in o["quals"]} for q in QUALS}
    workload: Counter[int] = Counter()
    rng = random.Random(seed)
    for task in tasks:
        at = T0 + timedelta(minutes=task["at"])
        needs = task["needs"]
        candidates = build_candidates(shifts, task["office"], at,
                                      {q: holders[q] for q in needs}, workload)
        chosen = choose_officer(candidates, needs, rng)
        eligible = {n + 1 for n, o in enumerate(officers)
                    if o["office"] == task["office"] and needs <= o["quals"]
                    and shifts[n].starts_at <= at < shifts[n].ends_at}
        if chosen is None:
            assert not eligible
            continue
        officer = officers[chosen.officer_id - 1]
        shift = shifts[chosen.officer_id - 1]
        assert officer["office"] == task["office"]
        assert shift.starts_at <= at < shift.ends_at
        assert needs <= officer["quals"]
        # ...and it is one of the least busy eligible officers
        assert workload[chosen.officer_id] == min(workload[e] for e in eligible)
        workload[chosen.officer_id] += 1


@pytest.mark.parametrize(("eligible", "others", "seed"), [
    (2, 0, 1), (3, 2, 2), (5, 3, 3), (7, 1, 4), (10, 4, 5),
])
def test_equal_workload_spreads_uniformly(eligible: int, others: int, seed: int) -> None:
    draws = 6000
    needs = frozenset({"valuation"})
    candidates = ([Candidate(n, frozenset({"valuation", "ipr"}), 2) for n in range(eligible)]
                  + [Candidate(100 + n, frozenset({"ipr"}), 0) for n in range(others)])
    rng = random.Random(seed)
    counts: Counter[int] = Counter()
    for _ in range(draws):
        chosen = choose_officer(candidates, needs, rng)
        assert chosen is not None
        counts[chosen.officer_id] += 1
    assert set(counts) == set(range(eligible))  # never the unqualified ones
    expected = draws / eligible
    chi2 = sum((counts[n] - expected) ** 2 / expected for n in range(eligible))
    assert chi2 < CHI2_999[eligible - 1], (chi2, counts)
    assert all(abs(counts[n] - expected) <= 0.10 * expected for n in range(eligible)), counts


def test_balancing_keeps_equally_qualified_officers_within_one_task() -> None:
    """What the service does over a day: workload grows with each assignment."""
    rng = random.Random(11)
    workload: Counter[int] = Counter()
    for _ in range(101):
        candidates = [Candidate(n, frozenset(), workload[n]) for n in range(4)]
        chosen = choose_officer(candidates, frozenset(), rng)
        assert chosen is not None
        workload[chosen.officer_id] += 1
    assert max(workload.values()) - min(workload.values()) <= 1


PARTIES = ["RS100", "RS200", "RS300", "DE400"]
KINDS = ["relative", "shareholding", "former_employer"]
link_st = st.dictionaries(st.sampled_from(PARTIES), st.sampled_from(KINDS), max_size=2)


@settings(max_examples=300, deadline=None)
@given(officers=st.lists(st.tuples(st.frozensets(st.sampled_from(QUALS)), link_st),
                         min_size=0, max_size=10),
       tasks=st.lists(st.tuples(st.frozensets(st.sampled_from(PARTIES), min_size=1),
                                st.frozensets(st.sampled_from(QUALS), max_size=1)),
                      min_size=1, max_size=30),
       seed=st.integers(0, 2**32))
def test_no_task_reaches_an_officer_linked_to_a_party(
        officers: list[tuple[frozenset[str], dict[str, str]]],
        tasks: list[tuple[frozenset[str], frozenset[str]]], seed: int) -> None:
    """3. an officer who declared a link to any party of the declaration never gets its
    task; the log counts exactly the eligible officers left out, by kind of link."""
    rng = random.Random(seed)
    workload: Counter[int] = Counter()
    for parties, needs in tasks:
        candidates = [Candidate(n, quals, workload[n]) for n, (quals, _) in enumerate(officers)]
        pool = eligible(candidates, needs)
        # What the repository's lookup gives: each candidate's kinds of link to the parties.
        conflicts = {n: {kind for party, kind in links.items() if party in parties}
                     for n, (_, links) in enumerate(officers)}
        kept, excluded = without_conflicts(pool, conflicts)
        chosen = choose_officer(kept, needs, rng)
        linked = {c.officer_id for c in pool if conflicts[c.officer_id]}
        assert sum(excluded.values()) == len(linked)
        assert {c.officer_id for c in kept} == {c.officer_id for c in pool} - linked
        if chosen is None:
            assert {c.officer_id for c in pool} <= linked
            continue
        assert not set(officers[chosen.officer_id][1]) & parties
        assert needs <= chosen.qualifications
        workload[chosen.officer_id] += 1
