"""API shapes for applications for action."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from clearway.ipr.model import REFERENCE_PATTERN, IprApplication, IprTerms
from clearway.ipr.repository import IprRecord


class IprApplicationIn(IprTerms):
    """A new application: its reference and what it says (status starts active)."""

    reference: Annotated[str, Field(pattern=REFERENCE_PATTERN,
                                    description="The decision number granting the application")]


class IprApplicationUpdate(IprTerms):
    """Everything an application says, replaced as a whole (renewal: a new period)."""


class WithdrawIn(BaseModel):
    reason: str | None = Field(None, max_length=500)


class IprApplicationOut(IprApplication):
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, record: IprRecord) -> IprApplicationOut:
        return cls(**record.application.model_dump(), created_at=record.created_at.isoformat(),
                   updated_at=record.updated_at.isoformat())
