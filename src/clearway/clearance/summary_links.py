"""What a summary declaration (ENS, EXS) is linked to: the partner's anticipated arrival it
met, the declarations of its goods (their previous documents, DE 2/1, cite its MRN), and the
lookup the booth calls to find an ENS or EXS by MRN at the crossing. Reads only, inside the
caller's unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from clearway.declarations import repository as decl_repo
from clearway.declarations.model import SUMMARY_TYPES
from clearway.prearrival import arrivals_repository
from clearway.risk import repository as risk_repo
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_prearrival import ArrivalRow
from clearway.summaries.model import carrier_outcome

# Declarations whose goods an ENS or EXS carries: those that cite previous documents.
CITING_TYPES = ("IM", "EX", "CO")
MAX_CITING = 200


@dataclass(frozen=True)
class SummaryRef:
    """An ENS or EXS as the booth sees it: its outcome (what the carrier was told), the
    office where the carrier deals with customs, the means of transport and containers."""

    id: int
    mrn: str
    declaration_type: str
    status: str
    outcome: str
    office: str | None
    conveyance_reference: str | None
    containers: tuple[str, ...]


def summary_by_mrn(session: Session, mrn: str) -> SummaryRef | None:
    """The ENS or EXS with this MRN (None: none, or another kind of filing): the booth's
    link from a crossing (entry: an ENS; exit: an EXS)."""
    row = decl_repo.get(session, mrn.strip().upper()) if mrn.strip() else None
    if row is None or row.mrn is None or row.declaration_type not in SUMMARY_TYPES:
        return None
    decision = risk_repo.get_decision(session, row.id)
    outcome = "pending" if decision is None else str(
        carrier_outcome(decision.ens_outcome, decision.channel))
    doc: dict[str, Any] = row.document or {}
    offices = doc.get("offices") or {}
    return SummaryRef(
        id=row.id, mrn=row.mrn, declaration_type=row.declaration_type, status=row.status,
        outcome=outcome,
        office=offices.get("first_entry") or offices.get("exit") or offices.get("lodgement"),
        conveyance_reference=doc.get("conveyance_reference"),
        containers=tuple(c.get("number", "") for c in doc.get("containers") or []))


def _cites(document: dict[str, Any], mrn: str) -> bool:
    previous = list(document.get("previous_documents") or [])
    for item in document.get("items") or []:
        previous += item.get("previous_documents") or []
    return any((p.get("reference") or "").strip().upper() == mrn for p in previous)


def declarations_citing(session: Session, mrn: str) -> list[DeclarationRow]:
    """Declarations (import, export, transit) whose previous documents cite `mrn`, at header
    or item level, newest first. The text search narrows; the document decides."""
    mrn = mrn.strip().upper()
    query = (select(DeclarationRow)
             .where(DeclarationRow.declaration_type.in_(CITING_TYPES),
                    DeclarationRow.mrn.is_not(None),
                    cast(DeclarationRow.document, Text).contains(mrn))
             .order_by(DeclarationRow.id.desc()).limit(MAX_CITING))
    return [r for r in session.execute(query).scalars() if _cites(r.document or {}, mrn)]


def arrivals_of(session: Session, row: DeclarationRow) -> list[ArrivalRow]:
    """The partners' anticipated arrivals an ENS met: matched by it, or carrying its
    containers (an EXS leaves: none)."""
    if row.declaration_type != "ENS" or row.mrn is None:
        return []
    matched = list(session.execute(select(ArrivalRow).where(
        ArrivalRow.matched_ref == row.mrn)).scalars())
    containers = [c.get("number", "") for c in (row.document or {}).get("containers") or []]
    found = {a.id: a for a in matched}
    for arrival in arrivals_repository.by_containers(session, containers) if containers else []:
        found.setdefault(arrival.id, arrival)
    return sorted(found.values(), key=lambda a: a.id)
