"""Small frames are matched in plain Python: the hits are exactly the vectorised ones."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearway.demo.generator import DeclarationGenerator
from clearway.ipr.matcher import IprRegister
from clearway.ipr.model import IprApplication
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.frame import flatten
from unit.ipr.test_ipr_matcher import CASES, REGISTER, application, frame, row

DAY = date(2026, 5, 1)


def both_ways(register: IprRegister) -> tuple[IprRegister, IprRegister]:
    apps = register.applications
    types = register.declaration_types
    return (IprRegister(apps, declaration_types=types),
            IprRegister(apps, declaration_types=types, small_frame_rows=0))


@pytest.mark.parametrize(("description", "code", "kind", "on", "refs"), CASES)
def test_matching_table_both_ways(description: str | None, code: str | None, kind: str,
                                  on: date, refs: list[str]) -> None:
    small, vectorised = both_ways(REGISTER)
    items = frame([row(description, code, kind, on), row("plain", "640399", item=2)])
    assert [h.ref for _, h in small.hits(items)] == refs
    assert small.hits(items) == vectorised.hits(items)


# --- generated applications and items ---------------------------------------------------------

TERMS = ["Nike", "Air", "Air Jordan", "Jordan Air", "air-jordan", "Café", "cafe", "Адидас",
         "Straße", "ΣΙΓΜΑ", "x", "Louis Vuitton", "vuitton", "7up"]
WORDS = ["nike", "NIKE", "Air", "jordan", "CAFÉ", "café", "cafe", "адидас", "Adidas",
         "strasse", "STRASSE", "σιγμα", "ΣΙΓΜΑΣ", "x", "X-ray", "louis", "Vuitton", "7UP",
         "7-up", "shoes", "bags", "", "-", "  ", "ﬁne", "Ⅻ"]
APPLICATIONS = st.lists(st.fixed_dictionaries({
    "brands": st.lists(st.sampled_from(TERMS), max_size=3),
    "keywords": st.lists(st.sampled_from(TERMS), min_size=1, max_size=2),
    "hs_codes": st.lists(st.sampled_from(["64", "6403", "640399", "61", "6109"]), max_size=3),
    "valid_from": st.sampled_from([date(2026, 1, 1), date(2026, 5, 2)]),
    "min_channel": st.sampled_from(["yellow", "red"]),
}), min_size=1, max_size=5)
ROWS = st.fixed_dictionaries({
    "description": st.none() | st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join),
    "code": st.sampled_from(["640399", "6403", "64", "610910", "420221", None]),
    "kind": st.sampled_from(["IM", "EX", "CO", "ENS", None]),
    "on": st.sampled_from([DAY, date(2026, 5, 2), date(2027, 1, 1), None]),
    "decl": st.integers(0, 2), "item": st.none() | st.integers(1, 4)})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=APPLICATIONS, rows=st.lists(ROWS, min_size=1, max_size=8))
def test_small_frames_give_the_vectorised_hits(specs: list[dict[str, Any]],
                                                rows: list[dict[str, Any]]) -> None:
    apps = [application(f"A{n}", valid_to=date(2026, 12, 31), **spec)
            for n, spec in enumerate(specs)]
    small, vectorised = both_ways(IprRegister(apps))
    items = frame([row(**r) for r in rows])
    assert small.hits(items) == vectorised.hits(items)


# --- generated declarations: single filings and the batch ------------------------------------

def test_single_declarations_hit_as_the_batch() -> None:
    ref = RefDataSnapshot.from_texts(read_directory(package_dir()))
    gen = DeclarationGenerator(ref, random.Random(5), DAY)
    docs = [gen.entry_summary(f"E{n}") if n % 10 == 0 else gen.declaration(f"L{n}")
            for n in range(60)]
    frames = [flatten([doc], [DAY], ref) for doc in docs]
    words = sorted({w for f in frames for d in f["description"].drop_nulls()
                    for w in d.split()[:1]})
    apps: list[IprApplication] = [
        application(f"W{n}", keywords=[word], hs_codes=[] if n % 2 else ["8", "6", "3"])
        for n, word in enumerate(words[:40])]
    register, vectorised = both_ways(IprRegister(apps))
    batch = vectorised.hits(flatten(docs, [DAY] * len(docs), ref))
    single = [(n, hit) for n, part in enumerate(frames) for _decl, hit in register.hits(part)]
    assert len(batch) > 10  # the comparison is about something
    assert single == batch
