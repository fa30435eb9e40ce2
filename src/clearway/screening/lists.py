"""Restricted-party list loaders: the OFAC SDN CSV and a simple generic CSV.

OFAC `sdn.csv`: no header, 12 fields (`ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks`), `-0-` for empty. Aliases
("a.k.a. 'X'", "f.k.a. 'Y'") and countries (nationality, citizen, place of birth, country in
parentheses after an identifier, vessel flag) are parsed out of Remarks.

Generic CSV (national, EU, UN lists an administration loads), UTF-8 with a header:
`list_id,entry_id,name,aliases,kind,countries,programs[,remarks]`; `aliases`, `countries` and
`programs` are `|`-separated; `kind` is individual/entity/vessel/aircraft (empty = entity).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from clearway.errors import shown
from clearway.screening.model import KINDS, ListEntry, ListFormatError

OFAC_FIELDS = 12
GENERIC_COLUMNS = ("list_id", "entry_id", "name", "aliases", "kind", "countries", "programs")

_ALIAS = re.compile(r"\b[af]\.k\.a\.,?\s*'(.+?)'(?=\s*(?:[;.,]|$))")
_COUNTRY_PATTERNS = (
    re.compile(r"\b(?:nationality|citizen) ([^;.()]+)"),
    re.compile(r"\bPOB [^;]*?([^,;]+?)\s*(?:;|\.$|$)"),
    re.compile(r"(?:No\.|Number|Passport|ID) [^;()]*\(([A-Z][^();]+)\)"),
)
_COUNTRY_ALIASES = {
    "russia": "RU", "burma": "MM", "korea, north": "KP", "korea, south": "KR", "turkey": "TR",
    "democratic people's republic of korea": "KP", "congo, democratic republic of the": "CD",
    "congo, republic of the": "CG", "macedonia": "MK", "north macedonia, the republic of": "MK",
    "kosovo": "XK", "palestinian": "PS", "west bank": "PS", "gaza": "PS", "iran": "IR",
    "st. vincent and the grenadines": "VC", "cote d ivoire": "CI", "laos": "LA", "syria": "SY",
    "taiwan": "TW", "vietnam": "VN", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "moldova": "MD", "czechia": "CZ", "uk": "GB", "usa": "US", "united states": "US",
}


@lru_cache(maxsize=4096)
def country_code(value: str) -> str:
    """ISO 3166 alpha-2 for a code or an English country name; the upper-cased input if unknown."""
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    alias = _COUNTRY_ALIASES.get(text.casefold())
    if alias:
        return alias
    import pycountry  # lazy: only loaders and country queries need it

    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return text.upper()


def _ofac_value(value: str) -> str:
    value = value.strip()
    return "" if value == "-0-" else value


def ofac_countries(remarks: str, flag: str = "") -> tuple[str, ...]:
    found: list[str] = []
    for pattern in _COUNTRY_PATTERNS:
        found.extend(m.group(1).strip() for m in pattern.finditer(remarks))
    if flag:
        found.append(flag)
    codes = (country_code(f) for f in found if 2 <= len(f) <= 60)
    return tuple(dict.fromkeys(c for c in codes if len(c) == 2))


def ofac_aliases(remarks: str, name: str = "") -> tuple[str, ...]:
    aliases = (m.group(1).strip() for m in _ALIAS.finditer(remarks))
    return tuple(dict.fromkeys(a for a in aliases if a and a != name))


def parse_ofac_sdn(lines: Iterable[str], *, list_id: str = "OFAC SDN",
                   source: str = "sdn.csv") -> Iterator[ListEntry]:
    """Entries of an OFAC SDN CSV (no header; a trailing EOF control character is ignored)."""
    for row_no, row in enumerate(csv.reader(lines), start=1):
        if not row or (len(row) == 1 and row[0].strip("\x1a \r\n") == ""):
            continue
        if len(row) != OFAC_FIELDS:
            raise ListFormatError(source, row_no, f"expected {OFAC_FIELDS} fields, got {len(row)}")
        ent_num, name = row[0].strip(), _ofac_value(row[1])
        if not ent_num or not name:
            raise ListFormatError(source, row_no, "ent_num and SDN_Name are required")
        sdn_type = _ofac_value(row[2]).lower()
        kind = sdn_type if sdn_type in KINDS else "entity"
        programs = tuple(p.strip("[] ") for p in _ofac_value(row[3]).split("] [") if p.strip())
        remarks = _ofac_value(row[11])
        yield ListEntry(list_id=list_id, entry_id=ent_num, name=name,
                        aliases=ofac_aliases(remarks, name), kind=kind,
                        countries=ofac_countries(remarks, _ofac_value(row[9])),
                        programs=programs, remarks=remarks)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def parse_generic(lines: Iterable[str], *, source: str = "list.csv",
                  default_list_id: str = "") -> Iterator[ListEntry]:
    """Entries of a generic CSV list (header required, see the module docstring)."""
    reader = csv.DictReader(lines)
    missing = [c for c in GENERIC_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ListFormatError(source, 1, f"missing column(s): {', '.join(missing)}")
    seen: set[tuple[str, str]] = set()
    for row_no, row in enumerate(reader, start=2):
        list_id = (row["list_id"] or "").strip() or default_list_id
        entry_id, name = (row["entry_id"] or "").strip(), (row["name"] or "").strip()
        kind = (row["kind"] or "").strip().lower() or "entity"
        if not list_id or not entry_id or not name:
            raise ListFormatError(source, row_no, "list_id, entry_id and name are required")
        if kind not in KINDS:
            raise ListFormatError(source, row_no, f"kind {shown(kind)} is not one of {KINDS}")
        if (list_id, entry_id) in seen:
            raise ListFormatError(source, row_no, f"duplicate entry {list_id} {entry_id}")
        seen.add((list_id, entry_id))
        yield ListEntry(list_id=list_id, entry_id=entry_id, name=name,
                        aliases=_split(row["aliases"]), kind=kind,
                        countries=tuple(country_code(c) for c in _split(row["countries"])),
                        programs=_split(row["programs"]),
                        remarks=(row.get("remarks") or "").strip())


def _read(path: Path) -> io.StringIO:
    try:
        return io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")
    except UnicodeDecodeError as exc:
        raise ListFormatError(str(path), 0, f"not UTF-8: {exc}") from exc


def load_ofac_sdn(path: str | Path, *, list_id: str = "OFAC SDN") -> list[ListEntry]:
    path = Path(path)
    return list(parse_ofac_sdn(_read(path), list_id=list_id, source=path.name))


def load_generic(path: str | Path, *, default_list_id: str = "") -> list[ListEntry]:
    path = Path(path)
    return list(parse_generic(_read(path), source=path.name, default_list_id=default_list_id))
