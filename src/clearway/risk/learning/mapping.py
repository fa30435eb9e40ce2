"""Mapping files: source columns of a declaration data set -> Clearway's canonical columns.

A mapping is a TOML file (format in docs/risk-model.md). `load_mapping` reads it,
`Mapping.apply` turns a frame of source columns (all read as strings) into the canonical frame
that `features.build_features` expects: identifiers and codes as strings (empty -> null), `date`
as `pl.Date`, numbers as `Float64`, `label_irregular` as 0/1 `Int8` (null when unknown) and
`label_revenue` as `Float64`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping as AbstractMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

# Canonical columns with a fixed meaning. Anything else goes to [categorical] or [numeric].
ID_COLUMNS = ("declaration_id",)
CATEGORICAL_COLUMNS = (
    "importer_id", "declarant_id", "seller_id", "courier_id", "office_id", "commodity_code",
    "origin_country", "departure_country", "transport_mode",
)
NUMERIC_COLUMNS = ("net_mass", "value", "tax_rate")
LABEL_COLUMNS = ("label_irregular", "label_revenue")
CANONICAL = (*ID_COLUMNS, "date", *CATEGORICAL_COLUMNS, *NUMERIC_COLUMNS, *LABEL_COLUMNS)
REQUIRED = ("date",)
OPERATORS = (">", ">=", "<", "<=", "==", "!=")


class MappingError(ValueError):
    """The mapping file or the data it is applied to is not usable."""


@dataclass(frozen=True)
class LabelRule:
    """How a label is derived: `column op value` (e.g. Fraud > 0); op None: the column as is."""

    column: str
    op: str | None = None
    value: float | str | None = None

    def expression(self) -> pl.Expr:
        col = pl.col(self.column)
        if self.op is None:
            return col.cast(pl.Float64, strict=False)
        if isinstance(self.value, str):
            ref: pl.Expr = pl.lit(self.value)
        else:
            col = col.cast(pl.Float64, strict=False)
            ref = pl.lit(float(self.value if self.value is not None else 0.0))
        return {
            ">": col > ref, ">=": col >= ref, "<": col < ref, "<=": col <= ref,
            "==": col == ref, "!=": col != ref,
        }[self.op].cast(pl.Float64)


@dataclass(frozen=True)
class Mapping:
    """Canonical name -> source column, plus extra columns and label rules."""

    name: str
    columns: dict[str, str]
    labels: dict[str, LabelRule] = field(default_factory=dict)
    categorical: dict[str, str] = field(default_factory=dict)
    numeric: dict[str, str] = field(default_factory=dict)
    date_format: str = "%Y-%m-%d"

    @property
    def has_revenue(self) -> bool:
        return "label_revenue" in self.labels

    def source_columns(self) -> list[str]:
        names = [*self.columns.values(), *self.categorical.values(), *self.numeric.values()]
        names += [rule.column for rule in self.labels.values()]
        return list(dict.fromkeys(names))

    def categorical_names(self) -> list[str]:
        """Canonical categorical columns this mapping provides (fixed ones, then extras)."""
        return [c for c in CATEGORICAL_COLUMNS if c in self.columns] + list(self.categorical)

    def numeric_names(self) -> list[str]:
        return [c for c in NUMERIC_COLUMNS if c in self.columns] + list(self.numeric)

    def apply(self, source: pl.DataFrame) -> pl.DataFrame:
        """Canonical frame from a frame of source columns (strings or already typed)."""
        missing = [c for c in self.source_columns() if c not in source.columns]
        if missing:
            raise MappingError(f"mapping {self.name!r}: columns not in the data: {missing}")
        exprs: list[pl.Expr] = []
        for canon in ID_COLUMNS:
            if canon in self.columns:
                exprs.append(_text(self.columns[canon]).alias(canon))
        date = pl.col(self.columns["date"])
        if source.schema[self.columns["date"]] in (pl.String, pl.Utf8):
            date = date.str.strip_chars().str.to_date(self.date_format, strict=False)
        exprs.append(date.cast(pl.Date).alias("date"))
        categorical = {c: self.columns[c] for c in CATEGORICAL_COLUMNS if c in self.columns}
        for canon, src in {**categorical, **self.categorical}.items():
            exprs.append(_text(src).alias(canon))
        numeric = {c: self.columns[c] for c in NUMERIC_COLUMNS if c in self.columns}
        for canon, src in {**numeric, **self.numeric}.items():
            exprs.append(pl.col(src).cast(pl.Float64, strict=False).alias(canon))
        for canon, rule in self.labels.items():
            expr = rule.expression()
            if canon == "label_irregular":
                expr = expr.cast(pl.Int8)
            exprs.append(expr.alias(canon))
        frame = source.select(exprs)
        if frame["date"].null_count():
            raise MappingError(f"mapping {self.name!r}: {frame['date'].null_count()} rows have "
                               f"no date readable as {self.date_format}")
        return frame


def _text(column: str) -> pl.Expr:
    value = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.when(value == "").then(None).otherwise(value)


def _rule(canon: str, spec: Any) -> LabelRule:
    if isinstance(spec, str):
        return LabelRule(spec)
    if isinstance(spec, AbstractMapping) and isinstance(spec.get("column"), str):
        op = spec.get("op")
        if op is not None and op not in OPERATORS:
            raise MappingError(f"{canon}: op must be one of {OPERATORS}, not {op!r}")
        value = spec.get("value")
        if op is not None and not isinstance(value, int | float | str):
            raise MappingError(f"{canon}: a rule with op needs a value")
        return LabelRule(spec["column"], op, value)
    raise MappingError(f"{canon}: expected a column name or {{column, op, value}}")


def _names(section: Any, what: str) -> dict[str, str]:
    if section is None:
        return {}
    if not isinstance(section, AbstractMapping) or not all(
            isinstance(v, str) for v in section.values()):
        raise MappingError(f"[{what}] must map canonical names to source column names")
    clash = [k for k in section if k in CANONICAL or k == "date"]
    if clash:
        raise MappingError(f"[{what}] uses canonical names {clash}; map them in [columns]")
    return dict(section)


def parse_mapping(data: AbstractMapping[str, Any], name: str = "mapping") -> Mapping:
    """Mapping from parsed TOML (a dict)."""
    columns_raw = data.get("columns")
    if not isinstance(columns_raw, AbstractMapping):
        raise MappingError("a mapping needs a [columns] table")
    columns: dict[str, str] = {}
    labels: dict[str, LabelRule] = {}
    for canon, spec in columns_raw.items():
        if canon not in CANONICAL:
            raise MappingError(f"[columns] {canon!r} is not a canonical name; put extra columns "
                               f"in [categorical] or [numeric]. Canonical: {', '.join(CANONICAL)}")
        if canon in LABEL_COLUMNS:
            labels[canon] = _rule(canon, spec)
        elif isinstance(spec, str):
            columns[canon] = spec
        else:
            raise MappingError(f"[columns] {canon} must be a source column name")
    for req in REQUIRED:
        if req not in columns:
            raise MappingError(f"[columns] must map {req!r}")
    categorical = _names(data.get("categorical"), "categorical")
    numeric = _names(data.get("numeric"), "numeric")
    both = set(categorical) & set(numeric)
    if both:
        raise MappingError(f"columns both categorical and numeric: {sorted(both)}")
    return Mapping(name=str(data.get("name", name)), columns=columns, labels=labels,
                   categorical=categorical, numeric=numeric,
                   date_format=str(data.get("date_format", "%Y-%m-%d")))


def load_mapping(path: str | Path) -> Mapping:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"cannot read mapping {path}: {exc}") from exc
    return parse_mapping(data, name=path.stem)


def read_source(path: str | Path, mapping: Mapping) -> pl.DataFrame:
    """Read a CSV with every column as a string (codes keep leading zeros) and map it."""
    try:
        raw = pl.read_csv(path, infer_schema_length=0, columns=mapping.source_columns(),
                          encoding="utf8-lossy")
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise MappingError(f"cannot read {path}: {exc}") from exc
    return mapping.apply(raw)
