"""Exports of goods under codes correlated with the dual-use list, without a licence declared.

A row is looked at when it belongs to an export declaration (`declaration_type == "EX"`), its
commodity code starts with a code correlated with an entry valid on the declaration's date, and
its document codes (DE 2/3, item and header) hold none of the licence codes:

- `X002`: dual-use export authorisation, the single code used under Regulation (EC) 428/2009
  (still seen on authorisations granted before 9 September 2021);
- `X060` to `X072`: the thirteen codes introduced with Regulation (EU) 2021/821 (X060
  individual, X061-X068 Union general export authorisations EU001-EU008, X070 global, X071
  national general, X072 transit authorisation...).
  `X001` is *not* one: it is the AGREX agricultural export licence.

Such a row is a hard hit (red): export of a listed item without an authorisation is prohibited.
When the exporter declares `Y901` ("goods not on the dual-use list") instead, it has said the
goods under the coarse correlated code are not the listed ones; that statement is checked on
documents, so the hit is *soft*: `min_channel` yellow as a suggestion, `exempt_weight` added to
the dual-use score, never a forced control. End-user screening is the screening room's.

Vectorised: one join per distinct code length; Python only builds the hits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from clearway.dualuse.model import DualUseEntry
from clearway.risk.engine.decision import Area, Channel, Hit, Source

LICENCE_CODES = frozenset({"X002", *(f"X{n:03d}" for n in range(60, 73))})
NOT_LISTED_CODES = frozenset({"Y901"})
HIT_WEIGHT = 1.0
EXEMPT_WEIGHT = 0.5


class DualUseList:
    """The control list, ready to check item frames."""

    def __init__(self, entries: Iterable[DualUseEntry],
                 licence_codes: Iterable[str] = LICENCE_CODES, *,
                 not_listed_codes: Iterable[str] = NOT_LISTED_CODES,
                 exempt_weight: float = EXEMPT_WEIGHT) -> None:
        self.entries = tuple(entries)
        self.licence_codes = sorted(set(licence_codes))
        self.not_listed_codes = sorted(set(not_listed_codes))
        self.exempt_weight = exempt_weight
        self._codes = pl.DataFrame(
            [{"_code": code, "_len": len(code), "_entry": n}
             for n, e in enumerate(self.entries) for code in e.codes],
            schema={"_code": pl.String, "_len": pl.Int64, "_entry": pl.Int64}).unique()
        self._validity = pl.DataFrame(
            {"_entry": list(range(len(self.entries))),
             "_from": [e.valid_from for e in self.entries],
             "_to": [e.valid_to for e in self.entries]},
            schema={"_entry": pl.Int64, "_from": pl.Date, "_to": pl.Date})

    def matches(self, frame: pl.DataFrame) -> pl.DataFrame:
        """One row per (frame row, entry) without licence: `_row`, `_decl`, `item`,
        `commodity_code`, `_entry`, `_codes` (the correlated codes it falls under),
        `_documents` and `_exempt` (a not-listed code such as Y901 was declared)."""
        schema: dict[str, pl.DataType] = {
            "_row": pl.UInt32(), "_decl": pl.Int64(), "item": pl.Int64(),
            "commodity_code": pl.String(), "_entry": pl.Int64(), "_codes": pl.List(pl.String()),
            "_documents": pl.List(pl.String()), "_exempt": pl.Boolean()}
        if (self._codes.height == 0 or frame.height == 0
                or not (frame["declaration_type"] == "EX").any()):  # most filings: at once
            return pl.DataFrame(schema=schema)
        rows = (frame.select("_decl", "item", "declaration_type", "declaration_date",
                             "commodity_code", "document_codes")
                .with_row_index("_row")
                .filter(pl.col("declaration_type") == "EX",
                        pl.col("commodity_code").is_not_null()))
        parts = [rows.with_columns(pl.col("commodity_code").str.slice(0, length).alias("_code"))
                 .join(self._codes.filter(pl.col("_len") == length), on="_code")
                 for length in sorted(set(self._codes["_len"]))]
        found = pl.concat(parts).join(self._validity, on="_entry").filter(
            pl.col("_from").is_null() | (pl.col("_from") <= pl.col("declaration_date")),
            pl.col("_to").is_null() | (pl.col("_to") >= pl.col("declaration_date")))
        documents = pl.col("document_codes").fill_null(pl.lit([], dtype=pl.List(pl.String)))
        found = found.with_columns(
            documents.list.eval(pl.element().is_in(self.licence_codes)).list.any()
            .fill_null(False).alias("_licensed"),
            documents.list.eval(pl.element().is_in(self.not_listed_codes)).list.any()
            .fill_null(False).alias("_exempt"),
            documents.alias("_documents"))
        return (found.filter(~pl.col("_licensed"))
                .sort("_row", "_entry", pl.col("_len"), descending=[False, False, True])
                .group_by("_row", "_entry", maintain_order=True)
                .agg(pl.first("_decl"), pl.first("item"), pl.first("commodity_code"),
                     pl.col("_code").alias("_codes"), pl.first("_documents"),
                     pl.first("_exempt"))
                .select(list(schema)))

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        """(declaration index `_decl`, hit) for every unlicensed export of a correlated code."""
        return [(row["_decl"], self._hit(row)) for row in self.matches(frame).iter_rows(named=True)]

    def _hit(self, row: dict[str, Any]) -> Hit:
        entry = self.entries[row["_entry"]]
        code = row["commodity_code"]
        evidence = {"control_number": entry.control_number, "description": entry.description,
                    "codes": row["_codes"], "commodity_code": code,
                    "document_codes": row["_documents"]}
        what = (f"export under {code}, correlated with dual-use entry {entry.control_number} "
                f"({_short(entry.description)})")
        if row["_exempt"]:
            declared = sorted(set(row["_documents"]) & set(self.not_listed_codes))
            return Hit(source=Source.DUAL_USE, ref=entry.control_number, area=Area.DUAL_USE,
                       reason=f"{what}, declared not listed ({', '.join(declared)}): check the "
                              "technical specifications against the entry",
                       weight=self.exempt_weight, min_channel=Channel.YELLOW, hard=False,
                       item=row["item"], evidence={**evidence, "exemption": declared})
        return Hit(source=Source.DUAL_USE, ref=entry.control_number, area=Area.DUAL_USE,
                   reason=f"{what}, without a dual-use export authorisation",
                   weight=HIT_WEIGHT, min_channel=Channel.RED, hard=True, item=row["item"],
                   instructions="Verify the goods against the control list entry; without an "
                                "authorisation for a listed item, stop the export and inform "
                                "the licensing authority",
                   evidence=evidence)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
