"""Any stored value as a person reads it: event details, control results and the other
free-form records the console shows are JSON-like data whose Python spelling (`False`,
`None`, `[]`, `{'k': 1}`) means nothing to an officer or a trader. One filter, `readable`,
renders every value by its type; `label` turns a field name into words."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

NOTHING = "—"
MAX_DEPTH = 4  # deeper data (never seen in an event) is shown as compact JSON
# Words written in capitals in customs language (and the console's headings).
ACRONYMS = frozenset({
    "aeo", "api", "cn", "cus", "eori", "ens", "eu", "eur", "hs", "hs6", "id", "ids", "ipr",
    "lrn", "mrn", "p50", "p90", "pdf", "sha256", "ucr", "url", "vat", "xml", "edifact",
    "wco", "csv", "json"})


def label(key: object) -> str:
    """A field name in words: "ens_outcome" -> "ENS outcome", "officerId" stays one word."""
    words = str(key).replace("-", "_").split("_")
    out = [w.upper() if w.lower() in ACRONYMS else w.lower() for w in words if w]
    if not out:
        return str(key)
    if not out[0].isupper():
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def is_empty(value: Any) -> bool:
    """Nothing worth a line: None, a blank text, an empty list or mapping."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset | Mapping):
        return len(value) == 0
    return False


def _number(value: int | float | Decimal) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal) and value.is_finite():
        return f"{value:,}"  # an amount keeps its decimals as recorded (250.00)
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return str(number)
    if number != 0 and abs(number) < 0.001:
        return f"{number:.3g}"
    return f"{number:,.4f}".rstrip("0").rstrip(".")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return _number(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _render(value: Any, depth: int) -> Markup:
    if is_empty(value):
        return Markup(NOTHING)
    if depth > MAX_DEPTH:
        return escape(json.dumps(value, default=str, ensure_ascii=False))
    if isinstance(value, Mapping):
        rows = [Markup('<div><dt>{}</dt><dd>{}</dd></div>').format(label(k),
                                                                    _render(v, depth + 1))
                for k, v in value.items() if not is_empty(v)]
        return Markup('<dl class="fields">{}</dl>').format(Markup("").join(rows)) \
            if rows else Markup(NOTHING)
    if isinstance(value, list | tuple | set | frozenset):
        items = [v for v in value if not is_empty(v)]
        if all(not isinstance(v, Mapping | list | tuple | set | frozenset) for v in items):
            return escape(", ".join(_scalar(v) for v in items)) if items else Markup(NOTHING)
        return Markup('<ul class="fields">{}</ul>').format(Markup("").join(
            Markup("<li>{}</li>").format(_render(v, depth + 1)) for v in items))
    return escape(_scalar(value))


def readable(value: Any) -> Markup:
    """`value` as safe markup: yes/no for booleans, "—" for nothing, numbers with thousands
    separators, lists as comma lists (or sub-lists when they hold records), mappings as
    labelled fields (empty fields left out)."""
    return _render(value, 0)
