"""API shapes of the instructions room."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from clearway.instructions.model import Instruction, InstructionTerms, OfficeRate
from clearway.instructions.service import Owed


class InstructionOut(InstructionTerms):
    code: str
    version: int
    published_at: datetime
    published_by: str

    @classmethod
    def of(cls, found: Instruction) -> InstructionOut:
        return cls(code=found.code, version=found.version, published_at=found.published_at,
                   published_by=found.published_by, **found.terms.model_dump())


class OwedOut(BaseModel):
    instruction: InstructionOut
    acknowledged: bool

    @classmethod
    def of(cls, owed: Owed) -> OwedOut:
        return cls(instruction=InstructionOut.of(owed.instruction),
                   acknowledged=owed.acknowledged)


class AcknowledgementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Annotated[int, Field(ge=1, le=1_000_000,
                                  description="The version read: the one in force")]


class AcknowledgementOut(BaseModel):
    code: str
    version: int
    officer_id: int
    acknowledged_at: datetime
    new: bool = Field(description="False when it was acknowledged already")


class OfficeRateOut(BaseModel):
    office: str
    officers: int
    due: int
    acknowledged: int
    rate: float | None

    @classmethod
    def of(cls, found: OfficeRate) -> OfficeRateOut:
        return cls(office=found.office, officers=found.officers, due=found.due,
                   acknowledged=found.acknowledged, rate=found.rate)


class RatesOut(BaseModel):
    on: date
    offices: list[OfficeRateOut]
