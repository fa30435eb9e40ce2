"""What the risk engine remembers: the model's history rows and the traders' records.

`history_frame(session, until=...)` reads every goods declaration accepted before `until` and
turns it into the model's canonical rows exactly as a live declaration is turned (the stored
document through `frame.flatten` and `scoring.canonical_rows`), dated by its acceptance (UTC),
labelled with the control outcomes recorded before `until` (the label store, `labels`): feed
it to `HistorySnapshot.build` or to training. `trader_records(session, ids, until=...)` counts
each trader's earlier filings, controlled declarations and irregular ones (the label store's
rule: a declaration controlled twice counts once, irregular if any control found it so) in
two aggregate queries.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl
from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from clearway.declarations.lifecycle import STATUSES
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.declarations.model import AnyDeclaration, CancellationRequest
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.frame import RiskDoc, TraderRecord, flatten
from clearway.risk.learning.labels import label_table, outcomes_between
from clearway.risk.learning.scoring import MODEL_DECLARATION_TYPES, canonical_rows
from clearway.storage.orm import DeclarationPartyRow, DeclarationRow

# Every status a declaration reaches once accepted (it was filed, whatever came after).
ACCEPTED = tuple(s for s in STATUSES if s not in (S.LODGED, S.REJECTED))
# Declarations with a trader (not cancellation requests).
RISK_TYPES = ("IM", "EX", "CO", "ENS", "EXS")
_DOCUMENT: TypeAdapter[Any] = TypeAdapter(AnyDeclaration)
_EMPTY_REFDATA = RefDataSnapshot({})


def history_frame(session: Session, *, until: datetime, refdata: RefDataSnapshot | None = None,
                  declaration_types: Collection[str] = MODEL_DECLARATION_TYPES,
                  batch: int = 2000) -> pl.DataFrame:
    """Canonical rows (one per goods item) of the declarations accepted before `until`, with
    `label_irregular` (1/0, null: no control outcome before `until`) and `label_revenue` (the
    revenue the control assessed, shared equally among the declaration's item rows).

    `refdata` converts item prices to EUR as on the live path (without it, prices in another
    currency give no value). Build a snapshot with `until` = the start of the scoring day:
    build_features never lets a row see its own day.
    """
    parts = list(history_chunks(session, until=until, refdata=refdata,
                                declaration_types=declaration_types, batch=batch))
    return pl.concat(parts) if parts else _rows([], {}, _EMPTY_REFDATA)


def history_chunks(session: Session, *, until: datetime, refdata: RefDataSnapshot | None = None,
                   declaration_types: Collection[str] = MODEL_DECLARATION_TYPES,
                   batch: int = 2000) -> Iterator[pl.DataFrame]:
    """`history_frame` a `batch` of declarations at a time, in acceptance order: what a
    history export writes to Parquet (`history_files.export_history`) without holding it.
    The labels (one small entry per controlled declaration) are read first."""
    labels = outcomes_between(session, None, until)
    D = DeclarationRow
    query = (select(D.id, D.mrn, D.lrn, D.created_at, D.document)
             .where(D.status.in_(ACCEPTED), D.created_at < until,
                    D.declaration_type.in_(list(declaration_types)))
             .order_by(D.created_at, D.id).execution_options(yield_per=batch))
    for chunk in session.execute(query).partitions():
        yield _rows(chunk, labels, refdata or _EMPTY_REFDATA)


def _rows(chunk: Iterable[Any], labels: dict[int, Any], ref: RefDataSnapshot) -> pl.DataFrame:
    docs: list[RiskDoc] = []
    dates, keys, irregular, revenue = [], [], [], []
    for row in chunk:
        doc = _DOCUMENT.validate_python(row.document)
        if isinstance(doc, CancellationRequest):
            continue
        docs.append(doc)
        dates.append(row.created_at.date())
        keys.append(row.mrn or row.lrn)
        outcome = labels.get(row.id)
        irregular.append(None if outcome is None else int(outcome.irregular))
        revenue.append(None if outcome is None else outcome.revenue)
    items = flatten(docs, dates, ref, keys=keys)
    decl = items["_decl"].to_numpy()
    share = np.bincount(decl, minlength=len(docs))[decl] if len(decl) else np.empty(0)
    return canonical_rows(items).with_columns(
        pl.Series("label_irregular", irregular, dtype=pl.Int8).gather(decl),
        (pl.Series("label_revenue", revenue, dtype=pl.Float64).gather(decl) /
         pl.Series(share, dtype=pl.Float64)).alias("label_revenue"))


def _party(name: str) -> ColumnElement[Any]:
    return func.nullif(DeclarationRow.document[(name, "id")].as_string(), "")


def trader_column() -> ColumnElement[Any]:
    """`frame.trader_of` in SQL: consignee (ENS), consignor (EXS), exporter (EX), importer,
    else declarant."""
    kind = DeclarationRow.declaration_type
    party = case((kind == "ENS", _party("consignee")), (kind == "EXS", _party("consignor")),
                 (kind == "EX", _party("exporter")),
                 else_=_party("importer"))
    return func.coalesce(party, func.nullif(DeclarationRow.declarant_id, ""))


def trader_records(session: Session, trader_ids: Iterable[str | None], *,
                   until: datetime | None) -> dict[str, TraderRecord]:
    """Per trader (see `frame.trader_of`), its declarations accepted before `until` (None:
    all), their controls with an outcome recorded before `until`, the irregular ones, and the
    date of its first declaration. Traders never seen get no entry.

    This is the point-in-time query (training, back-tests): it scans the traders' whole
    history. The live decision reads the maintained summary instead (`trader_summary`)."""
    wanted = sorted({t for t in trader_ids if t})
    if not wanted:
        return {}
    D = DeclarationRow
    named = select(DeclarationPartyRow.declaration_id).where(
        DeclarationPartyRow.party_id.in_(wanted))
    theirs = (select(trader_column().label("trader"), D.id.label("id"),
                     D.created_at.label("at"))
              .where(D.id.in_(named), D.status.in_(ACCEPTED),
                     *([] if until is None else [D.created_at < until]),
                     D.declaration_type.in_(RISK_TYPES))
              .subquery())
    filed = (select(theirs.c.trader, func.count(), func.min(theirs.c.at))
             .where(theirs.c.trader.in_(wanted)).group_by(theirs.c.trader))
    labels = label_table(until)
    controlled = (select(theirs.c.trader, func.count(), func.sum(labels.c.irregular))
                  .join(labels, labels.c.declaration_id == theirs.c.id)
                  .where(theirs.c.trader.in_(wanted)).group_by(theirs.c.trader))
    controls = {t: (n, int(bad or 0)) for t, n, bad in session.execute(controlled)}
    return {trader: TraderRecord(declarations=n, controls=controls.get(trader, (0, 0))[0],
                                 irregular=controls.get(trader, (0, 0))[1],
                                 first_seen=first.date() if first else None)
            for trader, n, first in session.execute(filed)}
