"""The pure engine: hits fold into scores and a channel; batch and single decide alike."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

import polars as pl
import pytest

from clearway.demo.generator import DeclarationGenerator
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.assess import Assessment, EngineSettings, Knowledge, assess, assess_frame
from clearway.risk.engine.decision import Area, Channel, EnsOutcome, Hit, Source
from clearway.risk.engine.frame import flatten
from clearway.risk.engine.selectivity import Capacity, select
from clearway.screening.matcher import Screener
from clearway.screening.model import ListEntry
from clearway.screening.ruleset import PartyScreening
from helpers import load_benchmark

# Many decisions at once live with the benchmarks that measure them (benchmarks/).
select_all = load_benchmark("batch_selectivity").select_all
REF = RefDataSnapshot.from_texts(read_directory(package_dir()))
DAY = date(2026, 11, 20)
SETTINGS = EngineSettings()


@dataclass(frozen=True)
class ColumnRule:
    """A test rule: a hit for every row where `column` equals `value`."""

    column: str
    value: object
    hit: Hit

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        rows = frame.filter(pl.col(self.column) == self.value)
        return [(d, replace(self.hit, item=i)) for d, i in zip(rows["_decl"], rows["item"],
                                                                strict=True)]


def docs(n: int, seed: int = 3) -> list:
    gen = DeclarationGenerator(REF, random.Random(seed), DAY)
    return [gen.entry_summary(f"E{i}") if i % 7 == 0 else gen.declaration(f"L{i}")
            for i in range(n)]


def soft(area: Area, weight: float) -> Hit:
    return Hit(Source.PROFILE, "P v1", area, "test", weight=weight)


def assessment(**changes: object) -> Assessment:
    base = Assessment(key="K", declaration_type="IM", office="RS001002", day=DAY, hits=(),
                      scores={str(a): 0.0 for a in Area}, fiscal_score=0.0,
                      security_score=0.0, probability=None, expected_revenue=None,
                      expected_value=0.0, required=None, aeo=(), ens_outcome=None)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_no_knowledge_means_no_hits_and_zero_scores() -> None:
    (a,) = assess(docs(2)[1:2], [DAY], REF, Knowledge())
    assert a.hits == () and a.expected_value == 0 and a.required is None
    assert set(a.scores) == {str(x) for x in Area} and not any(a.scores.values())


def test_soft_hits_of_one_area_combine_as_independent_evidence() -> None:
    doc = docs(2)[1]
    rules = (ColumnRule("declaration_type", "IM", soft(Area.VALUATION, 0.5)),
             ColumnRule("declaration_type", "IM", soft(Area.VALUATION, 0.5)))
    frame = flatten([doc], [DAY], REF).with_columns(pl.lit(False).alias("aeoc"))
    (a,) = assess_frame(frame, Knowledge(rules=rules))
    items = len(doc.items)
    assert a.scores["valuation"] == pytest.approx(1 - 0.5 ** (2 * items))
    assert a.fiscal_score == pytest.approx(a.scores["valuation"])


# (expected value, hard channel required, draw, limits, used) -> (channel, random, limited)
SELECTIVITY = [
    (0.0, None, 0.5, {}, {}, Channel.GREEN, False, False),
    (0.35, None, 0.5, {}, {}, Channel.BLUE, False, False),
    (0.6, None, 0.5, {}, {}, Channel.YELLOW, False, False),
    (0.9, None, 0.5, {}, {}, Channel.RED, False, False),
    (0.0, None, 0.01, {}, {}, Channel.RED, True, False),       # random share 2 %
    (0.9, None, 0.5, {Channel.RED: 3}, {Channel.RED: 3}, Channel.YELLOW, False, True),
    (0.9, None, 0.5, {Channel.RED: 3, Channel.YELLOW: 0}, {Channel.RED: 3}, Channel.BLUE,
     False, True),
    (0.9, Channel.RED, 0.5, {Channel.RED: 3}, {Channel.RED: 3}, Channel.RED, False, False),
    (0.9, Channel.YELLOW, 0.5, {Channel.RED: 0}, {}, Channel.YELLOW, False, True),
    (0.0, None, 0.01, {Channel.RED: 0}, {}, Channel.RED, True, False),  # random overspends
]


@pytest.mark.parametrize(("ev", "required", "draw", "limits", "used", "channel", "rnd",
                          "limited"), SELECTIVITY)
def test_selectivity_table(ev: float, required: Channel | None, draw: float,
                           limits: dict[Channel, int], used: dict[Channel, int],
                           channel: Channel, rnd: bool, limited: bool) -> None:
    cap = Capacity(limits=dict(limits), used=dict(used))
    d = select(assessment(expected_value=ev, required=required), draw, cap, SETTINGS)
    assert (d.channel, d.random_selected, d.capacity_limited) == (channel, rnd, limited)
    assert cap.used.get(channel, 0) == used.get(channel, 0) + (channel != Channel.GREEN)


ENS_TABLE = [
    (EnsOutcome.NO_RISK, Channel.GREEN), (EnsOutcome.RFI, Channel.YELLOW),
    (EnsOutcome.HRS, Channel.RED), (EnsOutcome.DNL, Channel.RED),
]


@pytest.mark.parametrize(("outcome", "channel"), ENS_TABLE)
def test_ens_outcomes_take_their_channel_whatever_the_capacity(
        outcome: EnsOutcome, channel: Channel) -> None:
    cap = Capacity(limits={Channel.RED: 0, Channel.YELLOW: 0})
    a = assessment(declaration_type="ENS", ens_outcome=outcome)
    assert select(a, 0.5, cap, SETTINGS).channel == channel


def test_aeo_lowers_scores_but_never_a_hard_hit_or_a_random_draw() -> None:
    gen_docs = docs(30)
    imports = [d for d in gen_docs if d.declaration_type == "IM"]
    rule = ColumnRule("declaration_type", "IM", soft(Area.VALUATION, 0.9))
    hard = ColumnRule("declaration_type", "IM",
                      Hit(Source.IPR, "APP-1", Area.IPR, "brand", weight=1.0,
                          min_channel=Channel.RED, hard=True))
    frame = flatten(imports, [DAY] * len(imports), REF).with_columns(
        pl.lit(False).alias("aeoc"), pl.lit(False).alias("aeos"))
    aeo_frame = frame.with_columns(pl.lit(True).alias("aeoc"), pl.lit(True).alias("aeos"))
    plain = assess_frame(frame, Knowledge(rules=(rule,)))
    mitigated = assess_frame(aeo_frame, Knowledge(rules=(rule,)))
    for p, m in zip(plain, mitigated, strict=True):
        assert m.fiscal_score == pytest.approx(p.fiscal_score * SETTINGS.aeoc_factor)
    for m in assess_frame(aeo_frame, Knowledge(rules=(rule, hard))):
        assert select(m, 0.9, None, SETTINGS).channel == Channel.RED
    for m in mitigated:
        d = select(m, 0.001, None, SETTINGS)
        assert d.channel == Channel.RED and d.random_selected


def test_batch_and_single_give_identical_decisions() -> None:
    batch_docs = docs(60)
    listed = next(d for d in batch_docs if d.declaration_type == "IM")
    target = (listed.exporter or listed.consignor).name if listed.exporter else None
    entries = [ListEntry("TEST", "1", target or "Nobody Trading Ltd")]
    rules = (PartyScreening(Screener(entries)),
             ColumnRule("origin_country", "CN", soft(Area.ORIGIN, 0.7)),
             ColumnRule("transport_mode", "1", Hit(Source.PROFILE, "SEA v2", Area.SECURITY,
                                                   "sea", weight=0.4,
                                                   min_channel=Channel.YELLOW, hard=True)))
    knowledge = Knowledge(rules=rules)
    dates = [DAY] * len(batch_docs)
    keys = [f"K{i}" for i in range(len(batch_docs))]
    draws = [random.Random(1).random() for _ in batch_docs]
    batch = select_all(assess(batch_docs, dates, REF, knowledge, keys=keys), draws, {},
                       SETTINGS)
    caps: dict = {}
    single = [select_all(assess([d], [DAY], REF, knowledge, keys=[k]), [r], caps, SETTINGS)[0]
              for d, k, r in zip(batch_docs, keys, draws, strict=True)]
    assert [d.as_dict() for d in batch] == [d.as_dict() for d in single]
    assert any(d.hits for d in batch) and any(d.channel != Channel.GREEN for d in batch)
    if target:
        assert any(h.source == Source.SCREENING for d in batch for h in d.hits)


def test_agency_rules_run_on_the_same_frame_and_stay_out_of_customs_scores() -> None:
    batch_docs = [d for d in docs(30) if d.declaration_type == "IM"]
    sea = ColumnRule("transport_mode", "1", Hit(Source.PROFILE, "SEA v1", Area.SECURITY,
                                                "sea", weight=0.9, min_channel=Channel.RED,
                                                hard=True))
    dates, keys = [DAY] * len(batch_docs), [f"K{i}" for i in range(len(batch_docs))]
    customs = assess(batch_docs, dates, REF, Knowledge(), keys=keys)
    both = assess(batch_docs, dates, REF, Knowledge(agency_rules={"PH": sea}), keys=keys)
    assert [replace(a, agency_hits={}) for a in both] == customs   # customs sees nothing
    hit = [a for a in both if a.agency_hits]
    assert hit and all(set(a.agency_hits) == {"PH"} for a in hit)
    assert all(h.ref == "SEA v1" and h.item is not None for a in hit for h in a.agency_hits["PH"])
    assert not any(a.agency_hits for a in customs)
