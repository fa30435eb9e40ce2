"""Agreements from YAML: one agreement (a mapping) or a list of them.

    - id: RS-MK-2026
      parties: [RS, MK]                 # country codes of the administrations bound
      legal_basis: "Agreement on mutual assistance RS-MK, Art. 5"
      valid_from: 2026-01-01
      valid_to: 2030-12-31              # or null: open-ended
      message_types: [anticipated-arrival, ping]
      purposes:                         # purpose -> top-level payload fields allowed for it
        risk-analysis: [mrn, goods_items, transport]
      retention_days: 365
      onward_transfer: forbidden        # or with-consent
      crossings:                        # optional: border crossings covered (pre-arrival)
        - name: Presevo - Tabanovce
          offices: {RS: RS004002, MK: MK002001}   # each party's office at the crossing
          transit_minutes: [5, 240]     # plausible time from exit to entry
          arrival_deadline_hours: 24    # no arrival after this long: an alarm

Reading is strict: no anchors or aliases, no booleans (so Norway's NO stays a country code),
no unknown keys, and every problem of every agreement is reported together as a
CW-EXCH-AGREEMENT issue with the JSON pointer of its place in the document.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import yaml

from clearway.errors import DocumentInvalid, Issue, shown
from clearway.exchange.model import ONWARD_TRANSFER, Agreement, Crossing

MAX_YAML_BYTES = 1024 * 1024
CODE = "CW-EXCH-AGREEMENT"
_COUNTRY = re.compile(r"^[A-Z]{2}$")
# Agreement ids, message types, purposes and field names: one token each, no spaces.
_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,99}$")
_KEYS = {"id", "parties", "legal_basis", "valid_from", "valid_to", "message_types",
         "purposes", "retention_days", "onward_transfer", "crossings"}
_OPTIONAL = {"valid_to", "crossings"}
_CROSSING_KEYS = {"name", "offices", "transit_minutes", "arrival_deadline_hours"}
_OFFICE = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")
_BOOL = "tag:yaml.org,2002:bool"


class _Loader(yaml.SafeLoader):
    """SafeLoader without aliases (no "billion laughs") and without booleans."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "anchors and aliases are not allowed",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def parse_agreements(text: str | bytes) -> list[Agreement]:
    """Every agreement of the document, or DocumentInvalid listing every problem."""
    data = _read(text)
    entries = [data] if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise _invalid([Issue(CODE, "Expected an agreement (a mapping) or a list of them",
                              pointer="")])
    issues: list[Issue] = []
    found: list[Agreement] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"/{i}" if isinstance(data, list) else ""
        agreement = _agreement(entry, where, issues)
        if agreement is None:
            continue
        if agreement.id in seen:
            issues.append(Issue(CODE, f"The agreement id {shown(agreement.id)} appears twice",
                                "id", f"{where}/id"))
        seen.add(agreement.id)
        found.append(agreement)
    if issues:
        raise _invalid(issues)
    return found


def _read(text: str | bytes) -> Any:
    if len(text) > MAX_YAML_BYTES:
        raise _invalid([Issue(CODE, f"The YAML is larger than {MAX_YAML_BYTES:,} bytes")])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise _invalid([Issue(CODE, "The YAML is not UTF-8")]) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise _invalid([Issue(CODE, f"The YAML cannot be read: {at}{problem}")]) from None
    except RecursionError:
        raise _invalid([Issue(CODE, "The YAML nests too deeply")]) from None


def _agreement(entry: object, where: str, issues: list[Issue]) -> Agreement | None:
    if not isinstance(entry, dict):
        issues.append(Issue(CODE, "An agreement is a mapping of id, parties, legal_basis...",
                            pointer=where))
        return None
    before = len(issues)
    for key in sorted(set(map(str, entry)) - _KEYS):
        issues.append(Issue(CODE, f"Unknown key {shown(key)}", key, f"{where}/{key}"))
    for key in sorted(_KEYS - _OPTIONAL - set(entry)):
        issues.append(Issue(CODE, f"The agreement has no {key}", key, f"{where}/{key}"))
    if len(issues) > before:
        return None
    at = _Place(where, issues)
    fields = at.purposes(entry["purposes"])
    agreement = Agreement(
        id=at.token(entry["id"], "id"), parties=at.parties(entry["parties"]),
        legal_basis=at.text(entry["legal_basis"], "legal_basis"),
        valid_from=at.day(entry["valid_from"], "valid_from"),
        valid_to=None if entry.get("valid_to") is None else at.day(entry["valid_to"], "valid_to"),
        message_types=at.tokens(entry["message_types"], "message_types"),
        purposes=frozenset(fields), fields=fields,
        retention_days=at.days(entry["retention_days"]),
        onward_transfer=at.choice(entry["onward_transfer"], "onward_transfer", ONWARD_TRANSFER),
        crossings=at.crossings(entry.get("crossings", []), entry.get("parties")))
    if agreement.valid_to is not None and agreement.valid_to < agreement.valid_from:
        at.fail("valid_to", "valid_to is before valid_from")
    return None if len(issues) > before else agreement


