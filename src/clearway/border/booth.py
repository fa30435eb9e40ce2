"""The booth record's border part, inside the booth's transaction (`prearrival.service.
record_crossing`): the crossing point and direction checked, the driver turned into a keyed
pseudonym, the declarations and ENS presented linked by MRN, and the watch lists checked
against the vehicle, trailer, containers and driver."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from clearway.border import people
from clearway.border import repository as repo
from clearway.border.model import DIRECTIONS, Alert, Booth, Target, invalid, plate_or_unit
from clearway.border.watch import check, container_targets, plate_targets
from clearway.privacy.pseudonyms import Keyring
from clearway.storage.orm_prearrival import CrossingRow

MAX_DOCUMENTS = 20
_MRN = re.compile(r"^[0-9A-Z]{1,35}$")


@dataclass(frozen=True)
class Presented:
    """A booth's border part as given: the driver still as read off the document."""

    booth: Booth
    driver: people.Person | None = None


def resolve(session: Session, ring: Keyring, office: str | None, given: Presented,
            at: datetime) -> tuple[str, Booth]:
    """The booth's office (the point's, when only a point is given) and its border part as
    stored; coded refusals for a point not at the office, an unknown direction, a malformed
    trailer or MRN, or a driver with no border key."""
    booth = given.booth
    if booth.point is not None:
        point = repo.point(session, booth.point.strip().upper())
        if point is None or not point.active or (office is not None and point.office != office):
            raise invalid("CW-BORDER-POINT-NOT-FOUND", f"No active crossing point "
                          f"{booth.point[:20]!r}{f' at office {office}' if office else ''}")
        office = point.office
        booth = replace(booth, point=point.code)
    if office is None:
        raise invalid("CW-PRE-CROSSING", "The booth names its office or its crossing point")
    if booth.direction not in DIRECTIONS:
        raise invalid("CW-PRE-CROSSING", "The direction is entry or exit")
    trailer = plate_or_unit(booth.trailer) or None
    if trailer is not None and len(trailer) > 35:
        raise invalid("CW-PRE-CROSSING", "The trailer registration is up to 35 letters and digits")
    mrns = [m.strip().upper() for m in (*booth.declarations, *booth.ens)]
    if len(mrns) > MAX_DOCUMENTS or not all(_MRN.match(m) for m in mrns):
        raise invalid("CW-PRE-CROSSING", f"At most {MAX_DOCUMENTS} MRNs, each 1 to 35 letters "
                      "and digits")
    driver = None if given.driver is None else people.pseudonym_today(ring, given.driver,
                                                                       at.date())
    return office, replace(booth, trailer=trailer, driver=driver,
                           declarations=tuple(m.strip().upper() for m in booth.declarations),
                           ens=tuple(m.strip().upper() for m in booth.ens))


def recorded(session: Session, row: CrossingRow, booth: Booth) -> list[Alert]:
    """Store the border part on the booth record `row`, link its MRNs and check it against
    the watch lists; the alerts it raised."""
    row.point, row.direction, row.trailer, row.driver = (booth.point, booth.direction,
                                                         booth.trailer, booth.driver)
    repo.link_documents(session, row.id, [*((m, "declaration") for m in booth.declarations),
                                          *((m, "ens") for m in booth.ens)])
    targets: list[Target] = [
        *plate_targets([("vehicle", row.vehicle), ("trailer", row.trailer)]),
        *container_targets("containers", row.containers)]
    if row.driver:
        targets.append(Target("person", row.driver, "driver", row.driver))
    return check(session, targets, object_type="crossing", object_ref=str(row.id),
                 at=row.recorded_at)
