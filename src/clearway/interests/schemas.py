"""HTTP shapes of declarations of interest."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from clearway.interests.model import KINDS, renewal_overdue
from clearway.storage.orm_prevention import InterestDeclarationRow


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InterestIn(_In):
    kind: Annotated[str, Field(max_length=20, description=", ".join(KINDS))]
    party_id: Annotated[str, Field(min_length=1, max_length=60,
                                   description="The trader's, broker's or carrier's EORI-style "
                                   "identifier, as declarations name it")]
    party_name: Annotated[str | None, Field(max_length=200)] = None
    description: Annotated[str, Field(min_length=1, max_length=2000,
                                      description="What the link is, in a sentence")]


class WithdrawIn(_In):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class ReviewIn(_In):
    outcome: Annotated[str, Field(max_length=12, description="noted or returned")]
    note: Annotated[str | None, Field(max_length=2000)] = None


class InterestOut(BaseModel):
    id: int
    officer_id: int
    officer: str | None = None
    kind: str
    party_id: str
    party_name: str | None
    description: str
    status: str
    filed_at: datetime
    renewed_at: datetime | None
    valid_until: date
    renewal_overdue: bool = Field(description="Not renewed in time: still excludes the officer")
    reviewed_at: datetime | None
    review_note: str | None
    withdrawn_at: datetime | None
    late: bool = Field(description="Filed after the officer was given a control of a "
                       "declaration naming the party")

    @classmethod
    def of(cls, row: InterestDeclarationRow, today: date,
           officer: str | None = None) -> InterestOut:
        return cls(id=row.id, officer_id=row.officer_id, officer=officer, kind=row.kind,
                   party_id=row.party_id, party_name=row.party_name,
                   description=row.description, status=row.status, filed_at=row.filed_at,
                   renewed_at=row.renewed_at, valid_until=row.valid_until,
                   renewal_overdue=renewal_overdue(row.status, row.valid_until, today),
                   reviewed_at=row.reviewed_at, review_note=row.review_note,
                   withdrawn_at=row.withdrawn_at, late=row.prior_controls > 0)
