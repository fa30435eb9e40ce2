"""The label store's history as Parquet part files, for the batch jobs at national scale.

A mid-size administration's five years are tens of millions of item rows: more than a batch
worker should hold. `export_history` writes `history_store.history_chunks` (the model's
canonical rows with their labels, a batch of declarations at a time) into numbered part
files of about `PART_ROWS` rows; `scan` reads them back as one Polars LazyFrame, which
`training.train_on_history` and `features_scan` read without collecting it whole.
Memory while exporting: one part (plus the labels dict, one entry per controlled
declaration). Parquet, because Polars reads back only the columns and row groups a query
needs, and analysts' tools read it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import polars as pl
from sqlalchemy.orm import Session

from clearway.refdata.model import RefDataSnapshot
from clearway.risk.learning.history_store import history_chunks

PART_ROWS = 500_000
PATTERN = "part-*.parquet"


def write_parts(chunks: Iterable[pl.DataFrame], folder: str | Path, *,
                part_rows: int = PART_ROWS) -> int:
    """Write `chunks` into `folder` as part files of about `part_rows` rows (every file
    in the first one's column types, so they scan as one table); returns the rows written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    pending: list[pl.DataFrame] = []
    held = written = parts = 0
    schema: pl.Schema | None = None
    for chunk in chunks:
        pending.append(chunk)
        held += chunk.height
        if held >= part_rows:
            schema = _flush(pending, out / f"part-{parts:05d}.parquet", schema)
            parts, written, pending, held = parts + 1, written + held, [], 0
    if held or not parts:
        _flush(pending, out / f"part-{parts:05d}.parquet", schema)
        written += held
    return written


def _flush(pending: list[pl.DataFrame], path: Path, schema: pl.Schema | None) -> pl.Schema:
    frame = pl.concat(pending, how="vertical_relaxed") if pending else pl.DataFrame()
    if schema is not None:
        frame = frame.select([pl.col(c).cast(t, strict=False) if c in frame.columns
                              else pl.lit(None, dtype=t).alias(c) for c, t in schema.items()])
    frame.write_parquet(path)
    return frame.schema


def export_history(session: Session, folder: str | Path, *, until: datetime,
                   refdata: RefDataSnapshot | None = None, part_rows: int = PART_ROWS) -> int:
    """Write the history as of `until` (see `history_store.history_frame`) to `folder`."""
    return write_parts(history_chunks(session, until=until, refdata=refdata), folder,
                       part_rows=part_rows)


def scan(folder: str | Path) -> pl.LazyFrame:
    """The part files of `folder` as one LazyFrame (nothing is read yet)."""
    return pl.scan_parquet(Path(folder) / PATTERN)
