"""Both sides of an alarm in rows an officer reads across: what the partner announced on
the left, what arrived on the right. Pure: from an alarm's evidence and a stored
announcement's payload, as text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ANNOUNCED, ARRIVED = "announced", "arrived"
# Evidence figures that belong to one side though not under "announced" / "arrived".
TIMES = ("exit_at", "arrived_at")


@dataclass(frozen=True)
class Row:
    label: str
    announced: str
    arrived: str


@dataclass(frozen=True)
class Sides:
    rows: tuple[Row, ...]              # the two sides, figure by figure
    other: tuple[tuple[str, str], ...]  # the rest of the evidence (tolerance, notes...)


def shown(value: Any) -> str:
    """A figure as text: lists joined, mappings as `name: value`, nothing as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return "; ".join(f"{k.replace('_', ' ')}: {shown(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value)
    return str(value)


def _label(name: str) -> str:
    return name.replace("_", " ")


def _pair(label: str, announced: Any, arrived: Any) -> list[Row]:
    if isinstance(announced, Mapping) and isinstance(arrived, Mapping):
        names = list(dict.fromkeys([*announced, *arrived]))
        return [Row(_label(n), shown(announced.get(n)), shown(arrived.get(n))) for n in names]
    return [Row(label, shown(announced), shown(arrived))]


def side_by_side(evidence: Mapping[str, Any]) -> Sides:
    """The evidence as rows of both sides: its top-level `announced`/`arrived`, any figure
    holding its own `announced`/`arrived` (containers, seals), and exit against arrival
    time; everything else (tolerance, what arrived as, notes) apart."""
    rows: list[Row] = []
    other: list[tuple[str, str]] = []
    if ANNOUNCED in evidence or ARRIVED in evidence:
        rows += _pair("figure", evidence.get(ANNOUNCED), evidence.get(ARRIVED))
    if any(t in evidence for t in TIMES):
        rows.append(Row("time", shown(evidence.get("exit_at")), shown(evidence.get("arrived_at"))))
    for name, value in evidence.items():
        if name in (ANNOUNCED, ARRIVED, *TIMES):
            continue
        if isinstance(value, Mapping) and (ANNOUNCED in value or ARRIVED in value):
            rows += _pair(_label(name), value.get(ANNOUNCED), value.get(ARRIVED))
        else:
            other.append((_label(name), shown(value)))
    return Sides(tuple(rows), tuple(other))


def announced_facts(payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A stored anticipated arrival as labelled facts (the fields the agreement let through;
    a natural person appears as their pseudonym only, never a name)."""
    transport = payload.get("transport") or {}
    totals = payload.get("totals") or {}
    facts = [("MRN", payload.get("mrn")), ("declaration type", payload.get("declaration_type")),
             ("exit", payload.get("exit_at")), ("office of exit", payload.get("office_of_exit")),
             ("office of entry", payload.get("office_of_entry")),
             ("vehicle", transport.get("vehicle")),
             ("nationality", transport.get("nationality")),
             ("containers", transport.get("containers")), ("seals", transport.get("seals")),
             ("exporter", payload.get("exporter")), ("consignee", payload.get("consignee")),
             ("packages", totals.get("packages")), ("gross mass (kg)", totals.get("gross_mass")),
             ("value", _money(totals.get("value"), totals.get("currency")))]
    for item in payload.get("goods_items") or ():
        facts.append((f"item {item.get('sequence')}", shown(
            {"hs6": item.get("hs6"), "description": item.get("description"),
             "packages": item.get("packages"), "gross mass": item.get("gross_mass"),
             "value": _money(item.get("value"), item.get("currency"))})))
    if payload.get("note"):
        facts.append(("note", payload.get("note")))
    return [(label, shown(value)) for label, value in facts]


def _money(value: Any, currency: Any) -> str | None:
    return None if value is None else f"{value} {currency or ''}".strip()
