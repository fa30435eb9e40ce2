"""Profiles from their written form (YAML or JSON data), checked against the risk fields.

Every problem becomes a coded `Issue` that names the profile, the field or attribute, and a JSON
pointer into the document; all problems of a document are reported together. A field must
exist in `clearway.risk.engine.fields.BY_NAME` and its operator must fit the field's kind, so a
profile that could never run is refused when it is written.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from clearway.errors import DocumentInvalid, Issue, shown
from clearway.profiles.model import (
    OPERATORS,
    SCALED,
    AllOf,
    AnyOf,
    Condition,
    FieldTest,
    Not,
    Profile,
    fields_of,
)
from clearway.profiles.values import BadValue, check_pattern, coerce, values
from clearway.risk.engine.decision import Area, Channel
from clearway.risk.engine.fields import BY_NAME

CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,39}")
MAX_DEPTH = 8  # nesting of all/any/not
MAX_TESTS = 64  # field tests in one profile
TEXT_LIMITS = {"name": 200, "description": 2000, "instructions": 1000, "qualification": 60,
               "owner": 120}
KEYS = ("code", "name", "description", "area", "weight", "min_channel", "instructions",
        "qualification", "valid_from", "valid_to", "agency", "owner", "when")
AGENCY = re.compile(r"[A-Z]{2,8}")  # an agency's code (agencies.model.Agency.code)
# What customs alone knows (its control history of a trader, reference values from its
# controls): an agency's profile may not read it, or its selections would leak it.
CUSTOMS_ONLY_LEVELS = frozenset({"history", "reference"})
EXPORT_ONLY = ("version", "status")  # written by export, ignored when read
AREA_ALIASES = {"security": Area.SECURITY, "safety": Area.SECURITY,
                "prohibitions": Area.PROHIBITIONS, "restrictions": Area.PROHIBITIONS}


class _Reader:
    """Reads one profile, collecting issues instead of stopping at the first."""

    def __init__(self, label: str, issues: list[Issue]) -> None:
        self.label = label
        self.issues = issues
        self.tests = 0

    def bad(self, code: str, pointer: str, element: str | None, message: str) -> None:
        self.issues.append(Issue(code, f"Profile {self.label}: {message}", element, pointer))

    # --- conditions -----------------------------------------------------------------------

    def condition(self, data: Any, ptr: str, depth: int = 0) -> Condition | None:
        if depth > MAX_DEPTH:
            self.bad("CW-PROFILE-VALUE", ptr, None, f"conditions nest deeper than {MAX_DEPTH}")
            return None
        if not isinstance(data, dict):
            self.bad("CW-PROFILE-VALUE", ptr, None, "a condition is a mapping: "
                     "{field: ..., <operator>: ...} or all/any/not")
            return None
        if "field" in data:
            return self.test(data, ptr)
        if len(data) != 1 or next(iter(data)) not in ("all", "any", "not"):
            self.bad("CW-PROFILE-OPERATOR", ptr, None, "a condition is {field: ..., "
                     f"<operator>: ...}} or exactly one of all/any/not, not {sorted(data)}")
            return None
        key, value = next(iter(data.items()))
        if key == "not":
            inner = self.condition(value, f"{ptr}/not", depth + 1)
            return None if inner is None else Not(inner)
        if not isinstance(value, list) or not value:
            self.bad("CW-PROFILE-VALUE", f"{ptr}/{key}", None,
                     f"'{key}' takes a non-empty list of conditions")
            return None
        parts = [self.condition(v, f"{ptr}/{key}/{i}", depth + 1) for i, v in enumerate(value)]
        if any(p is None for p in parts):
            return None
        kept = tuple(p for p in parts if p is not None)
        return AllOf(kept) if key == "all" else AnyOf(kept)

    def test(self, data: dict[str, Any], ptr: str) -> FieldTest | None:
        self.tests += 1
        if self.tests == MAX_TESTS + 1:
            self.bad("CW-PROFILE-VALUE", ptr, None, f"more than {MAX_TESTS} field tests")
        name = data["field"]
        if not isinstance(name, str) or name not in BY_NAME:
            near = difflib.get_close_matches(str(name), BY_NAME, n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else " (see docs/profiles.md)"
            self.bad("CW-PROFILE-FIELD", f"{ptr}/field", str(name),
                     f"unknown field {shown(name)}{hint}")
            return None
        ops = [k for k in data if k not in ("field", "factor")]
        if len(ops) != 1 or ops[0] not in OPERATORS:
            self.bad("CW-PROFILE-OPERATOR", ptr, name, f"field {name} needs exactly one "
                     f"operator, one of {', '.join(OPERATORS)}; found {ops or 'none'}")
            return None
        op, kind = OPERATORS[ops[0]], BY_NAME[name].kind
        if kind not in op.kinds:
            fits = [o for o, spec in OPERATORS.items() if kind in spec.kinds]
            self.bad("CW-PROFILE-OPERATOR", f"{ptr}/{op.name}", name, f"operator {op.name} "
                     f"does not apply to {name} (a {kind} field); use one of {', '.join(fits)}")
            return None
        try:
            value = self.value(op.shape, kind, data[op.name], name)
            factor = self.factor(op.name, data.get("factor"), kind, value)
        except BadValue as exc:
            at = f"{ptr}/factor" if str(exc).startswith("factor") else f"{ptr}/{op.name}"
            self.bad("CW-PROFILE-VALUE", at, name, f"{name} {op.name}: {exc}")
            return None
        return FieldTest(name, op.name, value, factor)

    def value(self, shape: str, kind: str, raw: Any, name: str) -> Any:
        if shape == "scalar":
            return coerce(kind, raw)
        if shape == "scalars":
            return values(kind, raw)
        if shape in ("prefixes", "strings"):
            found = values("str", raw, single_ok=shape == "prefixes")
            if any(not v for v in found):
                raise BadValue("empty text is not a value")
            return found
        if shape == "pattern":
            return check_pattern(raw)
        if shape == "flag":
            return coerce("bool", raw)
        if shape == "range":
            if not isinstance(raw, dict) or not raw or set(raw) - {"min", "max"}:
                raise BadValue("expected {min: ..., max: ...} (either may be left out)")
            low, high = (None if raw.get(k) is None else coerce(kind, raw[k])
                         for k in ("min", "max"))
            if low is None and high is None:
                raise BadValue("give min, max or both")
            if low is not None and high is not None and low > high:
                raise BadValue("min is greater than max")
            return (low, high)
        other = raw  # shape == "field"
        if not isinstance(other, str) or other not in BY_NAME:
            raise BadValue(f"unknown field {shown(other)} to compare with")
        other_kind = BY_NAME[other].kind
        numeric = {"int", "float"}
        if not (other_kind == kind or {kind, other_kind} <= numeric):
            raise BadValue(f"cannot compare a {kind} field with {other} (a {other_kind} field)")
        if other == name:
            raise BadValue("compares the field with itself")
        return other

    def factor(self, op: str, raw: Any, kind: str, value: Any) -> float | None:
        if raw is None:
            return None
        if op not in SCALED or kind == "date":
            raise BadValue(f"factor applies only to {' and '.join(sorted(SCALED))} on numbers")
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw < 1e9:
            raise BadValue("factor must be a positive number")
        return float(raw)


def _text(reader: _Reader, data: dict[str, Any], key: str, ptr: str,
          required: bool = False) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            reader.bad("CW-PROFILE-ATTRIBUTE", f"{ptr}/{key}", key, f"{key} is required")
        return None
    if not isinstance(value, str) or len(value) > TEXT_LIMITS[key]:
        reader.bad("CW-PROFILE-ATTRIBUTE", f"{ptr}/{key}", key,
                   f"{key} must be text of at most {TEXT_LIMITS[key]} characters")
        return None
    return value.strip()


def _choice(reader: _Reader, data: dict[str, Any], key: str, ptr: str) -> Any:
    raw = data.get(key)
    if raw is None:
        if key == "area":
            reader.bad("CW-PROFILE-ATTRIBUTE", f"{ptr}/{key}", key, "area is required")
        return None
    enum: Any = Area if key == "area" else Channel
    try:
        return AREA_ALIASES.get(raw) or enum(raw) if key == "area" else enum(raw)
    except (ValueError, TypeError):
        allowed = ", ".join(e.value for e in enum)
        reader.bad("CW-PROFILE-ATTRIBUTE", f"{ptr}/{key}", key,
                   f"{key} {shown(raw)} is not one of {allowed}")
        return None


def read_profile(data: Any, issues: list[Issue], *, pointer: str = "",
                 default_owner: str | None = None) -> Profile | None:
    """A profile from its written form; problems are appended to `issues` (None then)."""
    label = str(data.get("code")) if isinstance(data, dict) and data.get("code") else "?"
    reader = _Reader(label, issues)
    before = len(issues)
    if not isinstance(data, dict):
        reader.bad("CW-PROFILE-ATTRIBUTE", pointer or "/", None,
                   "a profile is a mapping of code, name, area, weight, when...")
        return None
    for key in data:
        if key not in KEYS and key not in EXPORT_ONLY:
            reader.bad("CW-PROFILE-ATTRIBUTE", f"{pointer}/{key}", str(key),
                       f"unknown attribute {shown(key)}; known: {', '.join(KEYS)}")
    code = data.get("code")
    if not isinstance(code, str) or not CODE.fullmatch(code):
        reader.bad("CW-PROFILE-ATTRIBUTE", f"{pointer}/code", "code", "code is required: 1 to "
                   "40 capital letters, digits, '.', '_' or '-' (e.g. VAL-TEXTILES-CN)")
    weight: Any = data.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float) \
            or not 0 <= weight <= 1:
        reader.bad("CW-PROFILE-ATTRIBUTE", f"{pointer}/weight", "weight",
                   f"weight must be a number from 0 to 1, not {shown(weight)}")
    dates = []
    for key in ("valid_from", "valid_to"):
        try:
            dates.append(None if data.get(key) is None else coerce("date", data[key]))
        except BadValue as exc:
            reader.bad("CW-PROFILE-ATTRIBUTE", f"{pointer}/{key}", key, f"{key}: {exc}")
            dates.append(None)
    if dates[0] and dates[1] and dates[0] > dates[1]:
        reader.bad("CW-PROFILE-ATTRIBUTE", f"{pointer}/valid_to", "valid_to",
                   "valid_to is before valid_from")
    texts = {k: _text(reader, data, k, pointer, required=k == "name")
             for k in ("name", "description", "instructions", "qualification")}
    owner = _text(reader, data, "owner", pointer, required=default_owner is None)
    agency = data.get("agency")
    if agency is not None and not (isinstance(agency, str) and AGENCY.fullmatch(agency)):
        reader.bad("CW-PROFILE-ATTRIBUTE", f"{pointer}/agency", "agency",
                   f"agency must be an agency's code (2 to 8 capitals), not {shown(agency)}")
    area, channel = _choice(reader, data, "area", pointer), _choice(
        reader, data, "min_channel", pointer)
    if "when" not in data:
        reader.bad("CW-PROFILE-ATTRIBUTE", f"{pointer}/when", "when", "when (the condition) "
                   "is required")
        return None
    when = reader.condition(data["when"], f"{pointer}/when")
    if when is not None and isinstance(agency, str):
        for name in fields_of(when):
            if BY_NAME[name].level in CUSTOMS_ONLY_LEVELS:
                reader.bad("CW-PROFILE-FIELD", f"{pointer}/when", name, f"field {name} is "
                           "customs' own intelligence (control history, reference values); "
                           "an agency's profile cannot read it")
    if when is None or len(issues) > before:
        return None
    return Profile(code=str(code), name=str(texts["name"]), area=area, weight=float(weight),
                   when=when, owner=owner or str(default_owner), min_channel=channel,
                   instructions=texts["instructions"], qualification=texts["qualification"],
                   valid_from=dates[0], valid_to=dates[1], description=texts["description"],
                   agency=agency)


def parse_profile(data: Any, *, default_owner: str | None = None) -> Profile:
    """One profile, or DocumentInvalid listing every problem."""
    issues: list[Issue] = []
    profile = read_profile(data, issues, default_owner=default_owner)
    if profile is None:
        raise DocumentInvalid(issues, message="The profile has errors")
    return profile
