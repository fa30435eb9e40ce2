"""Mirror analysis: the month, the partner, and the message's payload (plain objects).

Each month partners exchange what they exported to each other, by HS6: value (EUR), net mass
(kg) and the number of goods items. Nothing in the payload names a trader: the rows have
those four fields and no others, and the receiver refuses anything else (CW-EXCH-PAYLOAD).
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clearway.errors import ClearwayError
from clearway.exchange.model import ExchangeRefused
from clearway.periods import Period

ACTION = "mirror-aggregates"
PURPOSE = "statistics"
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def input_error(message: str) -> ClearwayError:
    return ClearwayError(code="CW-MIRROR-INPUT", message=message)


def month(text: str) -> Period:
    """The calendar month "YYYY-MM" as a period of whole days."""
    found = _MONTH.match(text.strip()) if isinstance(text, str) else None
    if found is None:
        raise input_error(f"{text!r} is not a month written YYYY-MM")
    year, number = int(found.group(1)), int(found.group(2))
    if not 2000 <= year <= 2100:
        raise input_error("The month must lie between 2000 and 2100")
    return Period(date(year, number, 1), date(year, number, monthrange(year, number)[1]))


def label(period: Period) -> str:
    return period.first.strftime("%Y-%m")


def previous_month(now: datetime) -> str:
    """The month before `now`'s: what the monthly send covers by default."""
    year, number = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    return f"{year:04d}-{number:02d}"


def partner_code(text: str, me: str) -> str:
    code = text.strip().upper() if isinstance(text, str) else ""
    if not _COUNTRY.match(code):
        raise input_error(f"{text!r} is not a two-letter country code")
    if code == me:
        raise input_error("Mirror analysis compares this administration with another one")
    return code


class AggregateRow(BaseModel):
    """One HS6 of one month's exports. `extra="forbid"`: a row cannot carry anything else
    (a trader's name or EORI has no field to travel in)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hs6: str = Field(pattern=r"^[0-9]{6}$")
    value_eur: float = Field(ge=0, allow_inf_nan=False)
    mass_kg: float = Field(ge=0, allow_inf_nan=False)
    count: int = Field(ge=0, le=2**31 - 1)  # an Integer column


class MirrorAggregates(BaseModel):
    """The payload of a "mirror-aggregates" message."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    rows: list[AggregateRow] = Field(max_length=20_000)

    def as_payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> MirrorAggregates:
        try:
            found = cls.model_validate(payload)
        except ValidationError as exc:
            where = "; ".join(".".join(str(p) for p in e["loc"]) or "payload"
                              for e in exc.errors()[:5])
            raise ExchangeRefused("CW-EXCH-PAYLOAD",
                                  f"The mirror aggregates cannot be read ({where})") from exc
        hs6 = [r.hs6 for r in found.rows]
        if len(set(hs6)) != len(hs6):
            raise ExchangeRefused("CW-EXCH-PAYLOAD", "An HS6 appears twice in the aggregates")
        return found
