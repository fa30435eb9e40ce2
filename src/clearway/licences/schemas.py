"""API shapes of the licence register: what an agency registers or amends, and what a reader
is shown (a licence with its lines, balances and write-offs)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)

from clearway.licences.model import Licence

NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9./_-]{0,69}$"
Code = Annotated[str, Field(pattern=r"^[A-Z][0-9A-Z]{3}$", description="Document code (DE 2/3)")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[^\x00-\x1f\x7f]*$")]
Amount = Annotated[Decimal, Field(gt=0, le=Decimal("999999999999999"), decimal_places=3)]


def _compact(value: Any) -> Any:
    """'8401 10' and '8401.10' are written as in the tariff: keep the digits together."""
    return re.sub(r"[ .]", "", value) if isinstance(value, str) else value


HsPrefix = Annotated[str, BeforeValidator(_compact), Field(pattern=r"^\d{2,10}$")]


def tidy(value: Decimal | None) -> str | None:
    """An amount as a decimal string without the storage's trailing zeros ("300", "0.5")."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


Shown = Annotated[Decimal | None, PlainSerializer(tidy, return_type=str | None)]


class LineIn(BaseModel):
    """A line: the goods it grants and a quantity in a unit and/or a value in a currency."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    hs_prefix: HsPrefix
    description: Text
    quantity: Amount | None = None
    unit: Annotated[str, Field(pattern=r"^[A-Za-z0-9/]{1,10}$",
                               description="kg (drawn from the net mass) or another unit "
                               "(drawn from the supplementary units)")] | None = None
    value: Annotated[Decimal, Field(gt=0, le=Decimal("9999999999999999"),
                                    decimal_places=2)] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None

    @model_validator(mode="after")
    def _counted(self) -> LineIn:
        if self.quantity is None and self.value is None:
            raise ValueError("a line grants a quantity, a value, or both")
        if (self.quantity is None) != (self.unit is None):
            raise ValueError("a quantity needs its unit, and a unit its quantity")
        if (self.value is None) != (self.currency is None):
            raise ValueError("a value needs its currency, and a currency its value")
        return self


class LicenceTerms(BaseModel):
    """What an amendment may replace: validity, countries, end user, use and lines."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    valid_from: date
    valid_to: date
    countries: list[Country] = Field(default_factory=list, max_length=250,
                                     description="Origin (imports) or destination (exports) "
                                     "covered; empty: any")
    end_user: Text | None = None
    single_use: bool = False
    lines: list[LineIn] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _period(self) -> LicenceTerms:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class LicenceIn(LicenceTerms):
    """A licence an agency registers (status valid; the agency is the registering officer's,
    or, for an administrator's import, the file's)."""

    type: Code
    number: Annotated[str, Field(pattern=NUMBER_PATTERN)]
    holder: Annotated[str, Field(pattern=r"^[A-Z]{2}[0-9A-Za-z]{1,15}$",
                                 description="EORI of the holder")]


class ReasonIn(BaseModel):
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class LineOut(BaseModel):
    line: int
    hs_prefix: str
    description: str
    unit: str | None
    quantity: Shown
    remaining_quantity: Shown
    currency: str | None
    value: Shown
    remaining_value: Shown


class WriteOffOut(BaseModel):
    mrn: str | None
    version: int
    item: int
    line: int
    quantity: Shown
    value: Shown
    at: str
    reversed_at: str | None
    reversal: str | None


class LicenceOut(BaseModel):
    id: int
    type: str
    number: str
    holder: str
    agency: str
    status: str
    valid_from: date
    valid_to: date
    countries: list[str]
    end_user: str | None
    single_use: bool
    lines: list[LineOut]
    write_offs: list[WriteOffOut] | None = None

    @classmethod
    def of(cls, lic: Licence, write_offs: list[WriteOffOut] | None = None) -> LicenceOut:
        assert lic.id is not None
        return cls(id=lic.id, type=lic.type, number=lic.number, holder=lic.holder,
                   agency=lic.agency, status=lic.status, valid_from=lic.valid_from,
                   valid_to=lic.valid_to, countries=list(lic.countries), end_user=lic.end_user,
                   single_use=lic.single_use, write_offs=write_offs,
                   lines=[LineOut(line=ln.line, hs_prefix=ln.hs_prefix,
                                  description=ln.description, unit=ln.unit,
                                  quantity=ln.quantity,
                                  remaining_quantity=ln.remaining_quantity,
                                  currency=ln.currency, value=ln.value,
                                  remaining_value=ln.remaining_value) for ln in lic.lines])
