"""Selectivity figures: channel shares overall, by office, and AEO against non-AEO.

Pure: takes decision records (channel, AEO types, random flag, office) and counts. The AEO
benefit the issue asks to measure is the share released green (or blue) among AEO filings
against the others; random selections are reported apart, since their outcomes estimate
non-compliance without selection bias.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from clearway.risk.engine.decision import Channel

RELEASED_AT_ONCE = (Channel.GREEN, Channel.BLUE)


@dataclass(frozen=True)
class DecisionRecord:
    channel: str
    aeo: bool
    random_selected: bool
    office: str | None
    declaration_type: str


def _shares(counts: Counter[str], total: int) -> dict[str, Any]:
    return {"total": total,
            "channels": {str(c): counts.get(str(c), 0) for c in Channel},
            "shares": {str(c): round(counts.get(str(c), 0) / total, 4) if total else None
                       for c in Channel},
            "released_at_once": (round(sum(counts.get(str(c), 0) for c in RELEASED_AT_ONCE)
                                       / total, 4) if total else None)}


def summarize(records: Iterable[DecisionRecord]) -> dict[str, Any]:
    rows = list(records)
    by: dict[str, Counter[str]] = {"all": Counter(), "aeo": Counter(), "non_aeo": Counter()}
    offices: dict[str, Counter[str]] = {}
    random_count = 0
    for r in rows:
        by["all"][r.channel] += 1
        by["aeo" if r.aeo else "non_aeo"][r.channel] += 1
        offices.setdefault(r.office or "-", Counter())[r.channel] += 1
        random_count += r.random_selected
    aeo_n, non_n = sum(by["aeo"].values()), sum(by["non_aeo"].values())
    aeo, non = _shares(by["aeo"], aeo_n), _shares(by["non_aeo"], non_n)
    benefit = (round(aeo["released_at_once"] - non["released_at_once"], 4)
               if aeo_n and non_n else None)
    return {"all": _shares(by["all"], len(rows)), "aeo": aeo, "non_aeo": non,
            "aeo_benefit": benefit, "random_selected": random_count,
            "offices": {o: _shares(c, sum(c.values())) for o, c in sorted(offices.items())}}
