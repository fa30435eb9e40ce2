"""Risk engine throughput: batch decisions on 1M items, single-decision latency, screening.

The whole engine (500 active profiles, the learned model with its history snapshot, party
screening against a 50,000-entry list, IPR applications, the dual-use list, valuation
references, ENS rules, then selectivity with the random share and capacity) runs over a
synthetic item frame (`synthetic_items.item_frame`), next to LightGBM's `predict` alone on the
same rows' feature matrix, in the same process: the ratio is what to compare across machines.

    uv run python benchmarks/risk.py [--items 1000000] [--profiles 500] [--entries 50000]

Three batch figures: *cold* screens every distinct party name once (the first list version),
*warm* is the steady state where names already screened against this list version come from
the cache, *after a list change* is the first batch once 100 entries were changed, removed or
added (5 of them names in the traffic): the new rule set carries over the answers the change
cannot touch (`PartyScreening.carry`, timed apart and added to the batch time). Single decisions go
through the whole path a submission takes: flatten the canonical declaration, assess, select.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]

from batch_selectivity import select_batch  # noqa: E402
from screening import LEGAL, big_list, pseudo_word  # noqa: E402
from synthetic_items import BRANDS, DAY, item_frame, profiles  # noqa: E402

from clearway.demo.generator import DeclarationGenerator  # noqa: E402
from clearway.dualuse.matcher import DualUseList  # noqa: E402
from clearway.dualuse.model import parse_csv  # noqa: E402
from clearway.dualuse.service import packaged_csv  # noqa: E402
from clearway.ipr.matcher import IprRegister  # noqa: E402
from clearway.ipr.model import IprApplication  # noqa: E402
from clearway.profiles.matcher import ProfileSet  # noqa: E402
from clearway.refdata.csvfiles import package_dir, read_directory  # noqa: E402
from clearway.refdata.model import RefDataSnapshot  # noqa: E402
from clearway.risk.engine.assess import EngineSettings, Knowledge, assess, assess_batch  # noqa: E402
from clearway.risk.engine.ens import EnsRules  # noqa: E402
from clearway.risk.engine.frame import with_references  # noqa: E402
from clearway.risk.engine.selectivity import select  # noqa: E402
from clearway.risk.learning.evaluation import synthetic_declarations  # noqa: E402
from clearway.risk.learning.features import FeatureConfig, build_features  # noqa: E402
from clearway.risk.learning.model import RiskModel  # noqa: E402
from clearway.risk.learning.scoring import (  # noqa: E402
    EngineScorer,
    HistorySnapshot,
    ModelScorer,
    canonical_rows,
)
from clearway.screening.matcher import Screener  # noqa: E402
from clearway.screening.model import ListEntry  # noqa: E402
from clearway.screening.ruleset import PartyScreening  # noqa: E402
from clearway.valuation.model import ValuationRule, as_lookup, compute_references  # noqa: E402


def timed(label: str, fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    took = time.perf_counter() - start
    print(f"  {label:<52} {took:8.2f} s", flush=True)
    return took, result


def model_scorer(history_rows: int, seed: int) -> tuple[EngineScorer, RiskModel]:
    """A model trained on synthetic declarations and its snapshot over their history, with
    the importer, declarant, office and HS codes of the synthetic item frame's vocabulary."""
    data = synthetic_declarations(history_rows, seed=seed, days=90)
    data = data.with_columns(
        pl.lit(None, pl.String).alias("seller_id"),
        pl.lit(None, pl.String).alias("departure_country"),
        pl.lit(None, pl.String).alias("transport_mode"))
    config = FeatureConfig()
    features = build_features(data.head(100_000), config=config)
    model = RiskModel.train(features, seed=seed)
    snapshot = HistorySnapshot.build(data, config=config, prior=model.prior)
    return EngineScorer(ModelScorer(model, snapshot, "bench")), model


