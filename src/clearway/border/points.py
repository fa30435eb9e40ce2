"""Border crossing points: the packaged list (data/crossing_points.csv, the demo's points of
every administration of the region, of which an installation loads its own) and the checks an
administrator's edit passes. Agencies are plain codes here ("PH", "VET", "BP"): the agencies
room names them, this one only records who stands at the crossing."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from importlib import resources

from clearway.border.model import AGENCY_CODE, MODES, CrossingPoint, invalid
from clearway.refdata.model import RefDataSnapshot

PACKAGED = "crossing_points.csv"
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def packaged() -> list[CrossingPoint]:
    text = (resources.files("clearway.border") / "data" / PACKAGED).read_text(encoding="utf-8")
    return [CrossingPoint(code=r["code"], name=r["name"], office=r["office"],
                          neighbour=r["neighbour"], modes=tuple(sorted(r["modes"].split("|"))),
                          agencies=tuple(sorted(a for a in r["agencies"].split("|") if a)))
            for r in csv.DictReader(io.StringIO(text))]


def checked(point: CrossingPoint, reference: RefDataSnapshot, country: str,
            day: date) -> CrossingPoint:
    """`point` as stored (codes upper case), or CW-BORDER-POINT saying what is wrong."""
    code, office = point.code.strip().upper(), point.office.strip().upper()
    neighbour = point.neighbour.strip().upper()
    agencies = tuple(sorted({a.strip().upper() for a in point.agencies if a.strip()}))
    modes = tuple(sorted({m.strip().lower() for m in point.modes if m.strip()}))
    found = reference.office(office, day)
    problem = (
        "the code is 2 to 20 letters, digits or dashes" if not _CODE.match(code) else
        "the name is 1 to 120 characters" if not 0 < len(point.name.strip()) <= 120 else
        f"the office {office!r} is not an office of {country}"
        if found is None or found.country != country else
        "the neighbouring country is another country's two-letter code"
        if not _COUNTRY.match(neighbour) or neighbour == country else
        f"the modes are one or more of {', '.join(MODES)}"
        if not modes or not set(modes) <= set(MODES) else
        "an agency is a code of 2 to 10 letters and digits"
        if len(agencies) > 20 or not all(AGENCY_CODE.match(a) for a in agencies) else None)
    if problem:
        raise invalid("CW-BORDER-POINT", f"Crossing point {code or '?'}: {problem}")
    return CrossingPoint(code=code, name=point.name.strip(), office=office,
                         neighbour=neighbour, modes=modes, agencies=agencies,
                         active=point.active)
