"""Reference data as CSV files: the list definitions, parsing, header/value/date checks.

Every list is one UTF-8 CSV file with a header row and `valid_from`/`valid_to` columns (ISO
dates, empty = open). The package ships a default set in `data/`; an administration replaces
any subset of them (a directory may hold only some lists, the others keep their version).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from clearway.refdata.errors import RefDataError

VALIDITY = ("valid_from", "valid_to")
OFFICE_ROLES = frozenset({"lodgement", "presentation", "exit", "entry", "supervising", "transit"})
PROCEDURE_KINDS = frozenset({"requested_previous", "procedure", "additional"})
DOCUMENT_CATEGORIES = frozenset({"document", "previous", "authorisation"})
REPRESENTATION_KINDS = frozenset({"direct", "indirect"})
DECLARATION_TYPES = frozenset({"IM", "EX", "CO", "ENS", "EXS"})
MANIFEST_FILE = "manifest.csv"
MANIFEST_COLUMNS = ("list", "file", "version", "source")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
Check = Callable[[dict[str, str]], str | None]


@dataclass(frozen=True)
class ListDef:
    """One reference list: its file, required columns, value formats and row checks."""

    name: str
    filename: str
    columns: tuple[str, ...]
    formats: dict[str, str] = field(default_factory=dict)
    may_be_empty: frozenset[str] = frozenset()
    checks: tuple[Check, ...] = ()


def _hs_shape(row: dict[str, str]) -> str | None:
    code, level, parent = row["code"], row["level"], row["parent"]
    if len(code) != int(level):
        return f"code {code!r} has {len(code)} digits but level {level}"
    expected = code[:-2]
    if parent != expected:
        return f"parent of {code!r} must be {expected!r}, not {parent!r}"
    return None


def _national_parent(row: dict[str, str]) -> str | None:
    if not row["code"].startswith(row["parent6"]):
        return f"code {row['code']!r} does not start with its parent6 {row['parent6']!r}"
    return None


def _roles(row: dict[str, str]) -> str | None:
    roles = row["roles"].split("|")
    unknown = sorted(set(roles) - OFFICE_ROLES)
    if unknown or "" in roles:
        return f"unknown office role(s) {unknown or ['']}; allowed: {sorted(OFFICE_ROLES)}"
    return None


def _procedure_shape(row: dict[str, str]) -> str | None:
    size = {"requested_previous": 4, "procedure": 2, "additional": 3}.get(row["kind"])
    if size is None:
        return f"kind must be one of {sorted(PROCEDURE_KINDS)}"
    if len(row["code"]) != size:
        return f"a {row['kind']} code has {size} characters: {row['code']!r}"
    return None


def _category(row: dict[str, str]) -> str | None:
    if row["category"] not in DOCUMENT_CATEGORIES:
        return f"category must be one of {sorted(DOCUMENT_CATEGORIES)}"
    return None


def _positive_rate(row: dict[str, str]) -> str | None:
    return None if float(row["rate_to_eur"]) > 0 else "rate_to_eur must be greater than 0"


def _representation(row: dict[str, str]) -> str | None:
    if row["kind"] not in REPRESENTATION_KINDS:
        return f"kind must be one of {sorted(REPRESENTATION_KINDS)}"
    if row["agent_id"] == row["principal_id"]:
        return "a trader does not represent itself"
    scope = row["scope"].split("|")
    if row["scope"] != "*" and (set(scope) - DECLARATION_TYPES or len(set(scope)) < len(scope)):
        return f"scope is '*' or declaration types from {sorted(DECLARATION_TYPES)} joined by |"
    return None


_LIST_DEFS = (
    ListDef("countries", "countries.csv", ("code", "name"), {"code": r"[A-Z]{2}"}),
    ListDef("currencies", "currencies.csv", ("code", "name", "minor_units"),
            {"code": r"[A-Z]{3}", "minor_units": r"[0-9]"}, frozenset({"minor_units"})),
    ListDef("exchange_rates", "exchange_rates.csv", ("currency", "rate_to_eur"),
            {"currency": r"[A-Z]{3}", "rate_to_eur": r"[0-9]+(\.[0-9]+)?"},
            checks=(_positive_rate,)),
    ListDef("hs_codes", "hs_codes.csv", ("code", "level", "parent", "description"),
            {"code": r"[0-9]{2}|[0-9]{4}|[0-9]{6}", "level": r"[246]", "parent": r"[0-9]*"},
            frozenset({"parent"}), (_hs_shape,)),
    ListDef("hs_national", "hs_national.csv", ("code", "parent6", "description"),
            {"code": r"[0-9]{8}|[0-9]{10}", "parent6": r"[0-9]{6}"}, checks=(_national_parent,)),
    ListDef("offices", "offices.csv", ("code", "name", "country", "roles"),
            {"code": r"[A-Z]{2}[A-Z0-9]{6}", "country": r"[A-Z]{2}"}, checks=(_roles,)),
    ListDef("procedures", "procedures.csv", ("code", "kind", "description"),
            {"code": r"[A-Z0-9]{2,4}"}, checks=(_procedure_shape,)),
    ListDef("transport_modes", "transport_modes.csv", ("code", "description"),
            {"code": r"[0-9]"}),
    ListDef("package_kinds", "package_kinds.csv", ("code", "description"),
            {"code": r"[A-Z0-9]{2}"}),
    ListDef("document_codes", "document_codes.csv", ("code", "category", "description"),
            {"code": r"[A-Z0-9]{2,4}"}, checks=(_category,)),
    ListDef("traders", "traders.csv", ("id", "name", "street", "city", "postcode", "country"),
            {"id": r"[A-Z]{2}[A-Z0-9]{1,15}", "country": r"[A-Z]{2}"},
            frozenset({"street", "city", "postcode"})),
    ListDef("aeo_authorisations", "aeo_authorisations.csv", ("trader_id", "type", "reference"),
            {"trader_id": r"[A-Z]{2}[A-Z0-9]{1,15}", "type": r"AEO[CSF]"}),
    ListDef("representations", "representations.csv",
            ("agent_id", "principal_id", "kind", "scope"),
            {"agent_id": r"[A-Z]{2}[A-Z0-9]{1,15}", "principal_id": r"[A-Z]{2}[A-Z0-9]{1,15}"},
            checks=(_representation,)),
)
LISTS: dict[str, ListDef] = {d.name: d for d in _LIST_DEFS}


def parse_date(value: str) -> date | None:
    """An ISO date `YYYY-MM-DD`, or None for an empty cell; ValueError otherwise."""
    if value == "":
        return None
    if not _DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)")
    return date.fromisoformat(value)


def _records(name: str, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True)
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if not cells or all(c.strip() == "" for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
            else:
                records.append((reader.line_num, [c.strip() for c in cells]))
    except csv.Error as exc:
        raise RefDataError(name, reader.line_num, f"unreadable CSV: {exc}") from exc
    if header is None:
        raise RefDataError(name, 0, "the file is empty (no header row)")
    return header, records


def read_list_numbered(name: str, text: str) -> list[tuple[int, dict[str, str]]]:
    """Like `read_list`, each row paired with its line number in the file (header = 1)."""
    definition = LISTS.get(name)
    if definition is None:
        raise RefDataError(name, 0, f"unknown reference list; known: {sorted(LISTS)}")
    header, records = _records(name, text)
    # Counter, not header.count() per column: that was quadratic (a million columns hung).
    duplicates = sorted(c for c, n in Counter(header).items() if n > 1)
    if duplicates:
        raise RefDataError(name, 1, f"duplicate column(s) {duplicates}")
    missing = [c for c in (*definition.columns, *VALIDITY) if c not in header]
    if missing:
        raise RefDataError(name, 1, f"missing column(s) {missing}; header is {header}")
    rows = []
    for line, cells in records:
        if len(cells) != len(header):
            raise RefDataError(name, line, f"{len(cells)} fields, the header has {len(header)}")
        row = dict(zip(header, cells, strict=True))
        _check_row(definition, line, row)
        rows.append((line, row))
    return rows


def _check_row(definition: ListDef, line: int, row: dict[str, str]) -> None:
    def fail(message: str) -> RefDataError:
        return RefDataError(definition.name, line, message)

    for column in definition.columns:
        value = row[column]
        if value == "" and column not in definition.may_be_empty:
            raise fail(f"{column} is empty")
        pattern = definition.formats.get(column)
        if value and pattern and not re.fullmatch(pattern, value):
            raise fail(f"{column} {value!r} does not match {pattern}")
    try:
        start, end = parse_date(row["valid_from"]), parse_date(row["valid_to"])
    except ValueError as exc:
        raise fail(str(exc)) from exc
    if start and end and end < start:
        raise fail(f"valid_to {end} is before valid_from {start}")
    for check in definition.checks:
        message = check(row)
        if message:
            raise fail(message)


def read_list(name: str, text: str) -> list[dict[str, str]]:
    """Parse and check one list's CSV text; raises RefDataError(list, row, message)."""
    return [row for _, row in read_list_numbered(name, text)]


