"""Builders shared by the licence tests: a licence as an agency registers it, the agencies'
users, and declarations that declare a licence on their first item."""

from __future__ import annotations

import copy
import json
from typing import Any

from clearway.clearance import lodging
from clearway.clearance.filings import Outcome
from clearway.context import Context
from clearway.identity import Role, User
from clearway.licences import service
from clearway.licences.model import Licence
from clearway.licences.schemas import LicenceIn
from helpers import TRADER, import_doc

AGENCY = User(id=901, name="lic-agency", role=Role.AGENCY_OFFICER, trader_id="DUL")
OTHER_AGENCY = User(id=902, name="lic-vet", role=Role.AGENCY_OFFICER, trader_id="VET")
IMPORTER = User(id=903, name="lic-trader", role=Role.TRADER, trader_id=TRADER)
OFFICER = User(id=904, name="lic-officer", role=Role.OFFICER, trader_id=None)
# The listed end user of the dual-use case (an export of HS 8401, a nuclear reactor part).
LISTED_END_USER = {"id": "IR1234567", "name": "Nuclear end user",
                   "address": {"city": "Tehran", "country": "IR"}}


def licence_data(**changes: Any) -> dict[str, Any]:
    """An AGRIM import licence for the test trader's shavers (item 1 of `import_doc`)."""
    data: dict[str, Any] = {
        "type": "L001", "number": "IMP-1", "holder": TRADER, "valid_from": "2026-01-01",
        "valid_to": "2026-12-31", "countries": [], "single_use": False,
        "lines": [{"hs_prefix": "8510", "description": "Shavers", "quantity": "400",
                   "unit": "kg"}]}
    data.update(changes)
    return data


def register(ctx: Context, agency: User = AGENCY, **changes: Any) -> Licence:
    return service.register(ctx, LicenceIn.model_validate(licence_data(**changes)), agency)


def declaring(code: str = "L001", reference: str | None = "IMP-1", *, quantity: str | None = None,
              doc: dict[str, Any] | None = None, lrn: str | None = None,
              **item: Any) -> dict[str, Any]:
    """`doc` (an import by default) with the licence declared on its first item."""
    out = copy.deepcopy(doc) if doc is not None else import_doc()
    document: dict[str, Any] = {"code": code}
    if reference is not None:
        document["reference"] = reference
    if quantity is not None:
        document["quantity"] = quantity
    out["items"][0]["documents"] = [document]
    out["lrn"] = lrn or out["lrn"]
    out["items"][0].update(item)
    return out


def lodge(ctx: Context, doc: dict[str, Any], user: User = IMPORTER) -> Outcome:
    return lodging.submit(ctx, json.dumps(doc).encode(), "application/json", user)


def balance(ctx: Context, number: str = "IMP-1", user: User = AGENCY) -> tuple[Any, Any]:
    (lic,) = service.listing(ctx, user, number=number)
    return lic.lines[0].remaining_quantity, lic.lines[0].remaining_value


def licence_pair(client: Any, ctx: Context, agency_token: str) -> tuple[dict[str, str],
                                                                        dict[str, str]]:
    """The access tables' two licences, registered over HTTP: the first by the tables' own
    agency (held by TRADER), the second by another agency (held by OTHER_TRADER)."""
    from helpers import OTHER_TRADER, make_token

    other_agency = make_token(ctx, "m-agency-vet", "agency_officer", "VET")
    ids = []
    for token, number, holder in ((agency_token, "MATRIX-L1", TRADER),
                                  (other_agency, "MATRIX-L2", OTHER_TRADER)):
        made = client.post("/api/v1/licences", headers={"Authorization": f"Bearer {token}"},
                           json=licence_data(number=number, holder=holder))
        assert made.status_code == 201, made.text
        ids.append(str(made.json()["id"]))
    return {"key": ids[0]}, {"key": ids[1]}


def licence_terms(**changes: Any) -> dict[str, Any]:
    """What an amendment sends: the licence's terms without its type, number and holder."""
    return {k: v for k, v in licence_data(**changes).items()
            if k not in ("type", "number", "holder")}
