"""Every section's measures in the report's order, and computing them for a period."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from clearway.progress import measures_control, measures_partners
from clearway.progress.indicators import SectionMeasures, Span
from clearway.progress.model import SECTION_KEYS

_ALL = {m.section: m for m in (*measures_control.MEASURES, *measures_partners.MEASURES)}
MEASURES: dict[str, SectionMeasures] = {key: _ALL[key] for key in SECTION_KEYS}


def compute(session: Session, span: Span) -> dict[str, dict[str, Any]]:
    """For each section: whether its capability is in use, and its indicators' values in
    `span` (none when not in use)."""
    out: dict[str, dict[str, Any]] = {}
    for key in SECTION_KEYS:
        measures = MEASURES[key]
        in_use = measures.in_use(session, span.end)
        out[key] = {"in_use": in_use,
                    "values": measures.measure(session, span) if in_use else {}}
    return out
