"""The traders' records as the live risk decision reads them: a maintained summary.

`history_store.trader_records` counts a trader's record from its whole history (every earlier
declaration joined to the label store's aggregates): right for training and back-tests, which
ask about a past moment, but its cost grows with the database, and the decision inside every
acceptance cannot pay that. The live path reads the `trader_records` table instead, one
primary-key lookup, kept equal to that query over everything (`until` None):
- `add_declaration`, in the acceptance transaction, after the decision has read the record
  (the query leaves out the declaration being decided: it is not earlier than itself);
- `relabelled`, where a control result is recorded (`clearance.control_work`): the
  declaration's label before and after, so the label rule (controlled counts once, irregular
  if any outcome was) stays in `labels` alone;
- `refresh` recounts given traders with the query (an amendment that changes the trader);
- `rebuild` recounts every trader (the migration's backfill; the operators' command
  `clearway risk rebuild-trader-records` after a bulk import that bypassed the use cases).
Increments are one INSERT ... ON CONFLICT DO UPDATE adding to the stored values: two API
processes on PostgreSQL serialise on the trader's row and never lose an update.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import date
from typing import Any, cast

import polars as pl
from sqlalchemy import Table, bindparam, case, delete, or_, select, text
from sqlalchemy.orm import Session

from clearway.risk.engine.frame import TraderRecord
from clearway.risk.learning.history_files import scan, write_parts
from clearway.risk.learning.history_store import ACCEPTED, RISK_TYPES, trader_column, trader_records
from clearway.risk.learning.labels import label_table
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_risk import TraderRecordRow
from clearway.storage.upsert import DIALECTS, insert_for

T = cast(Table, TraderRecordRow.__table__)
_ROWS = 20_000  # declarations per read while rebuilding, traders per insert
# One declaration in a rebuild's spill: its trader, acceptance time and label (null: none).
HISTORY_SCHEMA = pl.Schema({"trader": pl.String(), "at": pl.Datetime("us", "UTC"),
                            "irregular": pl.Int32()})
Label = tuple[int, int]  # a declaration's (controlled, irregular), each 0 or 1


_READ = select(T.c.declarations, T.c.controls, T.c.irregular, T.c.first_seen).where(
    T.c.trader_id == bindparam("trader"))


def read(session: Session, trader: str | None) -> dict[str, TraderRecord]:
    """The trader's record as `trader_records` would give it (no entry: never seen)."""
    if not trader:
        return {}
    row = session.connection().execute(_READ, {"trader": trader}).one_or_none()
    if row is None or row.declarations == 0:
        return {}
    return {trader: TraderRecord(declarations=row.declarations, controls=row.controls,
                                 irregular=row.irregular, first_seen=row.first_seen)}


def trader_of_row(row: DeclarationRow) -> str | None:
    """`history_store.trader_column` of a stored row, in Python: the same JSON fields and
    the same declaration type column (an amendment never changes that column)."""
    role = {"ENS": "consignee", "EXS": "consignor",
            "EX": "exporter"}.get(row.declaration_type, "importer")
    party = (row.document or {}).get(role)
    party_id = party.get("id") if isinstance(party, dict) else None
    return party_id or row.declarant_id or None


def _counted(row: DeclarationRow) -> bool:
    return row.declaration_type in RISK_TYPES and row.status in ACCEPTED


def _upsert_statement(dialect: str, replace: bool) -> Any:
    stmt = insert_for(dialect, T)
    new = stmt.excluded
    earlier = or_(T.c.first_seen.is_(None), new.first_seen < T.c.first_seen)
    changes = ({c: new[c] for c in ("declarations", "controls", "irregular", "first_seen")}
               if replace else
               {"declarations": T.c.declarations + new.declarations,
                "controls": T.c.controls + new.controls,
                "irregular": T.c.irregular + new.irregular,
                "first_seen": case((earlier, new.first_seen), else_=T.c.first_seen)})
    return stmt.on_conflict_do_update(index_elements=[T.c.trader_id], set_=changes)


# Built once (on every acceptance, building the statement cost more than running it).
_UPSERT = {(d, r): _upsert_statement(d, r) for d in DIALECTS for r in (False, True)}


def _upsert(session: Session, trader: str, *, declarations: int = 0, controls: int = 0,
            irregular: int = 0, first_seen: date | None = None, replace: bool = False) -> None:
    """Add these counts to the trader's row (create it if new); `replace`: set them."""
    connection = session.connection()
    connection.execute(_UPSERT[connection.dialect.name, replace], {
        "trader_id": trader, "declarations": declarations, "controls": controls,
        "irregular": irregular, "first_seen": first_seen})