def ipr_register(n: int) -> IprRegister:
    brands = BRANDS + [f"Brandname{i}" for i in range(n)]
    apps = []
    for i in range(n):
        apps.append(IprApplication.model_validate({
            "reference": f"IPR-{i:04d}", "right_holder": f"Holder {i}",
            "contact": "ipr@example.org", "goods_description": "branded goods",
            "brands": [brands[i]], "keywords": [],
            "hs_codes": [], "instructions": "Detain and notify the right holder",
            "valid_from": (DAY - timedelta(days=30)).isoformat(),
            "valid_to": (DAY + timedelta(days=300)).isoformat()}))
    return IprRegister(apps)


def knowledge(args: argparse.Namespace, frame: pl.DataFrame) -> tuple[Knowledge, Any, Any]:
    print("building the engine's knowledge", flush=True)
    _, prof = timed(f"{args.profiles} profiles compiled",
                    lambda: ProfileSet(profiles(args.profiles, args.seed)))
    _, entries = timed(f"{args.entries:,}-entry restricted-party list",
                       lambda: big_list(args.entries, args.seed))
    _, screener = timed("screening index", lambda: Screener(entries))
    _, (scorer, model) = timed("model trained, history snapshot built",
                               lambda: model_scorer(args.history, args.seed))
    sample = frame.filter(pl.col("declaration_type") == "IM").head(200_000)
    refs = as_lookup(compute_references(
        sample.select("hs6", "origin_country", pl.col("declaration_date").alias("date"),
                      "unit_value"), start=DAY - timedelta(days=365), end=DAY))
    rules = (prof, PartyScreening(screener), ipr_register(50),
             DualUseList(parse_csv(packaged_csv())), ValuationRule(references=refs),
             EnsRules.load())
    # Bulk work explains only what the model flags (the live default explains every score:
    # a TreeSHAP walk, about 0.3 ms, per declaration).
    settings = EngineSettings(explain_at=0.5)
    return Knowledge(rules=rules, scorer=scorer, settings=settings), refs, \
        (screener, model, entries)


def list_change(know: Knowledge, entries: list[Any], frame: pl.DataFrame
                ) -> tuple[float, float]:
    """The first batch after a list update (40 entries renamed, 30 removed, 30 added: 25 new
    companies and 5 names from the traffic): (carry seconds, batch seconds)."""
    rng = random.Random(3)
    changed = list(entries)
    names = frame["importer_name"].drop_nulls().unique().sort().to_list()
    for i in rng.sample(range(len(changed)), 40):
        changed[i] = dataclasses.replace(changed[i], name=changed[i].name + " HOLDING")
    for i in sorted(rng.sample(range(len(changed)), 30), reverse=True):
        changed.pop(i)
    changed += [ListEntry("NEW", str(i), rng.choice(names) if i < 5 else
                          f"{pseudo_word(rng)} {pseudo_word(rng)} {rng.choice(LEGAL)}")
                for i in range(30)]
    old = next(r for r in know.rules if isinstance(r, PartyScreening))
    _, screener = timed("screening index of the changed list (not in the rate)",
                        lambda: Screener(changed))
    rules = PartyScreening(screener)
    carry, kept = timed("answers carried over to the changed list", lambda: rules.carry(old))
    print(f"  ({kept:,} of {len(old._sigs):,} names carried)")
    after = dataclasses.replace(know, rules=tuple(rules if r is old else r for r in know.rules))
    took, _ = batch(frame, after, "engine, first batch after the list change")
    return carry, took


