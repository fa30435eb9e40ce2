"""Integrated border management: crossing points, the shared watch lists and their alerts, as
plain objects, with the rules of who sees what and how values are compared.

Services: "customs" (every customs role), "border_police", or an agency's code ("PH", "VET").
An entry is seen by its owner service and the services it is shared with; an alert by the
services of the entry that raised it. Person entries (and their alerts) are seen only by the
roles in PERSON_ROLES: agencies never see one, and an entry of a person is never shared with
an agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from clearway.errors import ClearwayError
from clearway.identity import AGENCIES, STAFF, Role, User

CUSTOMS = "customs"
BORDER_POLICE = "border_police"
OUR_SERVICES = (CUSTOMS, BORDER_POLICE)
# Customs staff who work risk and the booth, and the border police: they may see persons.
PERSON_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.RISK_ANALYST,
                          Role.SECURITY_OFFICER, Role.BORDER_POLICE})
AGENCY_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
DIRECTIONS = ("entry", "exit")
MODES = ("road", "rail", "sea", "air", "inland_waterway", "pedestrian")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


class WatchKind(StrEnum):
    VEHICLE = "vehicle"      # a registration plate (a lorry, a trailer)
    CONTAINER = "container"  # an ISO 6346 container number
    COMPANY = "company"      # an EORI number or a company name
    PERSON = "person"        # a keyed pseudonym, never a name


def invalid(code: str, message: str) -> ClearwayError:
    return ClearwayError(code=code, message=message)


def plate_or_unit(value: str | None) -> str:
    """Plates and container numbers as compared: upper case, letters and digits only."""
    return _NOT_ALNUM.sub("", (value or "").upper())


def eori(value: str | None) -> str:
    return plate_or_unit(value)


def service_of(user: User) -> str | None:
    """The service a user acts for (None: a role with no place at the border)."""
    if user.role == Role.BORDER_POLICE:
        return BORDER_POLICE
    if user.role in AGENCIES:
        return user.agency_code
    return CUSTOMS if user.role in STAFF else None


def sees_persons(user: User) -> bool:
    return user.role in PERSON_ROLES


def valid_service(code: str) -> bool:
    return code in OUR_SERVICES or AGENCY_CODE.match(code) is not None


def is_agency(service: str) -> bool:
    return service not in OUR_SERVICES


@dataclass(frozen=True)
class CrossingPoint:
    code: str
    name: str
    office: str
    neighbour: str
    modes: tuple[str, ...]
    agencies: tuple[str, ...]
    active: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "office": self.office,
                "neighbour": self.neighbour, "modes": list(self.modes),
                "agencies": list(self.agencies), "active": self.active}


@dataclass(frozen=True)
class WatchEntry:
    id: int
    kind: WatchKind
    shown: str          # what officers read: the plate, number, EORI/name, or a pseudonym
    reason: str
    owner: str
    shared_with: tuple[str, ...]
    valid_from: date
    valid_to: date | None
    created_by: str
    created_at: datetime
    ended_at: datetime | None = None
    ended_by: str | None = None
    end_reason: str | None = None

    @property
    def services(self) -> frozenset[str]:
        return frozenset({self.owner, *self.shared_with})

    def valid_on(self, day: date) -> bool:
        return (self.ended_at is None and self.valid_from <= day
                and (self.valid_to is None or day <= self.valid_to))

    def visible_to(self, user: User) -> bool:
        return visible(user, self.kind, self.services)


def visible(user: User, kind: WatchKind | str, services: frozenset[str]) -> bool:
    """Whether `user` may see an entry or alert of `kind` concerning `services`."""
    if kind == WatchKind.PERSON and not sees_persons(user):
        return False
    return service_of(user) in services


@dataclass(frozen=True)
class Target:
    """One value of a booth record, declaration or ENS compared with the watch lists:
    `key` normalised for its `facet` (plate, container, eori, name, person), `field` where it
    stands ("vehicle", "trailer", "containers", "consignee"...)."""

    facet: str
    key: str
    field: str
    shown: str


@dataclass(frozen=True)
class Alert:
    id: int
    entry_id: int
    kind: WatchKind
    matched: str
    field: str
    object_type: str    # crossing / declaration / ens
    object_ref: str     # the booth record's id, or the MRN
    reason: str         # the entry's reason, as it stood when the alert was raised
    services: frozenset[str]
    raised_at: datetime
    status: str = "open"
    closed_at: datetime | None = None
    closed_by: str | None = None
    close_reason: str | None = None

    def visible_to(self, user: User) -> bool:
        return visible(user, self.kind, self.services)


@dataclass(frozen=True)
class Booth:
    """What the booth records beyond the vehicle, containers and seals (docs/border.md).
    `driver` is the person's keyed pseudonym once resolved (`border.booth.resolve`)."""

    point: str | None = None
    direction: str = "entry"
    trailer: str | None = None
    driver: str | None = None
    declarations: tuple[str, ...] = ()
    ens: tuple[str, ...] = ()
