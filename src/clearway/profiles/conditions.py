"""Profile conditions compiled to Polars expressions over the item frame.

Each field test is filled with `false` where Polars would give null, so a missing value never
matches a positive test; `not` is then the plain negation (see `model`). A whole profile becomes
one boolean expression that also holds its validity window on `declaration_date`; the matcher
evaluates all profiles in one `select`. Membership tests on text (`in`, `prefix`) read helper
columns (`derived_columns`): the text, or its first n characters, as a categorical, computed once
for all profiles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from clearway.profiles.model import AllOf, AnyOf, Condition, FieldTest, Not, Profile
from clearway.risk.engine.fields import BY_NAME


def derived_name(field: str, length: int | None = None) -> str:
    """The helper column holding a text field (or its first `length` characters) as a
    categorical: membership tests then compare small integers instead of hashing strings."""
    return f"__cat_{field}" + (f"_{length}" if length else "")


def _categorical(values: Sequence[str]) -> pl.Series:
    return pl.Series(values, dtype=pl.Categorical).implode()


def _member(t: FieldTest, values: Sequence[Any]) -> pl.Expr:
    if BY_NAME[t.field].kind == "str":
        return pl.col(derived_name(t.field)).is_in(_categorical(values))
    return pl.col(t.field).is_in(pl.Series(values, dtype=BY_NAME[t.field].dtype).implode())


def _prefixes(t: FieldTest) -> pl.Expr:
    """Grouped by length: one membership test per length, however many prefixes (a list of
    300 HS headings costs as much as one)."""
    by_length: dict[int, list[str]] = defaultdict(list)
    for p in t.value:
        by_length[len(p)].append(p)
    parts = [pl.col(derived_name(t.field, n)).is_in(_categorical(group))
             for n, group in sorted(by_length.items())]
    return parts[0] if len(parts) == 1 else pl.any_horizontal(parts)


def derived_columns(cond: Condition) -> dict[str, pl.Expr]:
    """The helper columns a compiled condition reads (add them before evaluating it)."""
    if isinstance(cond, AllOf | AnyOf):
        return {k: v for c in cond.conditions for k, v in derived_columns(c).items()}
    if isinstance(cond, Not):
        return derived_columns(cond.condition)
    col = pl.col(cond.field)
    if cond.op == "prefix":
        return {derived_name(cond.field, n): col.str.slice(0, n).cast(pl.Categorical)
                for n in {len(p) for p in cond.value}}
    if cond.op in ("in", "not_in") and BY_NAME[cond.field].kind == "str":
        return {derived_name(cond.field): col.cast(pl.Categorical)}
    return {}


def _range(col: pl.Expr, bounds: tuple[Any, Any]) -> pl.Expr:
    low, high = bounds
    if low is not None and high is not None:
        return col.is_between(pl.lit(low), pl.lit(high), closed="both")
    return col >= pl.lit(low) if low is not None else col <= pl.lit(high)


def _present(t: FieldTest, col: pl.Expr) -> pl.Expr:
    there = col.list.len() > 0 if BY_NAME[t.field].kind == "list" else col.is_not_null()
    there = there.fill_null(False)
    return there if t.value else ~there


def _other(t: FieldTest) -> pl.Expr:
    other = pl.col(str(t.value))
    return other * t.factor if t.factor is not None else other


_LEAVES: dict[str, Callable[[FieldTest, pl.Expr], pl.Expr]] = {
    "equals": lambda t, c: c == pl.lit(t.value),
    "not_equals": lambda t, c: c != pl.lit(t.value),
    "in": lambda t, c: _member(t, t.value),
    "not_in": lambda t, c: c.is_not_null() & ~_member(t, t.value),
    "prefix": lambda t, c: _prefixes(t),
    "regex": lambda t, c: c.str.contains(t.value),
    "range": lambda t, c: _range(c, t.value),
    "greater_than": lambda t, c: c > pl.lit(t.value),
    "less_than": lambda t, c: c < pl.lit(t.value),
    "any_of": lambda t, c: pl.any_horizontal([c.list.contains(pl.lit(v)) for v in t.value]),
    "all_of": lambda t, c: pl.all_horizontal([c.list.contains(pl.lit(v)) for v in t.value]),
    "equals_field": lambda t, c: c == _other(t),
    "not_equals_field": lambda t, c: c != _other(t),
    "less_than_field": lambda t, c: c < _other(t),
    "greater_than_field": lambda t, c: c > _other(t),
}


def compile_condition(cond: Condition) -> pl.Expr:
    """A boolean expression that is never null."""
    if isinstance(cond, FieldTest):
        col = pl.col(cond.field)
        if cond.op == "present":
            return _present(cond, col)
        return _LEAVES[cond.op](cond, col).fill_null(False)
    if isinstance(cond, Not):
        return ~compile_condition(cond.condition)
    parts = [compile_condition(c) for c in cond.conditions]
    if len(parts) == 1:
        return parts[0]
    return pl.all_horizontal(parts) if isinstance(cond, AllOf) else pl.any_horizontal(parts)


def validity(profile: Profile) -> pl.Expr | None:
    """Rows whose `declaration_date` is inside the profile's validity (both ends included);
    a row without a date is outside any bounded window. None: valid on every date."""
    day = pl.col("declaration_date")
    bounds = []
    if profile.valid_from is not None:
        bounds.append(day >= pl.lit(profile.valid_from))
    if profile.valid_to is not None:
        bounds.append(day <= pl.lit(profile.valid_to))
    if not bounds:
        return None
    return pl.all_horizontal(bounds).fill_null(False)


def compile_profile(profile: Profile) -> pl.Expr:
    """True on the rows (items) the profile hits, on the dates it is valid."""
    expr = compile_condition(profile.when)
    window = validity(profile)
    return expr if window is None else window & expr



def evaluate(frame: pl.DataFrame, cond: Condition) -> pl.Series:
    """The condition on each row of `frame` (helper columns added and dropped)."""
    helpers = derived_columns(cond)
    return (frame.lazy().with_columns(**helpers).select(compile_condition(cond).alias("hit"))
            .collect().get_column("hit"))
