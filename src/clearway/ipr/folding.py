"""Text folding for IPR matching: one Polars expression for descriptions and terms alike.

Brands and keywords are matched as whole words on a folded form of the goods description:
NFKC, lower case, diacritics stripped, Cyrillic and Greek transliterated (the English-style and
ELOT 743 tables of `clearway.screening.transliterate`), every run of other characters made one
space, and a space at both ends. A folded term "louis vuitton" then matches the description
"LOUIS-VUITTON bags" by looking for " louis vuitton " in " louis vuitton bags ". Terms go
through the very same expression, so both sides always fold alike. Scripts without a Latin
reading (Chinese, Arabic...) fold to nothing: such terms are refused when an application is
written (see `model.check_application`).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from clearway.screening.transliterate import CYRILLIC_EN, GREEK_ELOT

_LATIN = {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "\u0131": "i",
          "þ": "th", "ħ": "h"}
_TABLE = {k: v for k, v in {**CYRILLIC_EN, **GREEK_ELOT, **_LATIN}.items() if k}
# Longest first: with `leftmost`, Polars takes the first listed of the candidates at a position.
_KEYS = sorted(_TABLE, key=len, reverse=True)
_VALUES = [_TABLE[k] for k in _KEYS]


def fold_expr(text: pl.Expr) -> pl.Expr:
    """The folded, space-padded form of a string column (null stays null)."""
    plain = (text.str.normalize("NFKC").str.to_lowercase().str.normalize("NFKD")
             .str.replace_all(r"\p{M}+", "")
             .str.replace_many(_KEYS, _VALUES, leftmost=True)
             .str.replace_all(r"[^a-z0-9]+", " ").str.strip_chars())
    return pl.lit(" ") + plain + pl.lit(" ")


def _fold_ascii(text: pl.Expr) -> pl.Expr:
    """`fold_expr` for ASCII text, where normalisation and transliteration change nothing."""
    plain = text.str.to_lowercase().str.replace_all(r"[^a-z0-9]+", " ").str.strip_chars()
    return pl.lit(" ") + plain + pl.lit(" ")


def fold_column(frame: pl.DataFrame, column: str, alias: str) -> pl.DataFrame:
    """`frame` with `alias` = the folded `column`; ASCII rows (most, and the Unicode
    normalisations are the costly steps) take the short way. Row order is not kept."""
    ascii_only = pl.col(column).str.contains(r"^[\x00-\x7f]*$").fill_null(True)
    return pl.concat([
        frame.filter(ascii_only).with_columns(_fold_ascii(pl.col(column)).alias(alias)),
        frame.filter(~ascii_only).with_columns(fold_expr(pl.col(column)).alias(alias))])


def fold_terms(terms: Iterable[str]) -> list[str]:
    """Folded, padded terms; a term with no letter or digit left folds to '' (unmatchable)."""
    values = list(terms)
    if not values:
        return []
    folded = pl.select(fold_expr(pl.lit(pl.Series(values, dtype=pl.String)))).to_series()
    return [f if f.strip() else "" for f in folded.to_list()]
