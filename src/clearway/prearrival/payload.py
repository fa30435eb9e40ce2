"""The anticipated arrival as it crosses the border (message type "anticipated-arrival",
purpose "risk-analysis", payload version 1): what the exit administration announces, and all
the receiving one reads. Companies travel by EORI; a natural person only as a keyed pseudonym
(`privacy.pseudonyms`), never by name.

The agreement may strip any top-level field but `mrn`, `exit_at`, `office_of_exit` and
`office_of_entry` (minimisation): the others read as absent, and matching compares only
what came.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from clearway.exchange.model import ExchangeRefused

ACTION = "anticipated-arrival"
PURPOSE = "risk-analysis"
_Code = Field(min_length=1, max_length=35)
_Text = Field(max_length=512)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PartyRef(_Strict):
    """A party named across the border: a company by its EORI, a natural person by a keyed
    pseudonym ("ps1:<key id>:<hex>"); the country helps a human reader, never the match."""

    eori: str | None = Field(None, max_length=35)
    pseudonym: str | None = Field(None, max_length=120)
    country: str | None = Field(None, min_length=2, max_length=2)


class ArrivalItem(_Strict):
    sequence: int = Field(ge=1, le=999)
    hs6: str = Field(pattern=r"^[0-9]{6}$")
    description: str = _Text
    packages: int | None = Field(None, ge=0)
    gross_mass: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    value: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    currency: str | None = Field(None, min_length=3, max_length=3)


class ArrivalTransport(_Strict):
    vehicle: str | None = Field(None, max_length=35, description="DE 7/14 identity at border")
    nationality: str | None = Field(None, max_length=2)
    mode: str | None = Field(None, max_length=2)
    containers: tuple[str, ...] = Field((), max_length=9999)
    seals: tuple[str, ...] = Field((), max_length=9999)


class Totals(_Strict):
    packages: int | None = Field(None, ge=0)
    gross_mass: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    value: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    currency: str | None = Field(None, min_length=3, max_length=3)


class AnticipatedArrival(_Strict):
    mrn: str = _Code
    declaration_type: Literal["EX", "CO"] | None = None
    exit_at: AwareDatetime
    office_of_exit: str = _Code
    office_of_entry: str = _Code
    transport: ArrivalTransport | None = None
    exporter: PartyRef | None = None
    consignee: PartyRef | None = None
    goods_items: tuple[ArrivalItem, ...] | None = Field(None, max_length=999)
    totals: Totals | None = None
    note: str | None = Field(None, max_length=512)

    def as_payload(self) -> dict[str, Any]:
        """JSON values, absent fields left out (numbers as decimal text, times ISO 8601)."""
        return self.model_dump(mode="json", exclude_none=True)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> AnticipatedArrival:
        """The arrival of a received payload, or CW-EXCH-PAYLOAD naming the first fault."""
        try:
            return cls.model_validate(payload)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = "/".join(str(p) for p in first["loc"]) or "payload"
            raise ExchangeRefused("CW-EXCH-PAYLOAD", f"The anticipated arrival cannot be read: "
                                  f"{where}: {first['msg']}") from None



ACTION_CONFIRMATION = "exit-confirmation"
PURPOSE_CONFIRMATION = "transit-control"


class ExitConfirmation(_Strict):
    """The entry administration's answer to an anticipated arrival (message type
    "exit-confirmation", purpose "transit-control"): the goods arrived, with or without
    discrepancies; `alarms` names the alarm kinds raised on arrival."""

    mrn: str = _Code
    arrived_at: AwareDatetime
    office_of_entry: str = _Code
    result: Literal["arrived", "arrived-with-discrepancies"]
    alarms: tuple[str, ...] = Field((), max_length=50)
    note: str | None = Field(None, max_length=512)

    def as_payload(self) -> dict[str, Any]:
        """JSON values, absent fields left out."""
        return self.model_dump(mode="json", exclude_none=True)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ExitConfirmation:
        """The confirmation of a received payload, or CW-EXCH-PAYLOAD naming the first fault."""
        try:
            return cls.model_validate(payload)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = "/".join(str(p) for p in first["loc"]) or "payload"
            raise ExchangeRefused("CW-EXCH-PAYLOAD", f"The exit confirmation cannot be read: "
                                  f"{where}: {first['msg']}") from None
