"""Prometheus metrics of one application: request counts and latencies recorded as they
happen, and business figures (decisions per channel, queue depths) read from the database
at scrape time, so that several API processes on one database report the same truth."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from clearway.controls.model import TaskStatus
from clearway.declarations.lifecycle import DeclarationStatus
from clearway.overrides.model import Status as OverrideStatus
from clearway.storage.orm import DeclarationRow, NotificationRow
from clearway.storage.orm_controls import ControlTaskRow, OverrideRow
from clearway.storage.orm_risk import RiskDecisionRow

log = logging.getLogger(__name__)

UNMATCHED = "unmatched"  # the route label of requests no route answered (bounded cardinality)
OPEN_TASK_STATUSES = (TaskStatus.AWAITING_OFFICER, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


class DatabaseCollector(Collector):
    """Counts read at scrape time with a handful of indexed COUNT/GROUP BY queries."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("clearway_metrics_database_up",
                               "1 when the scrape-time database queries succeeded")
        try:
            with Session(self.engine) as session:
                families = list(_database_families(session))
        except Exception:  # a scrape must answer even when the database does not
            log.exception("metrics: database queries failed")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families


def _database_families(session: Session) -> Iterator[Metric]:
    decisions = GaugeMetricFamily(
        "clearway_decisions", "Declarations by the channel of their risk decision (a "
        "four-eyes override moves one between channels)", labels=["channel"])
    for channel, count in session.execute(
            select(RiskDecisionRow.channel, func.count()).group_by(RiskDecisionRow.channel)):
        decisions.add_metric([channel], count)
    yield decisions

    tasks = GaugeMetricFamily("clearway_control_tasks_open",
                              "Control tasks not yet done, by status", labels=["status"])
    found: dict[str, int] = {status: count for status, count in session.execute(
        select(ControlTaskRow.status, func.count())
        .where(ControlTaskRow.status.in_(OPEN_TASK_STATUSES))
        .group_by(ControlTaskRow.status))}
    for status in OPEN_TASK_STATUSES:
        tasks.add_metric([status], found.get(status, 0))
    yield tasks

    yield _gauge(session, "clearway_overrides_pending",
                 "Four-eyes override requests waiting for a supervisor",
                 select(func.count()).select_from(OverrideRow)
                 .where(OverrideRow.status == OverrideStatus.PENDING))
    yield _gauge(session, "clearway_webhook_outbox",
                 "Notifications waiting to be pushed to a trader's webhook",
                 select(func.count()).select_from(NotificationRow)
                 .where(NotificationRow.acknowledged_at.is_(None),
                        NotificationRow.next_attempt_at.is_not(None)))
    yield _gauge(session, "clearway_declarations_awaiting_decision",
                 "Declarations accepted but not yet risk-assessed",
                 select(func.count()).select_from(DeclarationRow)
                 .where(DeclarationRow.status == DeclarationStatus.ACCEPTED))


def _gauge(session: Session, name: str, documentation: str, query: object) -> Metric:
    gauge = GaugeMetricFamily(name, documentation)
    gauge.add_metric([], session.scalar(query) or 0)  # type: ignore[call-overload]
    return gauge


class AppMetrics:
    """The registry of one application (tests build many apps: no global registry)."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.requests = Counter("clearway_http_requests", "HTTP requests answered",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("clearway_http_request_duration_seconds",
                                 "Time to answer an HTTP request", ["method", "route"],
                                 registry=self.registry)
        self.registry.register(DatabaseCollector(engine))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)
