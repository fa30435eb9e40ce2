"""The indicators of the risk, IPR and dual-use, and integrity sections (R1, R2, R4), each
definition beside the query that computes it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from clearway.progress.indicators import (
    Indicator,
    SectionMeasures,
    Span,
    Value,
    count,
    exists,
    share,
)
from clearway.rotation.repository import rotation_share
from clearway.storage.orm_controls import ControlResultRow, IntegrityCaseRow, OverrideRow
from clearway.storage.orm_prevention import InterestDeclarationRow
from clearway.storage.orm_risk import DualUseEntryRow, IprApplicationRow, RiskDecisionRow

STOPS = ("high_risk_screening", "do_not_load")

RISK = (
    Indicator("declarations_analysed", "Declarations risk-analysed", "count",
              "Declarations (not entry or exit summaries) whose risk decision was taken in the "
              "period (risk_decisions.decided_at, no ENS outcome)."),
    Indicator("summaries_analysed", "Entry/exit summaries risk-analysed", "count",
              "ENS and EXS whose safety and security analysis was taken in the period "
              "(risk_decisions with an ENS outcome)."),
    Indicator("security_stops", "Summaries sent to high-risk screening or do-not-load",
              "count", "Of those summaries, the ones with outcome high-risk screening or "
              "do-not-load."),
    Indicator("selected_share", "Declarations selected for control", "%",
              "Share of the declarations risk-analysed whose channel is yellow, red or blue."),
    Indicator("random_share", "Declarations selected at random", "%",
              "Share of the declarations risk-analysed that the random draw selected."),
    Indicator("hit_rate", "Controls that found an irregularity", "%",
              "Control results recorded in the period with outcome irregular, over all "
              "control results recorded in the period."),
    Indicator("revenue", "Additional duties and taxes after controls", "amount",
              "Sum of the revenue assessed by the control results recorded in the period."),
    Indicator("aeo_share", "Declarations of AEO traders", "%",
              "Share of the declarations risk-analysed whose decision names an AEO "
              "authorisation (AEOC, AEOS, AEOF) of a party."),
    Indicator("aeo_green_share", "AEO declarations released green", "%",
              "Of the declarations of AEO traders, the share in the green channel."),
)


def _decisions(session: Session, span: Span) -> list[Any]:
    return list(session.execute(
        select(RiskDecisionRow.channel, RiskDecisionRow.random_selected,
               RiskDecisionRow.ens_outcome, RiskDecisionRow.decision["aeo"])
        .where(RiskDecisionRow.decided_at >= span.start,
               RiskDecisionRow.decided_at < span.end)).all())


def risk(session: Session, span: Span) -> dict[str, Value]:
    rows = _decisions(session, span)
    full = [r for r in rows if r[2] is None]
    summaries = [r for r in rows if r[2] is not None]
    aeo = [r for r in full if r[3]]
    results = list(session.execute(
        select(ControlResultRow.outcome, ControlResultRow.revenue)
        .where(ControlResultRow.recorded_at >= span.start,
               ControlResultRow.recorded_at < span.end)).all())
    return {
        "declarations_analysed": len(full), "summaries_analysed": len(summaries),
        "security_stops": sum(1 for r in summaries if r[2] in STOPS),
        "selected_share": share(sum(1 for r in full if r[0] != "green"), len(full)),
        "random_share": share(sum(1 for r in full if r[1]), len(full)),
        "hit_rate": share(sum(1 for o, _ in results if o == "irregular"), len(results)),
        "revenue": round(float(sum(float(v or 0) for _, v in results)), 2),
        "aeo_share": share(len(aeo), len(full)),
        "aeo_green_share": share(sum(1 for r in aeo if r[0] == "green"), len(aeo)),
    }


def risk_in_use(session: Session, end: datetime) -> bool:
    return exists(session, select(RiskDecisionRow.declaration_id)
                  .where(RiskDecisionRow.decided_at < end))


IPR_DUALUSE = (
    Indicator("ipr_applications", "IPR applications for action in force", "count",
              "Right holders' applications for action, active, whose validity overlaps the "
              "period."),
    Indicator("ipr_hits", "Declarations stopped on an IPR application", "count",
              "Declarations risk-analysed in the period with at least one IPR hit."),
    Indicator("dual_use_entries", "Dual-use control list entries", "count",
              "Entries of the dual-use control list loaded before the period's end."),
    Indicator("dual_use_hits", "Declarations of dual-use goods checked", "count",
              "Declarations risk-analysed in the period with at least one dual-use hit."),
)


def _hit_sources(session: Session, span: Span) -> list[set[str]]:
    rows = session.execute(
        select(RiskDecisionRow.decision["hits"])
        .where(RiskDecisionRow.decided_at >= span.start, RiskDecisionRow.decided_at < span.end))
    return [{str(h.get("source")) for h in (hits or []) if isinstance(h, dict)}
            for (hits,) in rows.all()]


def ipr_dualuse(session: Session, span: Span) -> dict[str, Value]:
    sources = _hit_sources(session, span)
    return {
        "ipr_applications": count(session, select(IprApplicationRow.id).where(
            IprApplicationRow.status == "active", IprApplicationRow.valid_from < span.until,
            IprApplicationRow.valid_to >= span.first)),
        "ipr_hits": sum(1 for s in sources if "ipr" in s),
        "dual_use_entries": count(session, select(DualUseEntryRow.control_number).where(
            DualUseEntryRow.loaded_at < span.end)),
        "dual_use_hits": sum(1 for s in sources if "dual_use" in s),
    }


def ipr_dualuse_in_use(session: Session, end: datetime) -> bool:
    return (exists(session, select(IprApplicationRow.id).where(
                IprApplicationRow.created_at < end))
            or exists(session, select(DualUseEntryRow.control_number).where(
                DualUseEntryRow.loaded_at < end)))


INTEGRITY = (
    Indicator("cases_detected", "Integrity cases detected", "count",
              "Cases of the integrity register opened in the period."),
    Indicator("cases_substantiated", "Cases substantiated", "count",
              "Cases closed in the period as substantiated."),
    Indicator("sanctions", "Sanctions taken", "count",
              "Cases closed in the period with a sanction (reprimand, fine, suspension, "
              "demotion, dismissal or prosecution)."),
    Indicator("cases_open", "Cases still open at the period's end", "count",
              "Cases opened before the period's end and not closed by then."),
    Indicator("overrides_requested", "Four-eyes override requests", "count",
              "Requests to change a channel, waive a control or cancel after selection, made "
              "in the period."),
    Indicator("overrides_approved_share", "Override requests approved", "%",
              "Of the override requests decided in the period, the share approved by a "
              "second person."),
    Indicator("rotated_share", "Officers rotated off sensitive posts", "%",
              "Of the officers who served on a post marked sensitive in the calendar year of "
              "the period's last day, the share who left it for another post that year "
              "(docs/integrity-prevention.md)."),
    Indicator("interest_declarations", "Declarations of interest filed", "count",
              "Officers' declarations of interest filed in the period."),
)


def integrity(session: Session, span: Span) -> dict[str, Value]:
    closed = (IntegrityCaseRow.closed_on >= span.first, IntegrityCaseRow.closed_on < span.until)
    decided = list(session.execute(select(OverrideRow.status).where(
        OverrideRow.decided_at >= span.start, OverrideRow.decided_at < span.end)).scalars())
    return {
        "cases_detected": count(session, select(IntegrityCaseRow.id).where(
            IntegrityCaseRow.opened_on >= span.first, IntegrityCaseRow.opened_on < span.until)),
        "cases_substantiated": count(session, select(IntegrityCaseRow.id).where(
            IntegrityCaseRow.status == "substantiated", *closed)),
        "sanctions": count(session, select(IntegrityCaseRow.id).where(
            IntegrityCaseRow.sanction.is_not(None), *closed)),
        "cases_open": count(session, select(IntegrityCaseRow.id).where(
            IntegrityCaseRow.opened_on < span.until,
            or_(IntegrityCaseRow.closed_on.is_(None), IntegrityCaseRow.closed_on >= span.until))),
        "overrides_requested": count(session, select(OverrideRow.id).where(
            OverrideRow.requested_at >= span.start, OverrideRow.requested_at < span.end)),
        "overrides_approved_share": share(sum(1 for s in decided if s == "approved"),
                                          len(decided)),
        "rotated_share": _percent(rotation_share(
            session, (span.until - timedelta(days=1)).year)["share"]),
        "interest_declarations": count(session, select(InterestDeclarationRow.id).where(
            InterestDeclarationRow.filed_at >= span.start,
            InterestDeclarationRow.filed_at < span.end)),
    }


def _percent(fraction: float | None) -> float | None:
    return None if fraction is None else round(fraction * 100, 1)


def integrity_in_use(session: Session, end: datetime) -> bool:
    return (exists(session, select(IntegrityCaseRow.id).where(
                IntegrityCaseRow.opened_on < end.date()))
            or exists(session, select(OverrideRow.id).where(OverrideRow.requested_at < end)))


MEASURES = (SectionMeasures("risk", RISK, risk, risk_in_use),
            SectionMeasures("ipr_dualuse", IPR_DUALUSE, ipr_dualuse, ipr_dualuse_in_use),
            SectionMeasures("integrity", INTEGRITY, integrity, integrity_in_use))
