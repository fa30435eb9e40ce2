"""Condition values: each written value checked against the kind of the field it tests."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import polars as pl

from clearway.errors import shown

MAX_VALUES = 5000  # values in one list
MAX_PATTERN = 500


class BadValue(Exception):
    """A value that does not fit; the message says what was expected."""


def coerce(kind: str, value: Any) -> Any:
    if kind == "str":
        if isinstance(value, str):
            return value
        raise BadValue(f"expected text; write {shown(value)} in quotes (codes keep their "
                       "leading zeros only as text)")
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise BadValue(f"expected a whole number, got {shown(value)}")
    if kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool) \
                and math.isfinite(value):
            return float(value)
        raise BadValue(f"expected a number, got {shown(value)}")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise BadValue(f"expected true or false, got {shown(value)}")
    if kind == "date":
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise BadValue(f"expected a date (YYYY-MM-DD), got {shown(value)}")
    raise BadValue(f"a {kind} field takes no single value")


def values(kind: str, raw: Any, *, single_ok: bool = False) -> tuple[Any, ...]:
    items = [raw] if single_ok and not isinstance(raw, list) else raw
    if not isinstance(items, list) or not items:
        raise BadValue("expected a non-empty list of values")
    if len(items) > MAX_VALUES:
        raise BadValue(f"at most {MAX_VALUES} values")
    return tuple(dict.fromkeys(coerce(kind, v) for v in items))


def check_pattern(pattern: Any) -> str:
    """A regular expression Polars (Rust `regex` syntax) accepts; `(?i)` ignores case."""
    if not isinstance(pattern, str) or not pattern:
        raise BadValue("expected a regular expression in quotes")
    if len(pattern) > MAX_PATTERN:
        raise BadValue(f"the expression is longer than {MAX_PATTERN} characters")
    try:
        pl.Series("x", [""], dtype=pl.String).str.contains(pattern)
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()
        detail = next((line for line in first if line.startswith("error:")), first[-1:] or [""])
        raise BadValue(f"not a valid regular expression ({str(detail).strip()})") from None
    return pattern
