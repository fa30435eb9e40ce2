"""Folding for whole-word matching: case, diacritics, scripts, punctuation; the ASCII short way
gives exactly what the full expression gives."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.ipr.folding import fold_column, fold_expr, fold_terms


@pytest.mark.parametrize(("text", "folded"), [
    ("NIKE", " nike "),
    ("Louis-Vuitton", " louis vuitton "),
    ("  Tommy   Hilfiger\u00ae ", " tommy hilfiger "),
    ("\u0160koda", " skoda "),                       # diacritics stripped
    ("Stra\u00dfe", " strasse "),
    ("\u0410\u0414\u0418\u0414\u0410\u0421", " adidas "),   # Cyrillic
    ("\u0416\u0438\u0432\u0430", " zhiva "),
    ("\u039d\u0399\u039a\u0397", " niki "),           # Greek
    ("\uff2e\uff29\uff2b\uff25", " nike "),           # full-width letters (NFKC)
    ("\ufb01ne", " fine "),                           # ligature
    ("\u8010\u514b", ""),                             # no Latin reading
    ("---", ""),
])
def test_fold_terms(text: str, folded: str) -> None:
    assert fold_terms([text]) == [folded]


def _full(values: list[str]) -> list[str]:
    return pl.DataFrame({"d": values}).select(fold_expr(pl.col("d")).alias("f"))["f"].to_list()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=20))
def test_short_way_equals_full_expression(values: list[str]) -> None:
    frame = pl.DataFrame({"n": list(range(len(values))), "d": values})
    short = fold_column(frame, "d", "f").sort("n")["f"].to_list()
    assert short == _full(values)


def test_null_stays_null() -> None:
    frame = pl.DataFrame({"d": [None, "x"]}, schema={"d": pl.String})
    assert fold_column(frame, "d", "f").sort("d", nulls_last=True)["f"].to_list() == [" x ", None]
