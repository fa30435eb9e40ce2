"""Valuation references on the KCS synthetic declarations: build them from the regular rows of
2020, flag the 2021Q1 rows, and compare the irregular rate of the flagged rows with the
overall one (see docs/valuation.md for the figures and why this data set says little).

    uv run python benchmarks/valuation.py [--train F.csv] [--test F.csv] [--mapping M.toml]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from clearway.risk.engine.fields import ROW_KEYS, SCHEMA  # noqa: E402
from clearway.risk.engine.frame import with_references  # noqa: E402
from clearway.risk.learning.mapping import load_mapping, read_source  # noqa: E402
from clearway.valuation.model import ValuationRule, as_lookup, compute_references  # noqa: E402
from clearway.valuation.service import observations_from_mapped  # noqa: E402

SETTINGS = [(3.0, 0.5), (2.0, 0.5), (2.0, 0.7), (1.5, 0.8), (4.0, 0.3)]


def _kcs() -> Path:
    for base in (ROOT.parent / "shared", Path("/work/shared")):
        folder = base / "data" / "kcs-customs-declarations"
        if folder.is_dir():
            return folder
    return ROOT.parent / "shared" / "data" / "kcs-customs-declarations"


def item_frame(mapped: pl.DataFrame) -> pl.DataFrame:
    """A minimal item frame (one row per declaration row) with the columns the rule reads."""
    mass = pl.col("net_mass")
    rows = mapped.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_decl"),
        pl.col("commodity_code").str.slice(0, 6).alias("hs6"), "origin_country",
        pl.when(mass > 0).then(pl.col("value") / mass).alias("unit_value"))
    empty = pl.DataFrame(schema={**ROW_KEYS, **SCHEMA})
    frame = pl.concat([empty, rows.with_columns(
        pl.lit("IM").alias("declaration_type"), pl.lit(1, pl.Int64).alias("item"),
        pl.col("_decl").cast(pl.String).alias("_key"))], how="diagonal_relaxed")
    return frame.select(empty.columns)


def hs10_check(kcs: Path, flagged: list[int]) -> None:
    """Same rows with their 10-digit codes (ko-hs10/, same order): is the lift product mix?"""
    files = [kcs / "ko-hs10" / name for name in ("df_syn_train.csv", "df_syn_valid.csv")]
    if not all(f.is_file() for f in files):
        return
    code, label = "HS10단위부호", "우범여부"
    train, test = (pl.read_csv(f, infer_schema_length=0, columns=[code, label])
                   .select(pl.col(code).alias("hs10"), pl.col(label).cast(pl.Int64).alias("y"))
                   for f in files)
    test = test.with_row_index("_decl").with_columns(
        pl.col("_decl").is_in(pl.Series(flagged, dtype=pl.UInt32).implode()).alias("flag"))
    codes = test.filter("flag")["hs10"].unique().implode()
    same = test.filter(pl.col("hs10").is_in(codes))
    rest = same.filter(~pl.col("flag"))
    print(f"{codes.list.len()[0]} HS10 codes flagged: their 2020 irregular rate "
          f"{train.filter(pl.col('hs10').is_in(codes))['y'].mean():.2%} (all 2020: "
          f"{train['y'].mean():.2%}); unflagged 2021Q1 rows of those codes: {rest.height}, "
          f"irregular rate {rest['y'].mean():.2%}")


def main() -> None:
    kcs = _kcs()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=kcs / "df_syn_train_eng.csv")
    parser.add_argument("--test", type=Path, default=kcs / "df_syn_valid_eng.csv")
    parser.add_argument("--mapping", type=Path, default=ROOT / "mappings" / "kcs.toml")
    args = parser.parse_args()
    if not args.train.is_file():
        sys.exit(f"no data at {args.train}")
    mapping = load_mapping(args.mapping)
    train, test = read_source(args.train, mapping), read_source(args.test, mapping)

    started = time.perf_counter()
    refs = compute_references(observations_from_mapped(train), start=date(2020, 1, 1),
                              end=date(2020, 12, 31))
    built = time.perf_counter() - started
    lookup = as_lookup(refs)
    frame = with_references(item_frame(test), lookup)
    labels = test["label_irregular"].to_list()
    overall = sum(labels) / len(labels)
    covered = frame["reference_unit_value"].is_not_null().mean()
    wide = refs["origin_country"].is_null().sum()
    print(f"references from {train.filter(pl.col('label_irregular') == 0).height} regular "
          f"2020 rows: {refs.height} ({wide} all-origins, {refs.height - wide} per origin), "
          f"{built * 1000:.0f} ms")
    print(f"2021Q1: {test.height} rows, irregular rate {overall:.2%}, "
          f"reference found for {covered:.1%}, median spread "
          f"{refs['spread'].median():.3f} (log)")
    print()
    print("| threshold_sigma | max_ratio | flagged | share | irregular among flagged | lift "
          "| rule time |")
    print("|---|---|---|---|---|---|---|")
    default: list[int] = []
    for sigma, ratio in SETTINGS:
        rule = ValuationRule(threshold_sigma=sigma, max_ratio=ratio, references=lookup)
        started = time.perf_counter()
        hits = rule.hits(frame)
        spent = time.perf_counter() - started
        flagged = sorted({d for d, _ in hits})
        rate = sum(labels[d] for d in flagged) / len(flagged) if flagged else float("nan")
        lift = rate / overall if flagged else float("nan")
        print(f"| {sigma} | {ratio} | {len(flagged)} | {len(flagged) / len(labels):.2%} "
              f"| {rate:.2%} | {lift:.2f} | {spent * 1000:.0f} ms |")
        if (sigma, ratio) == SETTINGS[0]:
            default = flagged
    # Is the lift the flag's, or the subheadings'? The unflagged rows of the same HS6 codes.
    marked = frame.select("hs6", pl.col("_decl").is_in(pl.Series(default).implode())
                          .alias("flag"), pl.Series("y", labels))
    same = marked.filter(pl.col("hs6").is_in(marked.filter("flag")["hs6"].implode()))
    print(f"\ndefault rule: unflagged rows of the same HS6 codes: "
          f"{same.filter(~pl.col('flag')).height} rows, irregular rate "
          f"{same.filter(~pl.col('flag'))['y'].mean():.2%}")
    hs10_check(kcs, default)


if __name__ == "__main__":
    main()
