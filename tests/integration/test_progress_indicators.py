"""The progress report's indicators on fixed data, on SQLite and PostgreSQL: rows placed in
the tables the sections read, inside and outside the period, and each indicator's value as
its definition says (docs/progress-report.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from clearway.context import Context
from clearway.progress.catalogue import compute
from clearway.progress.indicators import Span
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_agencies import AgencyRow, AgencyTaskRow
from clearway.storage.orm_controls import ControlResultRow, ControlTaskRow, IntegrityCaseRow
from clearway.storage.orm_prevention import InterestDeclarationRow
from clearway.storage.orm_risk import IprApplicationRow, RiskDecisionRow
from clearway.storage.orm_training import TrainingCourseRow, TrainingRecordRow, TrainingSessionRow
from clearway.users.service import create_user

SPAN = Span(date(2026, 1, 1), date(2026, 7, 1))
IN = datetime(2026, 3, 2, 10, tzinfo=UTC)
BEFORE = datetime(2025, 11, 5, 10, tzinfo=UTC)   # in the previous period of the same length


def _declaration(n: int, at: datetime, fmt: str = "json") -> DeclarationRow:
    return DeclarationRow(lrn=f"P-{n}", declarant_id="RS100234567", submitted_by="t",
                          declaration_type="IM", status="accepted", format=fmt,
                          content_hash="0" * 64, office="RS001002", item_count=1, document={},
                          envelope={}, errors=[], created_at=at, updated_at=at)


def _decision(decl: int, at: datetime, channel: str, *, random: bool = False,
              aeo: list[str] | None = None, hits: list[str] | None = None,
              ens: str | None = None) -> RiskDecisionRow:
    return RiskDecisionRow(
        declaration_id=decl, decided_at=at, office="RS001002", day=at.date(), channel=channel,
        fiscal_score=0, security_score=0, probability=None, expected_value=0,
        random_selected=random, ens_outcome=ens, model_version=None,
        decision={"aeo": aeo or [], "hits": [{"source": s} for s in hits or []]})


def _task(decl: int, officer: int, at: datetime) -> ControlTaskRow:
    return ControlTaskRow(declaration_id=decl, reference=f"M{decl}", office="RS001002",
                          channel="red", kind="physical", status="done", qualifications=[],
                          reasons=[], instructions=[], random_selected=False, origin="decision",
                          officer_id=officer, created_at=at)


def _case(ref: str, opened: date, status: str, closed: date | None = None,
          sanction: str | None = None) -> IntegrityCaseRow:
    return IntegrityCaseRow(reference=ref, opened_on=opened, allegation="bribery",
                            description="d", officer_id=None, office=None, source="complaint",
                            status=status, sanction=sanction, closed_on=closed,
                            updated_at=IN, detail={})


def _agency_task(decl: int, routed: datetime, decided: datetime | None) -> AgencyTaskRow:
    return AgencyTaskRow(declaration_id=decl, reference=f"M{decl}", agency="PX", office=None,
                         matrix_version=1, items=[], holds_release=False, selected=False,
                         selection=[], status="decided" if decided else "waiting",
                         decision="release" if decided else None, routed_at=routed,
                         decided_at=decided)


def _seed(ctx: Context) -> None:
    with ctx.uow() as uow:
        s = uow.session
        officer, _ = create_user(s, name="p-officer", role="officer", trader_id=None,
                                 now=BEFORE, ttl_days=900)
        create_user(s, name="p-officer2", role="officer", trader_id=None, now=BEFORE,
                    ttl_days=900)
        decls = [_declaration(i, at, fmt) for i, (at, fmt) in enumerate(
            [(IN, "json"), (IN, "json"), (IN, "wco-xml"), (IN, "edifact"), (BEFORE, "json")])]
        s.add_all(decls)
        s.flush()
        d = [x.id for x in decls]
        s.add_all([_decision(d[0], IN, "green", aeo=["AEOC"]),
                   _decision(d[1], IN, "red", random=True, hits=["ipr", "profile"]),
                   _decision(d[2], IN, "yellow", aeo=["AEOS"], hits=["dual_use"]),
                   _decision(d[3], IN, "red", ens="do_not_load"),
                   _decision(d[4], BEFORE, "green")])
        tasks = [_task(d[1], officer.id, IN), _task(d[2], officer.id, IN)]
        s.add_all(tasks)
        s.flush()
        s.add_all([ControlResultRow(task_id=t.id, declaration_id=t.declaration_id,
                                    officer_id=officer.id, outcome=o, irregularities=[],
                                    revenue=Decimal(r), seizures=[], action="release",
                                    recorded_at=IN)
                   for t, o, r in zip(tasks, ("irregular", "regular"), ("100.50", "0"),
                                      strict=True)])
        s.add_all([_case("IC-1", date(2025, 10, 1), "open"),
                   _case("IC-2", date(2026, 2, 1), "substantiated", date(2026, 5, 1), "fine"),
                   _case("IC-3", date(2026, 3, 1), "investigating")])
        s.add_all([IprApplicationRow(reference=ref, right_holder="Brand", status=status,
                                     valid_from=date(2025, 6, 1), valid_to=until,
                                     definition={}, created_at=BEFORE, updated_at=BEFORE)
                   for ref, status, until in (("A-1", "active", date(2026, 6, 1)),
                                              ("A-2", "withdrawn", date(2026, 6, 1)),
                                              ("A-3", "active", date(2025, 12, 31)))])
        s.add(TrainingCourseRow(code="IPR-1", title="IPR", qualification="ipr",
                                validity_months=None, created_at=BEFORE, updated_at=BEFORE))
        s.flush()
        s.add_all([TrainingRecordRow(officer_id=officer.id, course_code="IPR-1",
                                     completed_on=day, expires_on=None, recorded_at=IN,
                                     recorded_by="sup")
                   for day in (date(2025, 12, 1), date(2026, 2, 1), date(2026, 4, 1))])
        s.add_all([TrainingSessionRow(  # one planned and held in the period, one after it
            year=day.year, course_code="IPR-1", office=None, planned_on=day, seats=seats,
            trainer="t", budget=Decimal(budget), held_on=held, spent=spent,
            attendees=attendees, created_at=BEFORE, created_by="sup")
            for day, seats, budget, held, spent, attendees in (
                (date(2026, 3, 1), 4, "1000", date(2026, 3, 1), Decimal("500"),
                 [officer.id, officer.id + 1000]),
                (date(2026, 9, 1), 10, "3000", None, None, []))])
        s.add_all([InterestDeclarationRow(
            officer_id=officer.id, kind="relative", party_id="RS100234567", description="d",
            status="pending", filed_at=at, valid_until=at.date() + timedelta(days=365),
            prior_controls=0) for at in (IN, BEFORE)])
        s.add(AgencyRow(code="PX", name="Plants", kind="plant_health", target_minutes=60,
                        inspection_rate=0.1, created_at=BEFORE, created_by="admin"))
        s.flush()
        s.add_all([_agency_task(d[0], IN, IN + timedelta(hours=2)),
                   _agency_task(d[1], IN, IN + timedelta(hours=5)),
                   _agency_task(d[2], IN, None)])
        uow.commit()


EXPECTED: list[tuple[str, str, Any]] = [
    ("risk", "declarations_analysed", 3),
    ("risk", "summaries_analysed", 1),
    ("risk", "security_stops", 1),
    ("risk", "selected_share", 66.7),
    ("risk", "random_share", 33.3),
    ("risk", "hit_rate", 50.0),
    ("risk", "revenue", 100.5),
    ("risk", "aeo_share", 66.7),
    ("risk", "aeo_green_share", 50.0),
    ("ipr_dualuse", "ipr_applications", 1),
    ("ipr_dualuse", "ipr_hits", 1),
    ("ipr_dualuse", "dual_use_entries", 0),
    ("ipr_dualuse", "dual_use_hits", 1),
    ("integrity", "cases_detected", 2),
    ("integrity", "cases_substantiated", 1),
    ("integrity", "sanctions", 1),
    ("integrity", "cases_open", 2),
    ("integrity", "overrides_requested", 0),
    ("integrity", "overrides_approved_share", None),
    ("training", "courses", 1),
    ("training", "trainings", 2),
    ("training", "officers_trained", 1),
    ("training", "qualified_share", 50.0),
    ("training", "sessions_planned", 1),
    ("training", "sessions_held", 1),
    ("training", "seats_filled_share", 50.0),
    ("training", "training_spent_share", 50.0),
    ("integrity", "interest_declarations", 1),
    ("integrity", "rotated_share", None),   # no post marked sensitive
    ("single_window", "agencies", 1),
    ("single_window", "declarations_routed", 3),
    ("single_window", "agency_tasks", 3),
    ("single_window", "decided_share", 66.7),
    ("single_window", "decision_hours", 3.5),
    ("messaging", "filings", 4),
    ("messaging", "json_share", 50.0),
    ("messaging", "xml_share", 25.0),
    ("messaging", "edifact_share", 25.0),
    ("messaging", "messages_sent", 0),
]


@pytest.fixture
def figures(ctx: Context) -> tuple[dict[str, Any], dict[str, Any]]:
    _seed(ctx)
    with ctx.uow(read_only=True) as uow:
        return compute(uow.session, SPAN), compute(uow.session, SPAN.before())


def test_indicators_follow_their_definitions(figures: Any) -> None:
    now, _ = figures
    wrong = [(s, k, want, now[s]["values"].get(k)) for s, k, want in EXPECTED
             if now[s]["values"].get(k) != want]
    assert not wrong


@pytest.mark.parametrize(("section", "in_use"), [
    ("risk", True), ("ipr_dualuse", True), ("assistance", False), ("integrity", True),
    ("training", True), ("single_window", True), ("border", False), ("messaging", True)])
def test_a_capability_never_used_is_not_in_use(figures: Any, section: str,
                                               in_use: bool) -> None:
    now, _ = figures
    assert now[section]["in_use"] is in_use
    assert bool(now[section]["values"]) is in_use


@pytest.mark.parametrize(("section", "key", "want"), [
    ("risk", "declarations_analysed", 1), ("risk", "hit_rate", None),
    ("training", "trainings", 1), ("integrity", "cases_detected", 1),
    ("messaging", "filings", 1)])
def test_the_previous_period_counts_its_own_rows(figures: Any, section: str, key: str,
                                                 want: Any) -> None:
    _, before = figures
    assert before[section]["values"][key] == want


def test_a_capability_first_used_in_this_period_was_not_in_use_before(figures: Any) -> None:
    _, before = figures
    assert before["single_window"] == {"in_use": False, "values": {}}
