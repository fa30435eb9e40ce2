"""The dual-use control list: Annex I entries of Regulation (EU) 2021/821 with correlated codes.

An entry has its control number ("3A001": category 3, group A (systems and components), regime
digit 0 (Wassenaar), item 01; sub-items such as "5A002a.1" are allowed), a description, and the
HS/CN code prefixes that the correlation table links to it. The correlation is coarse: a code
covers listed and unlisted goods alike, which is why an export under a correlated code is a
reason to check, not proof of a listed item.

CSV format (UTF-8, one header row): `control_number,description,codes,valid_from,valid_to`,
`codes` separated by `|` (spaces and dots inside a code are ignored: "8542 31" = "854231"),
dates ISO or empty (open). `parse_csv` reads it or raises DocumentInvalid listing every issue.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from clearway.errors import DocumentInvalid, Issue, shown

CONTROL_NUMBER = re.compile(r"^\d[A-E]\d{3}[a-z0-9.]*$")
_CODE = re.compile(r"^\d{2,10}$")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
COLUMNS = ("control_number", "description", "codes", "valid_from", "valid_to")
MAX_ENTRIES = 20_000


@dataclass(frozen=True)
class DualUseEntry:
    control_number: str
    description: str
    codes: tuple[str, ...]
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, on: date) -> bool:
        return ((self.valid_from is None or self.valid_from <= on)
                and (self.valid_to is None or on <= self.valid_to))


def _date(value: str, line: int, column: str, issues: list[Issue]) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        issues.append(Issue("CW-DU-FILE",
                            f"{column} {shown(value)} is not an ISO date (YYYY-MM-DD)",
                            pointer=f"line {line}"))
        return None


def check_entry(entry: DualUseEntry, where: str) -> list[Issue]:
    issues = []
    if len(entry.control_number) > 16 or not CONTROL_NUMBER.match(entry.control_number):
        issues.append(Issue("CW-DU-CONTROL-NUMBER", f"{shown(entry.control_number)} is not an "
                            "Annex I control number such as 3A001 or 5A002a.1", pointer=where))
    if (not entry.description.strip() or len(entry.description) > 2000
            or _CONTROL_CHARS.search(entry.description)):
        issues.append(Issue("CW-DU-FILE", "the description must hold 1 to 2000 printable "
                            "characters",
                            pointer=where))
    if not entry.codes:
        issues.append(Issue("CW-DU-CODE", "give at least one correlated HS/CN code",
                            pointer=where))
    issues += [Issue("CW-DU-CODE", f"{shown(code)} is not an HS/CN code prefix of 2 to 10 digits",
                     pointer=where) for code in entry.codes if not _CODE.match(code)]
    if entry.valid_from and entry.valid_to and entry.valid_to < entry.valid_from:
        issues.append(Issue("CW-DU-FILE", "valid_to is before valid_from", pointer=where))
    return issues


def parse_csv(text: str) -> list[DualUseEntry]:
    """Every entry of a dual-use CSV, or DocumentInvalid naming each bad line."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        rows = [(n, row) for n, row in enumerate(reader, start=1) if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise DocumentInvalid([Issue("CW-DU-FILE", f"not readable as CSV: {exc}")]) from None
    if not rows:
        raise DocumentInvalid([Issue("CW-DU-FILE", "the file is empty")])
    header = [c.strip() for c in rows[0][1]]
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        raise DocumentInvalid([Issue("CW-DU-FILE", f"missing column(s): {', '.join(missing)}",
                                     pointer="line 1")])
    if len(rows) == 1:
        raise DocumentInvalid([Issue("CW-DU-FILE", "the list has no entries; a dual-use "
                                     "list is never empty", pointer="line 2")])
    if len(rows) > MAX_ENTRIES + 1:
        raise DocumentInvalid([Issue("CW-DU-FILE", f"more than {MAX_ENTRIES} entries")])
    issues: list[Issue] = []
    entries: list[DualUseEntry] = []
    seen: dict[str, int] = {}
    for line, row in rows[1:]:
        if len(row) != len(header):
            issues.append(Issue("CW-DU-FILE", f"{len(row)} fields where the header has "
                                f"{len(header)}", pointer=f"line {line}"))
            continue
        cell = dict(zip(header, (c.strip() for c in row), strict=True))
        codes = tuple(dict.fromkeys(re.sub(r"[ .]", "", c) for c in cell["codes"].split("|")
                                    if c.strip()))
        entry = DualUseEntry(cell["control_number"], cell["description"], codes,
                             _date(cell.get("valid_from", ""), line, "valid_from", issues),
                             _date(cell.get("valid_to", ""), line, "valid_to", issues))
        issues += check_entry(entry, f"line {line}")
        if entry.control_number in seen:
            issues.append(Issue("CW-DU-DUPLICATE", f"{entry.control_number} is already on "
                                f"line {seen[entry.control_number]}", pointer=f"line {line}"))
        seen.setdefault(entry.control_number, line)
        entries.append(entry)
    if issues:
        raise DocumentInvalid(issues, message="The dual-use list has errors")
    return entries
