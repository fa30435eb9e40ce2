"""trader records: the live decision's per-trader summary

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 13:10:00.000000
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# The backfill below is the application's recount as it stood at this revision
# (`risk.trader_summary.rebuild` over `history_store.trader_records` and `labels.label_table`),
# written out here so that the migration does not change when the application does.
ACCEPTED = ("accepted", "risk_assessed", "under_control", "released", "detained", "seized",
            "cancelled", "invalidated")  # every status a declaration reaches once accepted
RISK_TYPES = ("IM", "EX", "CO", "ENS")  # declarations with a trader
OUTCOMES = ("regular", "irregular")
BATCH = 500  # traders per recount: keeps the query's IN lists short on every backend

declarations = sa.table(
    "declarations", sa.column("id", sa.Integer), sa.column("declarant_id", sa.String),
    sa.column("declaration_type", sa.String), sa.column("status", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("document", sa.JSON))
parties = sa.table("declaration_parties", sa.column("declaration_id", sa.Integer),
                   sa.column("party_id", sa.String))
results = sa.table("control_results", sa.column("declaration_id", sa.Integer),
                   sa.column("outcome", sa.String))
events = sa.table("declaration_events", sa.column("declaration_id", sa.Integer),
                  sa.column("kind", sa.String), sa.column("from_status", sa.String),
                  sa.column("detail", sa.JSON))
records = sa.table("trader_records", sa.column("trader_id", sa.String),
                   sa.column("declarations", sa.Integer), sa.column("controls", sa.Integer),
                   sa.column("irregular", sa.Integer), sa.column("first_seen", sa.Date))


def upgrade() -> None:
    op.create_table('trader_records',
    sa.Column('trader_id', sa.String(length=40), nullable=False),
    sa.Column('declarations', sa.Integer(), nullable=False),
    sa.Column('controls', sa.Integer(), nullable=False),
    sa.Column('irregular', sa.Integer(), nullable=False),
    sa.Column('first_seen', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('trader_id')
    )
    # Backfill from the stored history, so an upgraded database starts equal to the
    # point-in-time query. It runs inside the migration's transaction: the table is filled
    # or not created at all.
    bind = op.get_bind()
    found = bind.execute(sa.select(_trader()).distinct().where(
        declarations.c.status.in_(ACCEPTED),
        declarations.c.declaration_type.in_(RISK_TYPES))).scalars()
    traders = sorted(t for t in found if t)
    for i in range(0, len(traders), BATCH):
        rows = _records(bind, traders[i:i + BATCH])
        if rows:
            bind.execute(records.insert(), rows)


def downgrade() -> None:
    op.drop_table('trader_records')


def _party(name: str) -> Any:
    return sa.func.nullif(declarations.c.document[(name, "id")].as_string(), "")


def _trader() -> Any:
    """The declaration's trader: consignee (ENS), exporter (EX), importer, else declarant."""
    kind = declarations.c.declaration_type
    party = sa.case((kind == "ENS", _party("consignee")), (kind == "EX", _party("exporter")),
                    else_=_party("importer"))
    return sa.func.coalesce(party, sa.func.nullif(declarations.c.declarant_id, ""))


def _labels() -> Any:
    """One row per controlled declaration: irregular when any outcome was; outcomes carried
    by release events count for declarations with no control result."""
    known = results.c.outcome.in_(OUTCOMES)
    from_results = (sa.select(results.c.declaration_id.label("declaration_id"),
                              sa.func.max(sa.case((results.c.outcome == "irregular", 1),
                                                  else_=0)).label("irregular"))
                    .where(known).group_by(results.c.declaration_id))
    outcome = events.c.detail["outcome"].as_string()
    from_events = (sa.select(events.c.declaration_id,
                             sa.func.max(sa.case((outcome == "irregular", 1), else_=0)))
                   .where(events.c.kind == "released", events.c.from_status == "under_control",
                          outcome.in_(OUTCOMES),
                          events.c.declaration_id.not_in(
                              sa.select(results.c.declaration_id).where(known)))
                   .group_by(events.c.declaration_id))
    return sa.union_all(from_results, from_events).subquery("labels")


def _records(bind: Any, wanted: list[str]) -> list[dict[str, Any]]:
    """Per trader: its accepted declarations, the controlled ones, the irregular ones and the
    day of its first declaration (traders never seen get no row)."""
    D = declarations.c
    named = sa.select(parties.c.declaration_id).where(parties.c.party_id.in_(wanted))
    theirs = (sa.select(_trader().label("trader"), D.id.label("id"), D.created_at.label("at"))
              .where(D.id.in_(named), D.status.in_(ACCEPTED), D.declaration_type.in_(RISK_TYPES))
              .subquery())
    filed = (sa.select(theirs.c.trader, sa.func.count(), sa.func.min(theirs.c.at))
             .where(theirs.c.trader.in_(wanted)).group_by(theirs.c.trader))
    labels = _labels()
    controlled = (sa.select(theirs.c.trader, sa.func.count(), sa.func.sum(labels.c.irregular))
                  .join(labels, labels.c.declaration_id == theirs.c.id)
                  .where(theirs.c.trader.in_(wanted)).group_by(theirs.c.trader))
    controls = {t: (n, int(bad or 0)) for t, n, bad in bind.execute(controlled)}
    return [dict(trader_id=trader, declarations=n, controls=controls.get(trader, (0, 0))[0],
                 irregular=controls.get(trader, (0, 0))[1], first_seen=_day(first))
            for trader, n, first in bind.execute(filed)]


def _day(at: datetime | None) -> date | None:
    """The UTC day of a stored time (read back without a zone on SQLite)."""
    if at is None:
        return None
    return (at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)).date()
