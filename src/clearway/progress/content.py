"""What a report says: its sections with their indicators (this period and the previous
one) and narratives, as one JSON document. A draft's figures are computed on every read;
approval freezes the document and its SHA-256 (`model.content_hash`).

The previous period's values come from the administration's frozen report of the
conference before (its figures as approved); with none, they are computed over the period
of the same length just before this one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.progress import repository as repo
from clearway.progress.catalogue import MEASURES, compute
from clearway.progress.indicators import Span
from clearway.progress.model import SECTIONS, Conference
from clearway.storage.orm_progress import ProgressReportRow, ProgressSectionRow

FORMAT = "clearway-progress-report/1"


def span_of(conference: Conference) -> Span:
    return Span(conference.period_start, conference.deadline)


def _values_of(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """section -> {"in_use", "values"} as a frozen report recorded them."""
    return {s["key"]: {"in_use": s["in_use"],
                       "values": {i["key"]: i["value"] for i in s["indicators"]}}
            for s in content.get("sections", [])}


def previous(session: Session, conference: Conference, administration: str
             ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(where the previous values come from, their values by section)."""
    found = repo.previous_frozen(session, administration, conference)
    if found and found[1].content:
        code, row = found
        frozen: dict[str, Any] = row.content or {}
        return ({"source": "report", "conference": code, "version": row.version,
                 **frozen.get("period", {})}, _values_of(frozen))
    before = span_of(conference).before()
    return {"source": "computed", **before.as_dict()}, compute(session, before)


def _section(key: str, row: ProgressSectionRow | None, now: dict[str, Any],
             then: dict[str, Any] | None) -> dict[str, Any]:
    section = next(s for s in SECTIONS if s.key == key)
    indicators = []
    if now["in_use"]:
        before = then["values"] if then and then.get("in_use") else {}
        indicators = [{"key": i.key, "label": i.label, "unit": i.unit,
                       "value": now["values"].get(i.key), "previous": before.get(i.key)}
                      for i in MEASURES[key].indicators]
    return {"key": key, "number": section.number, "title": section.title,
            "requirement": section.requirement, "in_use": now["in_use"],
            "indicators": indicators,
            "owner": row.owner if row else None, "narrative": row.narrative if row else "",
            "completed_by": row.completed_by if row else None}


def build(session: Session, conference: Conference, report: ProgressReportRow,
          sections: dict[str, ProgressSectionRow], approved_at: datetime | None = None
          ) -> dict[str, Any]:
    """The report's document as of now: live figures, the owners' narratives."""
    span = span_of(conference)
    current = compute(session, span)
    source, before = previous(session, conference, report.administration)
    return {
        "format": FORMAT,
        "conference": {"code": conference.code, "name": conference.name,
                       "held_on": conference.held_on.isoformat(),
                       "deadline": conference.deadline.isoformat()},
        "administration": report.administration, "version": report.version,
        "period": span.as_dict(), "previous_period": source,
        "sections": [_section(s.key, sections.get(s.key), current[s.key], before.get(s.key))
                     for s in SECTIONS],
        "reviewed_by": report.reviewed_by, "approved_by": report.approved_by,
        "approved_at": approved_at.isoformat() if approved_at else None,
    }


def document(session: Session, conference: Conference, report: ProgressReportRow
             ) -> dict[str, Any]:
    """What the report says now: the frozen document once approved, else built live."""
    if report.content is not None:
        return report.content
    return build(session, conference, report, repo.section_rows(session, report.id))