class _Place:
    """Reads the values of one agreement, adding an issue for each that is wrong; a wrong
    value reads as a harmless stand-in so that every problem is found in one pass."""

    def __init__(self, where: str, issues: list[Issue]) -> None:
        self.where, self.issues = where, issues

    def fail(self, key: str, message: str) -> None:
        self.issues.append(Issue(CODE, message, key.split("/")[0], f"{self.where}/{key}"))

    def text(self, value: object, key: str) -> str:
        if isinstance(value, str) and value.strip():
            return value
        self.fail(key, f"{key} is not a non-empty text")
        return ""

    def token(self, value: object, key: str) -> str:
        if isinstance(value, str) and _TOKEN.match(value):
            return value
        self.fail(key, f"{key} {shown(value)} is not a code (letters, digits, - _ . : /)")
        return ""

    def tokens(self, value: object, key: str) -> frozenset[str]:
        if not isinstance(value, list) or not value:
            self.fail(key, f"{key} is not a non-empty list")
            return frozenset()
        return frozenset(self.token(v, f"{key}/{i}") for i, v in enumerate(value))

    def parties(self, value: object) -> frozenset[str]:
        if not isinstance(value, list) or len(value) < 2:
            self.fail("parties", "parties lists at least two country codes")
            return frozenset()
        for i, code in enumerate(value):
            if not isinstance(code, str) or not _COUNTRY.match(code):
                self.fail(f"parties/{i}", f"{shown(code)} is not a country code (two capitals)")
        found = frozenset(c for c in value if isinstance(c, str))
        if len(found) != len(value):
            self.fail("parties", "a party is listed twice")
        return found

    def day(self, value: object, key: str) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(key, f"{key} {shown(value)} is not a date (YYYY-MM-DD)")
        return date.min

    def days(self, value: object) -> int:
        if isinstance(value, int) and 1 <= value <= 36500:
            return value
        self.fail("retention_days", f"retention_days {shown(value)} is not a number of days "
                  "from 1 to 36500")
        return 1

    def choice(self, value: object, key: str, allowed: tuple[str, ...]) -> str:
        if value in allowed:
            return str(value)
        self.fail(key, f"{key} {shown(value)} is not one of {', '.join(allowed)}")
        return allowed[0]

    def crossings(self, value: object, parties: object) -> tuple[Crossing, ...]:
        if not isinstance(value, list):
            self.fail("crossings", "crossings is a list")
            return ()
        found = [_crossing(self, c, f"crossings/{i}", parties) for i, c in enumerate(value)]
        return tuple(c for c in found if c is not None)

    def purposes(self, value: object) -> dict[str, frozenset[str]]:
        if not isinstance(value, dict) or not value:
            self.fail("purposes", "purposes maps each purpose to the payload fields it allows")
            return {}
        fields: dict[str, frozenset[str]] = {}
        for purpose, names in value.items():
            # A JSON pointer writes "~" as "~0" and "/" as "~1" inside a name.
            key = "purposes/" + str(purpose).replace("~", "~0").replace("/", "~1")
            code = self.token(purpose, key)
            if not isinstance(names, list):
                self.fail(key, f"the fields of purpose {shown(purpose)} are not a list")
                continue
            fields[code] = frozenset(self.token(n, f"{key}/{i}") for i, n in enumerate(names))
        return fields


def _crossing(at: _Place, value: object, key: str, parties: object) -> Crossing | None:
    if not isinstance(value, dict) or set(map(str, value)) != _CROSSING_KEYS:
        at.fail(key, f"a crossing holds exactly {', '.join(sorted(_CROSSING_KEYS))}")
        return None
    offices = value["offices"]
    if (not isinstance(offices, dict) or not isinstance(parties, list)
            or set(offices) != set(parties)
            or not all(isinstance(o, str) and _OFFICE.match(o) for o in offices.values())):
        at.fail(f"{key}/offices", "offices maps every party's country code to its office code "
                "at the crossing")
        return None
    if len(set(offices.values())) != len(offices):
        at.fail(f"{key}/offices", "two parties cannot share an office")
    span = value["transit_minutes"]
    if (not isinstance(span, list) or len(span) != 2
            or not all(isinstance(m, int) and 0 <= m <= 100_000 for m in span)
            or span[0] > span[1]):
        at.fail(f"{key}/transit_minutes", "transit_minutes is [shortest, longest] in minutes")
        span = [0, 0]
    hours = value["arrival_deadline_hours"]
    if not isinstance(hours, int) or not 1 <= hours <= 8760:
        at.fail(f"{key}/arrival_deadline_hours", "arrival_deadline_hours is 1 to 8760")
        hours = 1
    return Crossing(name=at.text(value["name"], f"{key}/name"), offices=dict(offices),
                    min_transit_minutes=span[0], max_transit_minutes=span[1],
                    arrival_deadline_hours=hours)


def _invalid(issues: list[Issue]) -> DocumentInvalid:
    return DocumentInvalid(issues, message="The agreements have errors")
