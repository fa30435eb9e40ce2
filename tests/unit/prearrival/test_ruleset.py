"""Pre-arrival alarms as engine hits: every kind with its area, weight and evidence; the
analysts' weights; nothing from a frame without alarms."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import polars as pl
import pytest

from clearway.demo.generator import DeclarationGenerator
from clearway.prearrival.model import Alarm, AlarmKind
from clearway.prearrival.ruleset import (
    DEFAULT_WEIGHTS,
    AlarmWeight,
    ArrivalAlarmRules,
    alarm_input,
    weight_problem,
)
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.assess import Knowledge, assess
from clearway.risk.engine.decision import Area, Channel, Source
from clearway.risk.engine.frame import ALARMS_COLUMN, flatten

REF = RefDataSnapshot.from_texts(read_directory(package_dir()))
DAY = date(2026, 11, 20)
AT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
K = AlarmKind

# kind -> (area, default weight, hard, min_channel)
TABLE = [
    (K.VALUE, Area.VALUATION, 0.4, False, None),
    (K.GROSS_MASS, Area.VALUATION, 0.4, False, None),
    (K.PACKAGES, Area.VALUATION, 0.4, False, None),
    (K.HS6, Area.CLASSIFICATION, 0.4, False, None),
    (K.NO_EXIT_RECORD, Area.SECURITY, 0.6, True, Channel.YELLOW),
    (K.SEALS, Area.SECURITY, 0.4, False, None),
    (K.TRANSIT_TOO_SHORT, Area.SECURITY, 0.4, False, None),
    (K.TRANSIT_TOO_LONG, Area.SECURITY, 0.4, False, None),
    (K.CONSIGNEE, Area.SECURITY, 0.4, False, None),
    (K.NO_ARRIVAL, Area.SECURITY, 0.4, False, None),
    (K.EXIT_UNCONFIRMED, Area.SECURITY, 0.4, False, None),
]


def alarm(kind: AlarmKind, **evidence: object) -> Alarm:
    return Alarm(kind=kind, partner="MK", mrn="26MK000000000001A1", reason=f"{kind} found",
                 raised_at=AT, evidence=evidence or {"announced": 100, "arrived": 130},
                 declaration_id=5, item=2)


def frame_of(alarms: dict[str, list[dict[str, object]]] | None, n: int = 3) -> pl.DataFrame:
    gen = DeclarationGenerator(REF, random.Random(11), DAY)
    docs = [gen.declaration(f"L{i}") for i in range(n)]
    return flatten(docs, [DAY] * n, REF, keys=[f"K{i}" for i in range(n)], alarms=alarms)


def test_every_kind_has_an_area_and_a_default() -> None:
    assert {row[0] for row in TABLE} == set(AlarmKind)
    assert set(DEFAULT_WEIGHTS) == set(AlarmKind)


@pytest.mark.parametrize(("kind", "area", "weight", "hard", "channel"), TABLE)
def test_each_kind_is_a_hit_with_its_area_weight_and_both_sides(
        kind: AlarmKind, area: Area, weight: float, hard: bool,
        channel: Channel | None) -> None:
    frame = frame_of({"K1": [alarm_input(alarm(kind, announced=10, arrived=14), 77)]})
    found = ArrivalAlarmRules().hits(frame)
    assert len(found) == 1
    decl, hit = found[0]
    assert decl == 1
    assert (hit.source, hit.ref, hit.area) == (Source.PRE_ARRIVAL, str(kind), area)
    assert (hit.weight, hit.hard, hit.min_channel) == (weight, hard, channel)
    assert hit.reason == f"pre-arrival alarm from MK: {kind} found"
    assert hit.evidence["announced"] == 10 and hit.evidence["arrived"] == 14
    assert hit.evidence["alarm_id"] == 77 and hit.evidence["mrn"] == "26MK000000000001A1"


def test_analysts_weights_replace_the_defaults() -> None:
    rules = ArrivalAlarmRules({K.VALUE: AlarmWeight(K.VALUE, 0.9, Channel.RED, True)})
    frame = frame_of({"K0": [alarm_input(alarm(K.VALUE)), alarm_input(alarm(K.SEALS))]})
    hits = {h.ref: h for _d, h in rules.hits(frame)}
    assert (hits["value-difference"].weight, hits["value-difference"].min_channel) == \
        (0.9, Channel.RED)
    assert hits["seals-different"].weight == 0.4


def test_several_items_give_one_hit_per_alarm_not_per_row() -> None:
    frame = frame_of({"K2": [alarm_input(alarm(K.HS6))]})
    assert frame.filter(pl.col("_decl") == 2).height >= 1
    assert len(ArrivalAlarmRules().hits(frame)) == 1


@pytest.mark.parametrize("alarms", [None, {}, {"K0": []}, {"other-key": [{"kind": "x"}]}])
def test_no_alarms_no_hits(alarms: dict[str, list[dict[str, object]]] | None) -> None:
    frame = frame_of(alarms)
    assert ArrivalAlarmRules().hits(frame) == []


def test_a_frame_without_the_column_is_read_as_no_alarms() -> None:
    frame = frame_of(None)
    assert ALARMS_COLUMN not in frame.columns
    assert ArrivalAlarmRules().hits(frame) == []


def test_an_unknown_kind_still_reaches_the_officer_as_security() -> None:
    frame = frame_of({"K0": [{"kind": "future-kind", "partner": "MK", "reason": "new"}]})
    [(_d, hit)] = ArrivalAlarmRules().hits(frame)
    assert (hit.ref, hit.area, hit.weight) == ("future-kind", Area.SECURITY, 0.4)


def test_a_hard_alarm_takes_its_channel_through_the_engine() -> None:
    gen = DeclarationGenerator(REF, random.Random(5), DAY)
    doc = gen.declaration("L1")
    knowledge = Knowledge(rules=(ArrivalAlarmRules(),))
    [plain] = assess([doc], [DAY], REF, knowledge, keys=["M"])
    [alarmed] = assess([doc], [DAY], REF, knowledge, keys=["M"],
                       alarms={"M": [alarm_input(alarm(K.NO_EXIT_RECORD))]})
    assert plain.hits == () and plain.required is None
    assert alarmed.required == Channel.YELLOW
    assert alarmed.scores[str(Area.SECURITY)] == pytest.approx(0.6)


@pytest.mark.parametrize(("weight", "channel", "hard", "ok"), [
    (0.0, None, False, True), (1.0, Channel.RED, True, True), (0.5, Channel.BLUE, True, True),
    (-0.1, None, False, False), (1.1, None, False, False), (float("nan"), None, False, False),
    (float("inf"), None, False, False), (0.5, None, True, False),
    (0.5, Channel.GREEN, True, False), (0.5, Channel.RED, False, False),
])
def test_what_a_weight_may_be(weight: float, channel: Channel | None, hard: bool,
                              ok: bool) -> None:
    assert (weight_problem(weight, channel, hard) is None) == ok
