"""API shapes for declarations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ErrorItem(BaseModel):
    code: str = Field(description="Stable error code, see the error-code table")
    element: str | None = Field(None, description="EU data element, e.g. DE 6/1")
    pointer: str | None = Field(None, description="JSON pointer, XML path or EDIFACT segment")
    message: str


class ErrorBody(BaseModel):
    code: str
    message: str
    errors: list[ErrorItem] = Field(default_factory=list)
    declaration_id: int | None = Field(None, description="The stored rejected filing, if any")


class ItemOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    sequence: int
    commodity_code: str | None = None
    origin_country: str | None = None


class DeclarationOut(BaseModel):
    """The canonical document (every field of the submitted model) plus customs' data."""

    model_config = ConfigDict(extra="allow")
    id: int
    mrn: str | None
    lrn: str
    status: str
    version: int
    declaration_type: str
    format: str
    received_at: str
    updated_at: str
    items: list[ItemOut] = Field(default_factory=list)
    errors: list[ErrorItem] = Field(default_factory=list)


class DeclarationSummary(BaseModel):
    id: int
    mrn: str | None
    lrn: str
    declarant_id: str
    declaration_type: str
    additional_type: str | None
    status: str
    version: int
    format: str
    item_count: int
    office: str | None
    received_at: str
    updated_at: str


class DeclarationPage(BaseModel):
    items: list[DeclarationSummary]
    total: int
    offset: int
    limit: int


class EventOut(BaseModel):
    at: str
    kind: str
    from_status: str | None
    to_status: str
    actor: str
    detail: dict[str, Any]


class ReasonIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class OptionalReasonIn(BaseModel):
    reason: str | None = Field(None, max_length=2000)


class ActionIn(OptionalReasonIn):
    """An officer action; ending a control (`release` of a declaration under control) states
    what the control found, which feeds the label store (clearway.risk.learning.labels)."""

    outcome: Literal["regular", "irregular"] | None = Field(
        None, description="Control outcome; required to release a declaration under control")
    revenue: Decimal | None = Field(None, ge=0, le=Decimal("1e15"), decimal_places=2,
                                    description="Additional duties and taxes assessed (EUR)")