def add_declaration(session: Session, row: DeclarationRow) -> None:
    """Count a just-accepted declaration for its trader (after its decision read the record).
    Done last in the transaction: on PostgreSQL the trader's row stays locked until commit."""
    trader = trader_of_row(row)
    if trader is not None and _counted(row):
        _upsert(session, trader, declarations=1, first_seen=row.created_at.date())


def label_of(session: Session, declaration_id: int) -> Label:
    """The declaration's label now, by the label store's rule (its own rows only)."""
    labels = label_table(ids=[declaration_id])
    irregular = session.execute(select(labels.c.irregular)).scalar_one_or_none()
    return (0, 0) if irregular is None else (1, int(irregular))


def relabelled(session: Session, row: DeclarationRow, before: Label) -> None:
    """Apply to its trader how `row`'s label changed since `before` (`label_of` taken before
    the outcome was stored; the caller holds the declaration's row lock, so two outcomes of
    one declaration never both see it uncontrolled)."""
    trader = trader_of_row(row)
    if trader is None or not _counted(row):
        return
    after = label_of(session, row.id)
    if after != before:
        _upsert(session, trader, controls=after[0] - before[0],
                irregular=after[1] - before[1])


def refresh(session: Session, traders: Iterable[str | None]) -> None:
    """Recount these traders with the query over their whole history: for the rare change an
    increment cannot express (a declaration moving to another trader, which may have been
    its old trader's first)."""
    wanted = sorted({t for t in traders if t})
    if not wanted:
        return
    session.flush()  # the query reads the amended document and parties
    # Lock the rows first (PostgreSQL; SQLite has one writer anyway): an increment of a
    # concurrent acceptance then waits and lands on the recount, and one committed before
    # the lock is seen by it (each statement reads what is committed when it starts).
    session.execute(select(T.c.trader_id).where(T.c.trader_id.in_(wanted)).with_for_update())
    records = trader_records(session, wanted, until=None)
    for trader, r in records.items():
        _upsert(session, trader, declarations=r.declarations, controls=r.controls,
                irregular=r.irregular, first_seen=r.first_seen, replace=True)
    gone = [t for t in wanted if t not in records]
    if gone:
        session.execute(delete(T).where(T.c.trader_id.in_(gone)))


def rebuild(session: Session) -> int:
    """Recount every trader from the stored declarations and outcomes; returns how many.
    On PostgreSQL the table is locked until the caller commits: acceptances wait for the
    rebuild rather than increment rows it is about to replace.
    One pass over the declarations (their trader, time and label), spilled to Parquet part
    files in a temporary folder and counted there by Polars' streaming engine: memory holds
    one part and the per-trader counts, however many declarations there are
    (benchmarks/history_scale.py). The counts are those of `trader_records` (tests)."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE trader_records IN EXCLUSIVE MODE"))
    D = DeclarationRow
    labels = label_table()
    query = (select(trader_column(), D.created_at, labels.c.irregular)
             .outerjoin(labels, labels.c.declaration_id == D.id)
             .where(D.status.in_(ACCEPTED), D.declaration_type.in_(RISK_TYPES))
             .execution_options(yield_per=_ROWS))
    chunks = (pl.DataFrame(chunk, schema=HISTORY_SCHEMA, orient="row")
              for chunk in session.execute(query).partitions())
    with tempfile.TemporaryDirectory(prefix="clearway-traders-") as folder:
        write_parts(chunks, folder)
        records = records_from(scan(folder))
    store_records(session, records)
    return records.height


def store_records(session: Session, records: pl.DataFrame) -> None:
    """Replace the table's rows with `records` (`records_from`), a batch at a time."""
    session.execute(delete(T))
    for part in records.iter_slices(_ROWS):
        session.execute(T.insert(), part.to_dicts())


def records_from(history: pl.LazyFrame) -> pl.DataFrame:
    """Per trader (`trader` not null), the columns of `trader_records`: declarations (one
    row each in `history`: trader, at, irregular), controls (rows with a label), irregular
    ones, first_seen (date of the earliest)."""
    return (history.filter(pl.col("trader").is_not_null())
            .group_by("trader")
            .agg(pl.len().alias("declarations"), pl.col("irregular").count().alias("controls"),
                 pl.col("irregular").sum().alias("irregular"),
                 pl.col("at").min().dt.date().alias("first_seen"))
            .rename({"trader": "trader_id"})
            .sort("trader_id")
            .collect(engine="streaming"))