def names_pool(entries: list[Any], seed: int, size: int = 20_000) -> list[str]:
    """Party names as traffic has them: mostly clean names, 0.5 % of them listed ones."""
    rng = random.Random(seed)
    pool = [f"{rng.choice(['Alfa', 'Beta', 'Nova', 'Delta', 'Orion', 'Vega'])} "
            f"{rng.choice(['Trade', 'Logistics', 'Import', 'Foods', 'Tech'])} {i} d.o.o."
            for i in range(size)]
    for _ in range(size // 200):
        pool[rng.randrange(size)] = entries[rng.randrange(len(entries))].name
    return pool


def batch(frame: pl.DataFrame, know: Knowledge, label: str) -> tuple[float, list[Any]]:
    rng = random.Random(1)
    draws = [rng.random() for _ in range(int(frame["_decl"].max()) + 1)]
    # A new frame object each run: the scorer keeps the scores of the last frame it saw
    # (for `reasons`), and a rerun on the same object would not score at all.
    frame = frame.clone()
    took, decisions = timed(label, lambda: select_batch(assess_batch(frame, know), draws, {},
                                                        know.settings))
    return took, decisions


def singles(know: Knowledge, refs: pl.DataFrame, n: int, seed: int) -> list[float]:
    ref = RefDataSnapshot.from_texts(read_directory(package_dir()))
    gen = DeclarationGenerator(ref, random.Random(seed), DAY)
    docs = [gen.entry_summary(f"E{i}") if i % 10 == 0 else gen.declaration(f"L{i}")
            for i in range(n + 20)]
    rng = random.Random(seed)
    took = []
    for i, doc in enumerate(docs):
        start = time.perf_counter()
        (a,) = assess([doc], [DAY], ref, know, keys=[f"K{i}"], references=refs)
        select(a, rng.random(), None, know.settings)
        if i >= 20:  # the first ones warm caches (screening names, compiled expressions)
            took.append(time.perf_counter() - start)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--profiles", type=int, default=500)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--history", type=int, default=300_000)
    parser.add_argument("--singles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    entries = big_list(args.entries, args.seed)
    _, frame = timed(f"synthetic item frame ({args.items:,} items)",
                     lambda: item_frame(args.items, args.seed,
                                        names=names_pool(entries, args.seed)))
    know, refs, (screener, model, _) = knowledge(args, frame)
    frame = with_references(frame, refs)
    n_decl = int(frame["_decl"].max()) + 1
    print(f"batch: {frame.height:,} items in {n_decl:,} declarations", flush=True)

    scorer = know.scorer.scorer  # type: ignore[union-attr]
    features = scorer.matrix(scorer.snapshot.parts(canonical_rows(frame)))
    base, _ = timed("LightGBM predict alone (same rows, precomputed matrix)",
                    lambda: model.booster.predict(features))

    cold, decisions = batch(frame, know, "engine, cold screening cache")
    warm, decisions = batch(frame, know, "engine, warm screening cache")
    carry, changed = list_change(know, entries, frame)
    timed("Decision objects for every declaration (not in the rate)",
                       decisions.decisions)
    channels: dict[str, int] = {}
    for c in decisions.channels():
        channels[str(c)] = channels.get(str(c), 0) + 1
    hits = sum(len(h) for h in decisions.assessed.hits.values())

    names = [f"Zeta Holding {i} LLC" for i in range(2000)]
    t_screen, _ = timed("screening 2,000 new names", lambda: [screener.screen(n) for n in names])
    lat = singles(know, refs, args.singles, args.seed)

    q = statistics.quantiles(lat, n=100)
    print()
    print(f"engine batch (warm)   {frame.height / warm:12,.0f} items/s  ({warm:.2f} s)")
    print(f"engine batch (cold)   {frame.height / cold:12,.0f} items/s  ({cold:.2f} s)")
    print(f"after a list change   {frame.height / (carry + changed):12,.0f} items/s  "
          f"({carry:.2f} s carrying the cache + {changed:.2f} s batch)")
    print(f"predict alone         {frame.height / base:12,.0f} items/s  ({base:.2f} s, "
          f"{model.booster.num_trees()} trees)")
    print(f"ratio engine/predict  {warm / base:12.2f} x the time of predict alone (warm)")
    print(f"single decision       p50 {q[49] * 1000:.2f} ms, p99 {q[98] * 1000:.2f} ms "
          f"({len(lat)} declarations, whole path)")
    print(f"screening             {len(names) / t_screen:12,.0f} names/s against "
          f"{len(screener):,} entries")
    print(f"decisions             {len(decisions):,}; channels {channels}; hits {hits:,}")
    rss = _rss_mb()
    if rss:
        print(f"peak memory           {rss:,.0f} MB")


def _rss_mb() -> float | None:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except ImportError:  # not on this platform
        return None


if __name__ == "__main__":
    main()
