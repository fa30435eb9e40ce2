"""An administrator's import of licences from a CSV file, for any agency (`clearway licences
import FILE`). One row per licence line; rows with the same type and number make one licence
(its other columns are taken from its first row). Columns:

    type,number,holder,agency,valid_from,valid_to,countries,end_user,single_use,
    hs_prefix,description,quantity,unit,value,currency

`countries`: ISO codes separated by spaces or semicolons (empty: any); `single_use`: yes/no.
The whole file is checked first and imported in one unit of work, or not at all; a licence
already in the register is left as it is and reported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from clearway.context import Context
from clearway.errors import DocumentInvalid, Issue
from clearway.licences import repository as repo
from clearway.licences.schemas import LicenceIn
from clearway.licences.service import register_in

COLUMNS = ("type", "number", "holder", "agency", "valid_from", "valid_to", "countries",
           "end_user", "single_use", "hs_prefix", "description", "quantity", "unit", "value",
           "currency")
LINE_COLUMNS = ("hs_prefix", "description", "quantity", "unit", "value", "currency")


@dataclass
class Imported:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def _blank(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def parse(text: str) -> list[tuple[str, LicenceIn]]:
    """(agency, licence) per licence of the file, or DocumentInvalid listing every issue."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DocumentInvalid([Issue("CW-LIC-FILE", f"missing columns: {', '.join(missing)}",
                                     pointer="/0")])
    grouped: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for n, raw in enumerate(reader, 2):
        key = ((raw.get("type") or "").strip(), (raw.get("number") or "").strip())
        line = {c: _blank(raw.get(c)) for c in LINE_COLUMNS}
        if key not in grouped:
            head: dict[str, Any] = {c: _blank(raw.get(c)) for c in COLUMNS
                                    if c not in LINE_COLUMNS}
            head["countries"] = (head["countries"] or "").replace(";", " ").split()
            head["single_use"] = (head["single_use"] or "no").lower() in ("yes", "true", "1")
            grouped[key] = (n, {**head, "lines": []})
        grouped[key][1]["lines"].append(line)
    found, issues = [], []
    for n, data in grouped.values():
        agency = data.pop("agency") or ""
        try:
            found.append((agency, LicenceIn.model_validate(data)))
        except ValidationError as exc:
            issues += [Issue("CW-LIC-FIELD", f"row {n}: {'.'.join(map(str, e['loc']))}: "
                             f"{e['msg']}", pointer=f"/{n}") for e in exc.errors()]
        if not agency.strip():
            issues.append(Issue("CW-LIC-FIELD", f"row {n}: agency is required",
                                pointer=f"/{n}"))
    if issues:
        raise DocumentInvalid(issues, "The licence file has errors; nothing was imported")
    return found


def import_text(ctx: Context, text: str, actor: str) -> Imported:
    licences = parse(text)
    done = Imported()
    now = ctx.clock.now()
    with ctx.uow() as uow:
        for agency, lic in licences:
            name = f"{lic.type} {lic.number}"
            if repo.find(uow.session, lic.type, lic.number) is not None:
                done.existing.append(name)
                continue
            register_in(uow.session, lic, agency.strip(), now=now, actor=actor)
            done.created.append(name)
        uow.commit()
    return done
