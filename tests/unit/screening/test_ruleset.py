"""Party screening in the engine: the cache never changes an answer, whatever its size."""

from __future__ import annotations

import pytest
from tests.unit.risk.engine.test_engine import DAY, REF, docs

from clearway.risk.engine.frame import flatten
from clearway.screening.matcher import Screener
from clearway.screening.model import ListEntry
from clearway.screening.ruleset import PartyScreening


@pytest.mark.parametrize("cache_size", [1, 3, 50, 2_000_000])
def test_hits_are_the_same_cold_warm_and_with_a_tiny_cache(cache_size: int) -> None:
    batch = docs(80, seed=9)
    frame = flatten(batch, [DAY] * len(batch), REF)
    names = frame["exporter_name"].drop_nulls().unique(maintain_order=True).to_list()[:3]
    entries = [ListEntry("TEST", str(i), name) for i, name in enumerate(names)]
    reference = PartyScreening(Screener(entries)).hits(frame)
    assert reference, "the listed importers must be found"
    screening = PartyScreening(Screener(entries), cache_size=cache_size)
    for _ in range(3):  # cold, then warm (or refilled after the cache started afresh)
        assert screening.hits(frame) == reference
    small = frame.filter(frame["_decl"] < 5)  # the few-declarations path shares the cache
    assert PartyScreening(Screener(entries), cache_size=cache_size).hits(small) == \
        screening.hits(small)
