"""Pre-arrival alarms as an input of the pure engine: a declaration without alarms is
assessed exactly as before, in the frame's columns and in its decision."""

from __future__ import annotations

import random
from datetime import date

import pytest

from clearway.demo.generator import DeclarationGenerator
from clearway.prearrival.ruleset import ArrivalAlarmRules
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.assess import Knowledge, assess
from clearway.risk.engine.decision import Area, Hit, Source
from clearway.risk.engine.ens import EnsRules
from clearway.risk.engine.fields import ROW_KEYS, SCHEMA
from clearway.risk.engine.frame import ALARMS_COLUMN, flatten

REF = RefDataSnapshot.from_texts(read_directory(package_dir()))
DAY = date(2026, 11, 20)
N = 40


class EveryThird:
    """A rule that hits every third declaration (so decisions are not all green)."""

    def hits(self, frame):  # type: ignore[no-untyped-def]
        return [(d, Hit(Source.PROFILE, "T v1", Area.VALUATION, "t", weight=0.6))
                for d in frame["_decl"].unique().sort() if d % 3 == 0]


def docs() -> list:
    gen = DeclarationGenerator(REF, random.Random(9), DAY)
    return [gen.entry_summary(f"E{i}") if i % 7 == 0 else gen.declaration(f"L{i}")
            for i in range(N)]


KEYS = [f"K{i}" for i in range(N)]
BASE = Knowledge(rules=(EveryThird(), EnsRules.load()))
WITH_ALARMS = Knowledge(rules=(EveryThird(), EnsRules.load(), ArrivalAlarmRules()))


@pytest.mark.parametrize("alarms", [None, {}, {"K1": []}, {"nobody": [{"kind": "x"}]}])
def test_no_alarms_leave_the_frame_as_it_was(alarms: dict | None) -> None:
    plain = flatten(docs(), [DAY] * N, REF, keys=KEYS)
    given = flatten(docs(), [DAY] * N, REF, keys=KEYS, alarms=alarms)
    if alarms and any(alarms.values()):
        assert given.drop(ALARMS_COLUMN).equals(plain)
        assert given[ALARMS_COLUMN].null_count() == given.height
    else:
        assert given.equals(plain)
        assert dict(given.schema) == {**ROW_KEYS, **SCHEMA}


@pytest.mark.parametrize("alarms", [None, {}])
def test_without_alarms_decisions_are_those_of_the_engine_without_the_rule_set(
        alarms: dict | None) -> None:
    before = assess(docs(), [DAY] * N, REF, BASE, keys=KEYS)
    after = assess(docs(), [DAY] * N, REF, WITH_ALARMS, keys=KEYS, alarms=alarms)
    assert after == before
    assert any(a.hits for a in before)  # the comparison is not between empty decisions


def test_one_declarations_alarms_change_only_that_declaration() -> None:
    before = assess(docs(), [DAY] * N, REF, BASE, keys=KEYS)
    alarm = {"kind": "seals-different", "partner": "MK", "reason": "seal S2 missing",
             "evidence": {"seals": {"announced": ["S1", "S2"], "arrived": ["S1"]}}}
    after = assess(docs(), [DAY] * N, REF, WITH_ALARMS, keys=KEYS, alarms={"K4": [alarm]})
    assert [a for i, a in enumerate(after) if i != 4] == \
        [a for i, a in enumerate(before) if i != 4]
    [hit] = [h for h in after[4].hits if h.source == Source.PRE_ARRIVAL]
    assert hit.evidence["seals"] == {"announced": ["S1", "S2"], "arrived": ["S1"]}
    assert after[4].security_score > before[4].security_score
