"""The item frame: valuation references by join (batches) and by lookup (one filing) agree."""

from __future__ import annotations

import random
from datetime import date

import polars as pl
from polars.testing import assert_frame_equal

from clearway.demo.generator import DeclarationGenerator
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.frame import SMALL_FRAME, flatten, with_references

REF = RefDataSnapshot.from_texts(read_directory(package_dir()))
DAY = date(2026, 11, 20)


def references(frame: pl.DataFrame) -> pl.DataFrame:
    """References for some HS6 x origin pairs, some HS6-wide ones, one with a null value."""
    pairs = frame.select("hs6", "origin_country").unique().drop_nulls().sort("hs6").rows()
    rows = [(h, o, 2.0 + i, 0.1 * (i % 3) or None) for i, (h, o) in enumerate(pairs[:-1:2])]
    wide = sorted({h for h, _ in pairs[1::3]})
    rows += [(h, None, 5.0 + i, 0.2) for i, h in enumerate(wide)]
    rows += [(pairs[-1][0], pairs[-1][1], None, None)]  # a key without a value
    return pl.DataFrame(rows, schema={"hs6": pl.String, "origin_country": pl.String,
                                      "reference_unit_value": pl.Float64,
                                      "reference_spread": pl.Float64}, orient="row")


def test_lookup_and_join_give_the_same_references() -> None:
    gen = DeclarationGenerator(REF, random.Random(5), DAY)
    docs = [gen.declaration(f"L{i}") for i in range(120)]
    frame = flatten(docs, [DAY] * len(docs), REF)
    assert frame.height > SMALL_FRAME  # the join path
    refs = references(frame)
    joined = with_references(frame, refs)
    assert joined["reference_unit_value"].null_count() < joined.height
    singles = pl.concat([with_references(frame.filter(pl.col("_decl") == d), refs)
                         for d in range(len(docs))])
    assert_frame_equal(joined, singles)
