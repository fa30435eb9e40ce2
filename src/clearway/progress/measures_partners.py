"""The indicators of the sections on working with others: mutual assistance and data
protection, training, the single window, integrated border management and electronic
messaging (R3, R5-R8), each definition beside the query that computes it."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from clearway.progress.indicators import (
    Indicator,
    SectionMeasures,
    Span,
    Value,
    count,
    exists,
    median,
    share,
)
from clearway.storage.orm import DeclarationRow, UserRow
from clearway.storage.orm_agencies import AgencyRow, AgencyTaskRow, JointInspectionRow
from clearway.storage.orm_assistance import AssistanceRequestRow
from clearway.storage.orm_border import WatchAlertRow, WatchEntryRow
from clearway.storage.orm_exchange import AgreementRow, InboxRow, OutboxRow, PartnerRow
from clearway.storage.orm_prearrival import CrossingRow
from clearway.storage.orm_privacy import AccessLogRow, BreachRow
from clearway.storage.orm_training import TrainingCourseRow, TrainingRecordRow
from clearway.training.figures import training_figures

ASSISTANCE = (
    Indicator("partners", "Partner administrations in the exchange", "count",
              "Partner administrations registered before the period's end."),
    Indicator("agreements", "Agreements loaded", "count",
              "Mutual-assistance and exchange agreements loaded before the period's end."),
    Indicator("requests_sent", "Assistance requests sent", "count",
              "Mutual-assistance requests sent to partners in the period."),
    Indicator("requests_received", "Assistance requests received", "count",
              "Requests received from partners in the period."),
    Indicator("replied_in_time", "Received requests answered by their deadline", "%",
              "Of the received requests answered in the period, the share answered by the "
              "deadline the partner set."),
    Indicator("data_accesses", "Logged uses of exchanged personal data", "count",
              "Reads, lists, exports, disclosures, rectifications and erasures of exchanged "
              "personal data logged in the period."),
    Indicator("blocked_accesses", "Blocked attempts on personal data", "count",
              "Attempts to use exchanged personal data outside its purpose, blocked and "
              "logged in the period."),
    Indicator("breaches", "Personal data breaches recorded", "count",
              "Breaches detected in the period and entered in the breach register."),
)


def assistance(session: Session, span: Span) -> dict[str, Value]:
    a, log = AssistanceRequestRow, AccessLogRow
    answered = [(r, d) for r, d in session.execute(select(a.replied_at, a.deadline).where(
        a.direction == "in", a.replied_at >= span.start, a.replied_at < span.end)).all()
        if r is not None]
    logged = select(log.id).where(log.at >= span.start, log.at < span.end)
    return {
        "partners": count(session, select(PartnerRow.code).where(PartnerRow.created_at < span.end)),
        "agreements": count(session, select(AgreementRow.id).where(
            AgreementRow.loaded_at < span.end)),
        "requests_sent": count(session, select(a.id).where(
            a.direction == "out", a.sent_at >= span.start, a.sent_at < span.end)),
        "requests_received": count(session, select(a.id).where(
            a.direction == "in", a.created_at >= span.start, a.created_at < span.end)),
        "replied_in_time": share(sum(1 for r, d in answered if r <= d), len(answered)),
        "data_accesses": count(session, logged.where(log.action != "blocked")),
        "blocked_accesses": count(session, logged.where(log.action == "blocked")),
        "breaches": count(session, select(BreachRow.id).where(
            BreachRow.detected_at >= span.start, BreachRow.detected_at < span.end)),
    }


def assistance_in_use(session: Session, end: datetime) -> bool:
    return (exists(session, select(PartnerRow.code).where(PartnerRow.created_at < end))
            or exists(session, select(AssistanceRequestRow.id).where(
                AssistanceRequestRow.created_at < end)))


TRAINING = (
    Indicator("courses", "Courses offered", "count", "Courses defined before the period's end."),
    Indicator("trainings", "Trainings completed", "count",
              "Training records with a completion date in the period."),
    Indicator("officers_trained", "Officers trained", "count",
              "Distinct officers and supervisors with a training completed in the period."),
    Indicator("qualified_share", "Officers holding a valid qualification", "%",
              "Of the officers with an account on the period's last day, the share holding at "
              "least one qualification valid that day."),
    Indicator("sessions_planned", "Training sessions planned", "count",
              "Sessions of the training plan dated in the period."),
    Indicator("sessions_held", "Training sessions held", "count",
              "Sessions of the training plan recorded as held in the period."),
    Indicator("seats_filled_share", "Planned seats filled", "%",
              "Attendees of the sessions held in the period over the seats of the sessions "
              "planned in it."),
    Indicator("training_spent_share", "Training budget spent", "%",
              "Spending recorded on the sessions held in the period over the budget of the "
              "sessions planned in it."),
    Indicator("tasks_waiting_for_qualification", "Controls that waited for a qualified "
              "officer", "count", "Control tasks opened in the period that needed a "
              "qualification and were first assigned after they were opened, or never."),
    Indicator("seats_needed", "Officers still to train", "count",
              "Seats the training needs call for on the period's last day (docs/training.md, "
              "the training plan)."),
)


def training(session: Session, span: Span) -> dict[str, Value]:
    r, c = TrainingRecordRow, TrainingCourseRow
    done = select(r.officer_id).where(r.completed_on >= span.first, r.completed_on < span.until)
    last = span.until - timedelta(days=1)
    officers = set(session.execute(select(UserRow.id).where(
        UserRow.role == "officer", UserRow.created_at < span.end,
        or_(UserRow.revoked_at.is_(None), UserRow.revoked_at >= span.end))).scalars())
    qualified = set(session.execute(
        select(r.officer_id).join(c, c.code == r.course_code).where(
            c.qualification.is_not(None), r.completed_on <= last,
            or_(r.expires_on.is_(None), r.expires_on > last))).scalars())
    plan = training_figures(session, span.first, span.until)
    return {
        "courses": count(session, select(c.code).where(c.created_at < span.end)),
        "trainings": count(session, done),
        "officers_trained": count(session, done.distinct()),
        "qualified_share": share(len(officers & qualified), len(officers)),
        "sessions_planned": plan["sessions_planned"], "sessions_held": plan["sessions_held"],
        "seats_filled_share": share(plan["seats_filled"], plan["seats_planned"]),
        "training_spent_share": _ratio(Decimal(plan["spent"]), Decimal(plan["budget_planned"])),
        "tasks_waiting_for_qualification": plan["tasks_waiting_for_qualification"],
        "seats_needed": plan["seats_needed"],
    }


def _ratio(part: Decimal, whole: Decimal) -> float | None:
    return None if not whole else round(float(part / whole) * 100, 1)


def training_in_use(session: Session, end: datetime) -> bool:
    return exists(session, select(TrainingCourseRow.code).where(
        TrainingCourseRow.created_at < end))


SINGLE_WINDOW = (
    Indicator("agencies", "Agencies in the single window", "count",
              "Agencies (plant health, veterinary, licensing...) registered before the "
              "period's end."),
    Indicator("declarations_routed", "Declarations routed to agencies", "count",
              "Declarations with at least one item routed to an agency in the period."),
    Indicator("agency_tasks", "Agency tasks", "count", "Tasks routed to agencies in the period."),
    Indicator("decided_share", "Agency tasks decided", "%",
              "Of the tasks routed in the period, the share an agency has decided."),
    Indicator("decision_hours", "Median time to an agency's decision", "hours",
              "Median of decided minus routed time, in hours, over the tasks routed in the "
              "period and decided."),
    Indicator("joint_inspections", "Joint inspections booked", "count",
              "Physical examinations booked once for customs and agencies together in the "
              "period."),
)


def single_window(session: Session, span: Span) -> dict[str, Value]:
    t = AgencyTaskRow
    rows = list(session.execute(select(t.declaration_id, t.routed_at, t.decided_at).where(
        t.routed_at >= span.start, t.routed_at < span.end)).all())
    decided = [(d - r).total_seconds() / 3600 for _, r, d in rows if d is not None]
    return {
        "agencies": count(session, select(AgencyRow.code).where(AgencyRow.created_at < span.end)),
        "declarations_routed": len({row[0] for row in rows}),
        "agency_tasks": len(rows),
        "decided_share": share(len(decided), len(rows)),
        "decision_hours": median(decided),
        "joint_inspections": count(session, select(JointInspectionRow.id).where(
            JointInspectionRow.booked_at >= span.start, JointInspectionRow.booked_at < span.end)),
    }


def single_window_in_use(session: Session, end: datetime) -> bool:
    return exists(session, select(AgencyTaskRow.id).where(AgencyTaskRow.routed_at < end))


BORDER = (
    Indicator("crossings", "Vehicles recorded at the booth", "count",
              "Border crossings recorded in the period."),
    Indicator("announced_share", "Crossings announced in advance", "%",
              "Of those crossings, the share matched to an anticipated arrival."),
    Indicator("watch_entries", "Watch-list entries added", "count",
              "Entries added in the period to the watch lists shared at the border."),
    Indicator("shared_entries_share", "Entries shared with other services", "%",
              "Of those entries, the share shared with at least one other service."),
    Indicator("alerts", "Watch-list alerts raised", "count",
              "Alerts raised in the period by a crossing, declaration or summary."),
    Indicator("alerts_multi_service", "Alerts seen by several services", "%",
              "Of those alerts, the share shown to more than one service."),
)


def border(session: Session, span: Span) -> dict[str, Value]:
    crossings = list(session.execute(select(CrossingRow.arrival_id).where(
        CrossingRow.recorded_at >= span.start, CrossingRow.recorded_at < span.end)).scalars())
    entries = list(session.execute(select(WatchEntryRow.shared_with).where(
        WatchEntryRow.created_at >= span.start, WatchEntryRow.created_at < span.end)).scalars())
    alerts = list(session.execute(select(WatchAlertRow.services).where(
        WatchAlertRow.raised_at >= span.start, WatchAlertRow.raised_at < span.end)).scalars())
    return {
        "crossings": len(crossings),
        "announced_share": share(sum(1 for a in crossings if a is not None), len(crossings)),
        "watch_entries": len(entries),
        "shared_entries_share": share(sum(1 for s in entries if s), len(entries)),
        "alerts": len(alerts),
        "alerts_multi_service": share(sum(1 for s in alerts if len(s or []) > 1), len(alerts)),
    }


def border_in_use(session: Session, end: datetime) -> bool:
    return (exists(session, select(CrossingRow.id).where(CrossingRow.recorded_at < end))
            or exists(session, select(WatchEntryRow.id).where(WatchEntryRow.created_at < end)))


MESSAGING = (
    Indicator("filings", "Electronic filings received", "count",
              "Declarations and summaries lodged in the period, in any format."),
    Indicator("json_share", "Filed as JSON", "%", "Share of the filings lodged as JSON."),
    Indicator("xml_share", "Filed as WCO XML", "%",
              "Share of the filings lodged as WCO Data Model XML."),
    Indicator("edifact_share", "Filed as UN/EDIFACT CUSDEC", "%",
              "Share of the filings lodged as UN/EDIFACT CUSDEC."),
    Indicator("messages_sent", "Signed messages sent to partners", "count",
              "Messages queued in the period for partner administrations."),
    Indicator("delivered_share", "Messages delivered", "%",
              "Of those messages, the share the partner has acknowledged."),
    Indicator("messages_received", "Signed messages received from partners", "count",
              "Messages received from partner administrations in the period."),
)


def messaging(session: Session, span: Span) -> dict[str, Value]:
    formats = dict(session.execute(
        select(DeclarationRow.format, func.count()).where(
            DeclarationRow.created_at >= span.start, DeclarationRow.created_at < span.end)
        .group_by(DeclarationRow.format)).all())
    total = sum(formats.values())
    sent = list(session.execute(select(OutboxRow.status).where(
        OutboxRow.created_at >= span.start, OutboxRow.created_at < span.end)).scalars())
    return {
        "filings": total, "json_share": share(formats.get("json", 0), total),
        "xml_share": share(formats.get("wco-xml", 0), total),
        "edifact_share": share(formats.get("edifact", 0), total),
        "messages_sent": len(sent),
        "delivered_share": share(sum(1 for s in sent if s == "delivered"), len(sent)),
        "messages_received": count(session, select(InboxRow.id).where(
            InboxRow.received_at >= span.start, InboxRow.received_at < span.end)),
    }


def messaging_in_use(session: Session, end: datetime) -> bool:
    return exists(session, select(DeclarationRow.id).where(DeclarationRow.created_at < end))


MEASURES = (
    SectionMeasures("assistance", ASSISTANCE, assistance, assistance_in_use),
    SectionMeasures("training", TRAINING, training, training_in_use),
    SectionMeasures("single_window", SINGLE_WINDOW, single_window, single_window_in_use),
    SectionMeasures("border", BORDER, border, border_in_use),
    SectionMeasures("messaging", MESSAGING, messaging, messaging_in_use),
)
