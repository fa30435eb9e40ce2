"""Risk profiles (common risk criteria): declarative conditions over the risk fields.

A profile says "these declarations deserve a look, for this reason": a condition tree over the
columns of the item frame (`clearway.risk.engine.fields`), a risk area, a weight, an optional
minimum channel, and what the officer should do. Plain immutable objects; `parse.py` builds
them from YAML/JSON with coded errors, `conditions.py` compiles them to Polars expressions.

Null semantics: a test on a missing (null) value is false, whatever the operator (only
`present` looks at nulls). `not` is the plain negation of its condition, so
`not: {field: origin_country, in: [CN]}` is true when the origin is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from clearway.risk.engine.decision import Area, Channel


class ProfileStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


@dataclass(frozen=True)
class Operator:
    """An operator: the field kinds it applies to, the shape of its value, how it reads."""

    name: str
    kinds: frozenset[str]
    shape: str  # scalar | scalars | prefixes | pattern | range | strings | flag | field
    words: str


_ALL = frozenset({"str", "int", "float", "bool", "date", "list"})
_SCALAR = frozenset({"str", "int", "float", "bool", "date"})
_ORDERED = frozenset({"int", "float", "date"})
_DISCRETE = frozenset({"str", "int", "date"})
OPERATORS: dict[str, Operator] = {op.name: op for op in (
    Operator("equals", _SCALAR, "scalar", "is"),
    Operator("not_equals", _SCALAR, "scalar", "is not"),
    Operator("in", _DISCRETE, "scalars", "in"),
    Operator("not_in", _DISCRETE, "scalars", "not in"),
    Operator("prefix", frozenset({"str"}), "prefixes", "starts with"),
    Operator("regex", frozenset({"str"}), "pattern", "matches"),
    Operator("range", _ORDERED, "range", "between"),
    Operator("greater_than", _ORDERED, "scalar", ">"),
    Operator("less_than", _ORDERED, "scalar", "<"),
    Operator("any_of", frozenset({"list"}), "strings", "includes any of"),
    Operator("all_of", frozenset({"list"}), "strings", "includes all of"),
    Operator("present", _ALL, "flag", "is present"),
    Operator("equals_field", _SCALAR, "field", "="),
    Operator("not_equals_field", _SCALAR, "field", "≠"),
    Operator("less_than_field", _ORDERED, "field", "<"),
    Operator("greater_than_field", _ORDERED, "field", ">"),
)}
# Field comparisons that may scale the other field: `unit_value < 0.5 * reference_unit_value`.
SCALED = frozenset({"less_than_field", "greater_than_field"})


@dataclass(frozen=True)
class FieldTest:
    """One test of one field. `value` is a scalar, a tuple of scalars, a (min, max) pair for
    `range` (either may be None), a bool for `present`, or another field's name for the
    `*_field` operators (scaled by `factor`)."""

    field: str
    op: str
    value: Any
    factor: float | None = None


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    condition: Condition


Condition = FieldTest | AllOf | AnyOf | Not


@dataclass(frozen=True)
class Profile:
    """One version of a risk profile."""

    code: str
    name: str
    area: Area
    weight: float
    when: Condition
    owner: str
    min_channel: Channel | None = None
    instructions: str | None = None
    qualification: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    description: str | None = None
    version: int = 1
    status: ProfileStatus = ProfileStatus.DRAFT
    # An agency's own profile (its code, e.g. "PH"): it selects the agency's tasks on the
    # items routed to that agency, and never weighs on customs' assessment (None: customs').
    agency: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def hard(self) -> bool:
        """A hard profile imposes its channel; a soft one (no channel, or green) adds weight."""
        return self.min_channel is not None and self.min_channel != Channel.GREEN

    def valid_on(self, day: date) -> bool:
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_to is None or day <= self.valid_to))

    def reason(self) -> str:
        return f"{self.name} ({render(self.when)})"

    def definition(self) -> dict[str, Any]:
        """The profile as written (YAML/JSON shape, JSON-safe); no version or status."""
        data: dict[str, Any] = {"code": self.code, "name": self.name}
        if self.description:
            data["description"] = self.description
        data.update(area=str(self.area), weight=self.weight)
        if self.min_channel is not None:
            data["min_channel"] = str(self.min_channel)
        for key in ("instructions", "qualification"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        for key in ("valid_from", "valid_to"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key).isoformat()
        if self.agency is not None:
            data["agency"] = self.agency
        data.update(owner=self.owner, when=condition_dict(self.when))
        return data


def condition_dict(cond: Condition) -> dict[str, Any]:
    """A condition in its written form (JSON-safe)."""
    if isinstance(cond, AllOf):
        return {"all": [condition_dict(c) for c in cond.conditions]}
    if isinstance(cond, AnyOf):
        return {"any": [condition_dict(c) for c in cond.conditions]}
    if isinstance(cond, Not):
        return {"not": condition_dict(cond.condition)}
    value: Any = cond.value
    if cond.op == "range":
        value = {k: _plain(v) for k, v in zip(("min", "max"), value, strict=True)
                 if v is not None}
    elif isinstance(value, tuple):
        value = [_plain(v) for v in value]
    else:
        value = _plain(value)
    out: dict[str, Any] = {"field": cond.field, cond.op: value}
    if cond.factor is not None:
        out["factor"] = cond.factor
    return out


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def fields_of(cond: Condition) -> list[str]:
    """Every field a condition reads, in order of appearance, once each."""
    found: dict[str, None] = {}

    def walk(c: Condition) -> None:
        if isinstance(c, AllOf | AnyOf):
            for sub in c.conditions:
                walk(sub)
        elif isinstance(c, Not):
            walk(c.condition)
        else:
            found.setdefault(c.field)
            if OPERATORS[c.op].shape == "field":
                found.setdefault(str(c.value))

    walk(cond)
    return list(found)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(_plain(value))


def _render_test(t: FieldTest) -> str:
    op = OPERATORS[t.op]
    if op.shape in ("scalars", "strings", "prefixes"):
        joiner = " or " if op.shape == "prefixes" else ", "
        return f"{t.field} {op.words} {joiner.join(_show(v) for v in t.value)}"
    if op.shape == "range":
        low, high = t.value
        if low is not None and high is not None:
            return f"{t.field} between {_show(low)} and {_show(high)}"
        return f"{t.field} ≥ {_show(low)}" if low is not None else f"{t.field} ≤ {_show(high)}"
    if op.shape == "flag":
        return f"{t.field} is {'present' if t.value else 'missing'}"
    if op.shape == "pattern":
        return f"{t.field} matches /{t.value}/"
    if op.shape == "field":
        scale = f"{_show(t.factor)} * " if t.factor not in (None, 1.0) else ""
        return f"{t.field} {op.words} {scale}{t.value}"
    return f"{t.field} {op.words} {_show(t.value)}"


def render(cond: Condition, nested: bool = False) -> str:
    """A condition in words: `hs6 starts with 6109 and origin_country in CN, BD`."""
    if isinstance(cond, FieldTest):
        return _render_test(cond)
    if isinstance(cond, Not):
        return f"not ({render(cond.condition)})"
    joiner = " and " if isinstance(cond, AllOf) else " or "
    text = joiner.join(render(c, nested=True) for c in cond.conditions)
    return f"({text})" if nested and len(cond.conditions) > 1 else text