def package_dir() -> Path:
    """The directory of the reference data shipped with the package."""
    return Path(__file__).resolve().parent / "data"


def read_directory(path: Path) -> dict[str, str]:
    """List name -> file text for the lists whose file is in `path` (a subset is fine)."""
    texts = {}
    for definition in _LIST_DEFS:
        file = path / definition.filename
        if file.is_file():
            texts[definition.name] = file.read_text(encoding="utf-8-sig")
    return texts


def read_manifest(text: str) -> list[dict[str, str]]:
    """The rows of a `manifest.csv` (list, file, version, source)."""
    header, records = _records("manifest", text)
    missing = [c for c in MANIFEST_COLUMNS if c not in header]
    if missing:
        raise RefDataError("manifest", 1, f"missing column(s) {missing}")
    rows = []
    for line, cells in records:
        if len(cells) != len(header):
            raise RefDataError("manifest", line, "wrong number of fields")
        row = dict(zip(header, cells, strict=True))
        if row["list"] not in LISTS:
            raise RefDataError("manifest", line, f"unknown list {row['list']!r}")
        rows.append(row)
    return rows


def read_versions(path: Path) -> dict[str, str]:
    """List name -> version from `path/manifest.csv`; empty when there is no manifest."""
    file = path / MANIFEST_FILE
    if not file.is_file():
        return {}
    return {row["list"]: row["version"] for row in read_manifest(file.read_text("utf-8-sig"))}
