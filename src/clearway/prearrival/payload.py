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
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from clearway.exchange.model import ExchangeRefused, plausible_time

ACTION = "anticipated-arrival"
PURPOSE = "risk-analysis"
_Code = Field(min_length=1, max_length=35)
_Text = Field(max_length=512)
# A time within years 1900..9000 (one that can be stored and moved by a deadline).
_Moment = Annotated[AwareDatetime, AfterValidator(plausible_time)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Payload(_Strict):
    """A message's payload: read strictly from a partner, written as JSON values."""

    what: ClassVar[str] = "payload"

    def as_payload(self) -> dict[str, Any]:
        """JSON values, absent fields left out (numbers as decimal text, times ISO 8601)."""
        return self.model_dump(mode="json", exclude_none=True)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Self:
        """The payload read, or CW-EXCH-PAYLOAD naming the first fault."""
        try:
            return cls.model_validate(payload)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = "/".join(str(p) for p in first["loc"]) or "payload"
            raise ExchangeRefused("CW-EXCH-PAYLOAD", f"The {cls.what} cannot be read: "
                                  f"{where}: {first['msg']}") from None


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


class AnticipatedArrival(_Payload):
    what: ClassVar[str] = "anticipated arrival"

    mrn: str = _Code
    declaration_type: Literal["EX", "CO"] | None = None
    exit_at: _Moment
    office_of_exit: str = _Code
    office_of_entry: str = _Code
    transport: ArrivalTransport | None = None
    exporter: PartyRef | None = None
    consignee: PartyRef | None = None
    goods_items: tuple[ArrivalItem, ...] | None = Field(None, max_length=999)
    totals: Totals | None = None
    note: str | None = Field(None, max_length=512)


ACTION_CONFIRMATION = "exit-confirmation"
PURPOSE_CONFIRMATION = "transit-control"


class ExitConfirmation(_Payload):
    """The entry administration's answer to an anticipated arrival (message type
    "exit-confirmation", purpose "transit-control"): the goods arrived, with or without
    discrepancies; `alarms` names the alarm kinds raised on arrival."""

    what: ClassVar[str] = "exit confirmation"
    mrn: str = _Code
    arrived_at: _Moment
    office_of_entry: str = _Code
    result: Literal["arrived", "arrived-with-discrepancies"]
    alarms: tuple[str, ...] = Field((), max_length=50)
    note: str | None = Field(None, max_length=512)
