"""Regenerate the generated reference lists in src/clearway/refdata/data/.

    uv run python scripts/build_refdata.py [--hs PATH] [--out DIR]

Writes countries.csv and currencies.csv (from pycountry), hs_codes.csv (from the HS 2022
nomenclature file) and exchange_rates.csv (illustrative monthly rates, deterministic), then
updates those lists' rows in manifest.csv. Re-running gives the same files for the same inputs.
The other lists are curated by hand.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import io
import math
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "clearway" / "refdata" / "data"
HS_FILE = Path("/work/shared/data/hs2022/harmonized-system.csv")
HS_VALID_FROM = "2022-01-01"

# Codes the EU uses that ISO 3166-1 does not assign (XK: user-assigned, used for Kosovo).
EXTRA_COUNTRIES = {"XK": "Kosovo"}
# ISO 4217 minor units: 2 unless listed here; None = not applicable (metals, funds, testing).
_UNITS: tuple[tuple[int | None, str], ...] = (
    (0, "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"),
    (3, "BHD IQD JOD KWD LYD OMR TND"),
    (4, "CLF UYW"),
    (None, "XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX"),
)
MINOR_UNITS: dict[str, int | None] = {code: units for units, codes in _UNITS
                                      for code in codes.split()}
# Withdrawn currencies kept so declarations from before the change still validate.
WITHDRAWN = {
    "HRK": ("Kuna", 2, "2022-12-31"),  # Croatia adopted the euro on 2023-01-01
    "BGN": ("Bulgarian Lev", 2, "2025-12-31"),  # Bulgaria adopted the euro on 2026-01-01
}
# Illustrative units per EUR at each January 2020..2027 (roughly ECB annual levels).
RATE_ANCHORS: dict[str, tuple[float, ...]] = {
    "USD": (1.12, 1.22, 1.13, 1.07, 1.09, 1.04, 1.17, 1.16),
    "GBP": (0.85, 0.89, 0.84, 0.88, 0.86, 0.83, 0.87, 0.87),
    "CHF": (1.08, 1.08, 1.04, 0.99, 0.93, 0.94, 0.93, 0.93),
    "JPY": (121.0, 126.3, 130.0, 140.5, 159.0, 162.0, 172.0, 170.0),
    "CNY": (7.75, 7.91, 7.19, 7.29, 7.85, 7.58, 8.20, 8.15),
    "TRY": (6.65, 9.05, 15.15, 20.17, 32.64, 36.80, 49.50, 56.00),
    "RSD": (117.6, 117.6, 117.5, 117.3, 117.1, 117.1, 117.2, 117.2),
    "MKD": (61.6, 61.6, 61.6, 61.6, 61.5, 61.5, 61.6, 61.6),
    "ALL": (121.9, 123.6, 121.3, 114.0, 103.6, 98.4, 96.5, 97.0),
    "BAM": (1.95583,) * 8,
    "RUB": (69.0, 91.5, 85.0, 77.0, 99.0, 107.0, 95.0, 95.0),
    "UAH": (26.6, 34.5, 31.0, 40.0, 41.5, 43.5, 48.0, 48.5),
    "KRW": (1300.0, 1330.0, 1350.0, 1340.0, 1440.0, 1520.0, 1640.0, 1650.0),
    "INR": (80.3, 89.3, 84.0, 88.5, 90.4, 89.0, 100.5, 101.0),
    "HRK": (7.44, 7.56, 7.53),
    "BGN": (1.95583,) * 6,
    "RON": (4.78, 4.87, 4.94, 4.93, 4.97, 4.97, 5.09, 5.10),
    "HUF": (333.0, 358.0, 365.0, 400.0, 385.0, 412.0, 390.0, 395.0),
    "PLN": (4.25, 4.53, 4.58, 4.65, 4.37, 4.27, 4.24, 4.25),
    "CZK": (25.2, 26.2, 24.4, 24.1, 24.7, 25.1, 24.3, 24.5),
    "SEK": (10.5, 10.1, 10.3, 11.2, 11.4, 11.5, 10.9, 10.9),
    "NOK": (9.86, 10.5, 10.0, 10.7, 11.4, 11.8, 11.7, 11.6),
    "DKK": (7.472, 7.438, 7.441, 7.438, 7.456, 7.459, 7.468, 7.46),
    "CAD": (1.46, 1.56, 1.44, 1.44, 1.46, 1.49, 1.61, 1.60),
    "AUD": (1.62, 1.59, 1.58, 1.51, 1.65, 1.67, 1.75, 1.76),
}
PEGGED = {"BAM", "BGN", "DKK"}
MANIFEST_ORDER = ("countries", "currencies", "exchange_rates", "hs_codes", "hs_national", "offices",
                  "procedures", "transport_modes", "package_kinds", "document_codes", "traders",
                  "aeo_authorisations")
RATE_YEARS = range(2020, 2028)


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> int:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    path.write_text(out.getvalue(), encoding="utf-8")
    return count


def country_rows() -> list[dict[str, str]]:
    names = {c.alpha_2: c.name for c in pycountry.countries}
    names.update(EXTRA_COUNTRIES)
    return [{"code": code, "name": names[code], "valid_from": "", "valid_to": ""}
            for code in sorted(names)]


def currency_rows() -> list[dict[str, str]]:
    rows = {}
    for c in pycountry.currencies:
        units = MINOR_UNITS.get(c.alpha_3, 2)
        rows[c.alpha_3] = {"code": c.alpha_3, "name": c.name,
                           "minor_units": "" if units is None else str(units),
                           "valid_from": "", "valid_to": ""}
    for code, (name, units, valid_to) in WITHDRAWN.items():
        rows[code] = {"code": code, "name": name, "minor_units": str(units),
                      "valid_from": "", "valid_to": valid_to}
    return [rows[code] for code in sorted(rows)]


def clean_hs(records: Sequence[dict[str, str]]) -> tuple[list[dict[str, str]], list[str]]:
    """Upstream HS rows -> hs_codes rows, with a note for every row fixed or skipped.

    Upstream quirks handled: the `TOTAL` pseudo-row, codes whose digit count differs from
    their level (an 8-digit code tagged level 6 is cut to its HS6 when that HS6 is not listed
    on its own, otherwise skipped), parents that are not the code's prefix, duplicates.
    """
    notes: list[str] = []
    listed = {r["hscode"].strip() for r in records}
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for r in records:
        code, level = r["hscode"].strip(), r["level"].strip()
        if level not in ("2", "4", "6") or not (code.isascii() and code.isdigit()):
            notes.append(f"skipped {code!r} (level {level}): not an HS chapter/heading/subheading")
            continue
        if len(code) != int(level):
            if level == "6" and len(code) == 8 and code[:6] not in listed:
                notes.append(f"fixed {code!r} (level 6, 8 digits) -> {code[:6]!r}")
                code = code[:6]
            else:
                notes.append(f"skipped {code!r}: {len(code)} digits but level {level}")
                continue
        parent = code[:-2]
        if parent and parent not in listed:
            notes.append(f"skipped {code!r}: its parent {parent!r} is not listed")
            continue
        if r["parent"].strip() not in (parent, "TOTAL"):
            notes.append(f"fixed parent of {code!r}: {r['parent']!r} -> {parent!r}")
        if code in seen:
            notes.append(f"skipped duplicate {code!r}")
            continue
        seen.add(code)
        rows.append({"code": code, "level": level, "parent": parent,
                     "description": " ".join(r["description"].split()),
                     "valid_from": HS_VALID_FROM, "valid_to": ""})
    return rows, notes


def hs_rows(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return clean_hs(list(csv.DictReader(f)))


def _month_end(year: int, month: int) -> str:
    days = (31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return f"{year}-{month:02d}-{days[month - 1]:02d}"


def _plain(value: Decimal) -> str:
    text = format(value.quantize(Decimal("1E-10")), "f")
    return text.rstrip("0").rstrip(".")


def exchange_rate_rows() -> list[dict[str, str]]:
    """Monthly illustrative rates: EUR value of one unit, interpolated between anchors."""
    rows = [{"currency": "EUR", "rate_to_eur": "1", "valid_from": "", "valid_to": ""}]
    for code in sorted(RATE_ANCHORS):
        anchors = RATE_ANCHORS[code]
        phase = sum(map(ord, code)) % 7
        for y, year in enumerate(RATE_YEARS[: len(anchors)]):
            for month in range(1, 13):
                nxt = anchors[y + 1] if y + 1 < len(anchors) else anchors[y]
                units = anchors[y] + (nxt - anchors[y]) * (month - 1) / 12
                if code not in PEGGED:
                    units *= 1 + 0.006 * math.sin((y * 12 + month) * 1.7 + phase)
                rate = Decimal(1) / Decimal(repr(units))
                rows.append({"currency": code, "rate_to_eur": _plain(rate),
                             "valid_from": f"{year}-{month:02d}-01",
                             "valid_to": _month_end(year, month)})
    return rows


def update_manifest(path: Path, entries: dict[str, tuple[str, str, str]]) -> None:
    """Replace the manifest rows of `entries` (list -> file, version, source), keep others."""
    rows: dict[str, dict[str, str]] = {}
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as f:
            rows = {r["list"]: r for r in csv.DictReader(f)}
    for name, (file, version, source) in entries.items():
        rows[name] = {"list": name, "file": file, "version": version, "source": source}
    order = {name: i for i, name in enumerate(MANIFEST_ORDER)}
    ordered = sorted(rows.values(), key=lambda r: (order.get(r["list"], len(order)), r["list"]))
    write_csv(path, ("list", "file", "version", "source"), ordered)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hs", type=Path, default=HS_FILE, help="harmonized-system.csv")
    parser.add_argument("--out", type=Path, default=DATA, help="output directory")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    pyc = importlib.metadata.version("pycountry")
    validity = ("valid_from", "valid_to")
    n = write_csv(out / "countries.csv", ("code", "name", *validity), country_rows())
    print(f"countries.csv: {n} rows")
    n = write_csv(out / "currencies.csv", ("code", "name", "minor_units", *validity),
                  currency_rows())
    print(f"currencies.csv: {n} rows")
    rows, notes = hs_rows(args.hs)
    for note in notes:
        print(f"  hs: {note}")
    n = write_csv(out / "hs_codes.csv", ("code", "level", "parent", "description", *validity),
                  rows)
    print(f"hs_codes.csv: {n} rows ({len(notes)} notes)")
    n = write_csv(out / "exchange_rates.csv", ("currency", "rate_to_eur", *validity),
                  exchange_rate_rows())
    print(f"exchange_rates.csv: {n} rows")
    update_manifest(out / "manifest.csv", {
        "countries": ("countries.csv", f"pycountry-{pyc}",
                      f"pycountry {pyc} (ISO 3166-1 alpha-2) plus XK Kosovo"),
        "currencies": ("currencies.csv", f"pycountry-{pyc}",
                       f"pycountry {pyc} (ISO 4217) plus withdrawn HRK and BGN"),
        "hs_codes": ("hs_codes.csv", "HS2022-905e5a0f",
                     "WCO HS 2022 via datasets/harmonized-system (PDDL 1.0)"),
        "exchange_rates": ("exchange_rates.csv", "2020-2027-illustrative",
                           "illustrative monthly rates; replace with official ones"),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
