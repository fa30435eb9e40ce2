"""Goods items that match an application for action: one hard IPR hit per item and application.

An item matches an active application valid on the declaration's date when its commodity code
starts with one of the application's HS prefixes (or the application lists none) and its folded
description holds one of the brands or keywords as whole words (see `folding`).

Which declarations: customs act on suspected infringing goods that are declared for release for
free circulation, export or re-export, or placed under a special procedure (Regulation (EU)
No 608/2013, Art. 1), so imports, exports and special fiscal territory declarations (IM, EX,
CO) are checked. Entry summary declarations (ENS) are not: their risk analysis is for safety and
security, and the goods meet the register again at the declaration that follows. The types are
a parameter for an administration that decides otherwise.

Vectorised: one pass of Aho-Corasick over the folded descriptions finds the candidate rows;
joins with the term and application tables decide; Python only builds the hits. A small frame
(a declaration being lodged) is matched in plain Python instead, to the same result: the same
folding (`fold_column`: ASCII descriptions folded as its short way does, others by Polars with
`fold_expr`), the same whole-word search (a term can only occur where its first word is a word
of the description), dates, types and prefixes; a dozen Polars calls would cost milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import polars as pl

from clearway.ipr.folding import fold_column, fold_expr, fold_terms
from clearway.ipr.model import IprApplication
from clearway.risk.engine.decision import Area, Channel, Hit, Source
from clearway.risk.engine.fields import SCHEMA

IPR_DECLARATION_TYPES = frozenset({"IM", "EX", "CO"})
HIT_WEIGHT = 1.0
_ANY_CODE: list[str | None] = [None]  # an application without HS prefixes covers every code
SMALL_FRAME_ROWS = 256  # up to this many rows, plain Python is faster (measured)
_READ = ("declaration_type", "declaration_date", "commodity_code", "description")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


class IprRegister:
    """The active applications for action, ready to match item frames."""

    def __init__(self, applications: Iterable[IprApplication], *,
                 declaration_types: Iterable[str] = IPR_DECLARATION_TYPES,
                 small_frame_rows: int = SMALL_FRAME_ROWS) -> None:
        self.applications = tuple(a for a in applications if a.status == "active")
        self.small_frame_rows = small_frame_rows
        self.declaration_types = sorted(set(declaration_types))
        terms: list[dict[str, object]] = []
        for n, app in enumerate(self.applications):
            written = [("brand", t) for t in app.brands] + [("keyword", t) for t in app.keywords]
            folded = fold_terms(t for _, t in written)
            for order, ((kind, original), term) in enumerate(zip(written, folded, strict=True)):
                if term:
                    terms.append({"_term": term, "_app": n, "_kind": kind,
                                  "_original": original, "_order": order})
        self._terms = pl.DataFrame(terms, schema={
            "_term": pl.String, "_app": pl.Int64, "_kind": pl.String, "_original": pl.String,
            "_order": pl.Int64}).unique(["_term", "_app"], keep="first", maintain_order=True)
        self._patterns = self._terms["_term"].unique(maintain_order=True).to_list()
        self._apps = pl.DataFrame({
            "_app": list(range(len(self.applications))),
            "_from": [a.valid_from for a in self.applications],
            "_to": [a.valid_to for a in self.applications],
            "_prefix": [list(a.hs_codes) or _ANY_CODE for a in self.applications],
        }, schema={"_app": pl.Int64, "_from": pl.Date, "_to": pl.Date,
                   "_prefix": pl.List(pl.String)}).explode("_prefix")
        # For small frames: first word -> terms, term -> (application, kind, original, order).
        self._by_word: dict[str, list[str]] = {}
        self._by_term: dict[str, list[tuple[int, str, str, int]]] = {}
        for term, app, kind, original, order in self._terms.iter_rows():
            if term not in self._by_term:
                self._by_word.setdefault(term.split()[0], []).append(term)
            self._by_term.setdefault(term, []).append((app, kind, original, order))

    def _candidates(self, frame: pl.DataFrame) -> pl.DataFrame:
        first = min(a.valid_from for a in self.applications)
        last = max(a.valid_to for a in self.applications)
        rows = (frame.select("_decl", "item", "declaration_type", "declaration_date",
                             "commodity_code", "description")
                .with_row_index("_row")
                .filter(pl.col("declaration_type").is_in(self.declaration_types),
                        pl.col("description").is_not_null(),
                        pl.col("declaration_date").is_between(first, last)))
        if all(a.hs_codes for a in self.applications):  # cheap filter before folding
            prefixes = sorted({p for a in self.applications for p in a.hs_codes})
            rows = rows.filter(pl.col("commodity_code").str.contains(
                "^(?:" + "|".join(prefixes) + ")"))
        return (fold_column(rows, "description", "_text")
                .filter(pl.col("_text").str.contains_any(self._patterns)))

    def matches(self, frame: pl.DataFrame) -> pl.DataFrame:
        """One row per (frame row, application): `_row`, `_decl`, `item`, `_app`, the matched
        terms (`_kinds`, `_originals`, in the application's order) and the HS `_prefix`."""
        empty = pl.DataFrame(schema={"_row": pl.UInt32, "_decl": pl.Int64, "item": pl.Int64,
                                     "_app": pl.Int64, "_kinds": pl.List(pl.String),
                                     "_originals": pl.List(pl.String), "_prefix": pl.String})
        if not self._patterns or frame.height == 0:
            return empty
        rows = self._candidates(frame)
        if rows.height == 0:
            return empty
        found = (rows.with_columns(pl.col("_text").str.extract_many(
                    self._patterns, overlapping=True).alias("_term"))
                 .explode("_term").unique(["_row", "_term"])
                 .join(self._terms, on="_term")
                 .join(self._apps, on="_app")
                 .filter(pl.col("declaration_date").is_between(pl.col("_from"), pl.col("_to")),
                         pl.col("_prefix").is_null()
                         | pl.col("commodity_code").str.starts_with(pl.col("_prefix"))))
        # Terms in the application's order; the longest (most specific) matching prefix first.
        return (found.sort("_row", "_app", "_order", pl.col("_prefix").str.len_chars(),
                           descending=[False, False, False, True], nulls_last=True)
                .group_by("_row", "_app", maintain_order=True)
                .agg(pl.first("_decl"), pl.first("item"),
                     pl.struct("_kind", "_original").unique(maintain_order=True).alias("_t"),
                     pl.first("_prefix"))
                .select("_row", "_decl", "item", "_app",
                        pl.col("_t").list.eval(pl.element().struct.field("_kind")).alias("_kinds"),
                        pl.col("_t").list.eval(pl.element().struct.field("_original"))
                        .alias("_originals"), "_prefix"))

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        """(declaration index `_decl`, hit) for every matching item and application."""
        if 0 < frame.height <= self.small_frame_rows and self._patterns \
                and _readable(frame.schema):
            return [(row["_decl"], self._hit(row)) for row in self._few_matches(frame)]
        return [(row["_decl"], self._hit(row)) for row in self.matches(frame).iter_rows(named=True)]

    def _few_matches(self, frame: pl.DataFrame) -> list[dict[str, Any]]:
        """`matches` of a small frame, in plain Python, as dicts (without `_row`)."""
        types, days, codes, texts = (frame.get_column(c).to_list() for c in _READ)
        first = min(a.valid_from for a in self.applications)
        last = max(a.valid_to for a in self.applications)
        rows = [r for r in range(frame.height)
                if types[r] in self.declaration_types and texts[r] is not None
                and days[r] is not None and first <= days[r] <= last]
        if not rows:
            return []
        decls, items = frame.get_column("_decl").to_list(), frame.get_column("item").to_list()
        out = []
        for r, text in zip(rows, _fold_small([texts[r] for r in rows]), strict=True):
            found: dict[int, list[tuple[int, str, str]]] = {}
            for term in {t for w in set(text.split()) for t in self._by_word.get(w, ())
                         if t in text}:
                for app, kind, original, order in self._by_term[term]:
                    found.setdefault(app, []).append((order, kind, original))
            for app in sorted(found):
                application = self.applications[app]
                if not application.valid_from <= days[r] <= application.valid_to:
                    continue
                prefix = _longest_prefix(application.hs_codes, codes[r])
                if application.hs_codes and prefix is None:
                    continue
                terms = sorted(found[app])
                out.append({"_decl": decls[r], "item": items[r], "_app": app, "_prefix": prefix,
                            "_kinds": [k for _o, k, _t in terms],
                            "_originals": [t for _o, _k, t in terms]})
        return out

    def _hit(self, row: dict[str, Any]) -> Hit:
        app = self.applications[row["_app"]]
        kinds: list[str] = row["_kinds"]
        terms: list[str] = row["_originals"]
        brand = next((t for k, t in zip(kinds, terms, strict=True) if k == "brand"), None)
        keyword = next((t for k, t in zip(kinds, terms, strict=True) if k == "keyword"), None)
        prefix: str | None = row["_prefix"]
        said = "; ".join(_said(kind, [t for k, t in zip(kinds, terms, strict=True) if k == kind])
                         for kind in ("brand", "keyword") if kind in kinds)
        where = f" under HS {prefix}" if prefix else ""
        return Hit(
            source=Source.IPR, ref=app.reference, area=Area.IPR, weight=HIT_WEIGHT,
            reason=f"application for action {app.reference} of {app.right_holder}: {said} "
                   f"in the goods description{where}",
            min_channel=Channel(app.min_channel), hard=True, item=row["item"],
            instructions=app.action_instructions,
            evidence={"brand": brand, "keyword": keyword, "terms": terms, "hs_prefix": prefix,
                      "right_holder": app.right_holder, "contact": app.contact,
                      "valid_to": app.valid_to.isoformat()})

    def valid_on(self, on: date) -> list[IprApplication]:
        return [a for a in self.applications if a.valid_on(on)]


def _readable(schema: pl.Schema) -> bool:
    """Python reads these columns as Polars does (the usual types)."""
    return all(schema.get(c) == SCHEMA[c] for c in _READ)


def _fold_small(texts: list[str]) -> list[str]:
    """`fold_column` of a few descriptions, in their order."""
    folded = {n: " " + _NOT_WORD.sub(" ", t.lower()).strip() + " "
              for n, t in enumerate(texts) if t.isascii()}
    others = [n for n in range(len(texts)) if n not in folded]
    if others:
        series = pl.Series([texts[n] for n in others], dtype=pl.String)
        folded.update(zip(others, pl.select(fold_expr(pl.lit(series))).to_series().to_list(),
                          strict=True))
    return [folded[n] for n in range(len(texts))]


def _longest_prefix(prefixes: list[str], code: str | None) -> str | None:
    matching = [p for p in prefixes if code is not None and code.startswith(p)]
    return max(matching, key=len) if matching else None


def _said(kind: str, terms: list[str]) -> str:
    quoted = ", ".join(f"\u201c{t}\u201d" for t in terms)
    return f"{kind}{'s' if len(terms) > 1 else ''} {quoted}"
