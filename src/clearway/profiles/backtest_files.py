"""Back-testing a profile over years of history held as Parquet part files.

`backtest.run` reads a period of at most a year from the database (the console and the API
run it in a request). Analysts who test a profile on five years of a national history use
an export instead: `export_frames` writes the item frames that `run` would build (with
each declaration's id, acceptance date and control outcome) into part files, a batch of
declarations at a time; `run_files` tests a profile on them, one part at a time, with the
figures of `run` (same declarations, hits, outcomes and sample; tests compare them).
Memory holds one part (`PART_ROWS` rows) and the tally.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy.orm import Session

from clearway.errors import ClearwayError
from clearway.profiles.backtest import BacktestResult, Tally, frames, matched
from clearway.profiles.matcher import ProfileSet
from clearway.profiles.model import Profile
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.learning.history_files import PATTERN, write_parts

OUTCOME = {1: "irregular", 0: "regular"}
PART_ROWS = 100_000  # item rows per part file: the engine's frame is wide (about 80 columns)


def export_frames(session: Session, snapshot: RefDataSnapshot, folder: str | Path,
                  start: date, end: date) -> int:
    """Write the item frames of the declarations accepted in [start, end] to `folder`;
    returns the item rows written."""
    _check(start, end)
    return write_parts(frames(session, snapshot, start, end), folder, part_rows=PART_ROWS)


def run_files(folder: str | Path, profile: Profile, start: date, end: date) -> BacktestResult:
    """`backtest.run` over the part files of `folder` (written by `export_frames`)."""
    _check(start, end)
    parts = sorted(Path(folder).glob(PATTERN))
    if not parts:
        raise ClearwayError("CW-PROFILE-HISTORY", f"No history part files ({PATTERN}) "
                            f"in {folder}")
    matcher = ProfileSet([profile])
    tally = Tally()
    for part in parts:
        frame = (pl.scan_parquet(part).filter(pl.col("_lodged").is_between(start, end))
                 .collect())
        if frame.height:
            _count(tally, matcher, frame)
    return tally.result(start, end)


def _count(tally: Tally, matcher: ProfileSet, frame: pl.DataFrame) -> None:
    """Declarations may sit in any order and several batches in one part: `_decl` becomes
    the declaration's rank among the part's ids (the index `matched` answers with)."""
    frame = frame.with_columns(
        (pl.col("_declaration_id").rank("dense") - 1).cast(pl.Int64).alias("_decl"))
    decls = frame.group_by("_decl").agg(pl.col("_declaration_id", "_key", "_outcome").first())
    decls = decls.sort("_decl")
    tally.scanned += decls.height
    ids, mrns, outcomes = (decls[c].to_list() for c in ("_declaration_id", "_key", "_outcome"))
    for decl, items in matched(matcher, frame).items():
        tally.add(ids[decl], mrns[decl], items, OUTCOME.get(outcomes[decl]))


def _check(start: date, end: date) -> None:
    if end < start:
        raise ClearwayError("CW-PROFILE-PERIOD", f"The test period must run forward "
                            f"({start} to {end} does not)")
