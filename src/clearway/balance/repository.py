"""Reads of the balance room: one aggregate query, never a row per declaration. Outcomes come
from the label store's SQL (`risk.learning.labels.label_table`), as every report's do."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.balance.live import SCHEMA
from clearway.risk.learning.labels import label_table
from clearway.storage.orm_risk import RiskDecisionRow


def decision_counts(session: Session, first: date, last: date) -> pl.DataFrame:
    """Risk decisions of days [first, last] counted per day, office, random draw and control
    outcome (irregular 1 / 0; null: no outcome recorded)."""
    d, labels = RiskDecisionRow, label_table()
    rows = session.execute(
        select(d.day, d.office, d.random_selected, labels.c.irregular, func.count())
        .outerjoin(labels, labels.c.declaration_id == d.declaration_id)
        .where(d.day >= first, d.day <= last)
        .group_by(d.day, d.office, d.random_selected, labels.c.irregular)).all()
    if not rows:
        return pl.DataFrame(schema=SCHEMA)
    return pl.DataFrame([tuple(r) for r in rows], schema=SCHEMA, orient="row")
