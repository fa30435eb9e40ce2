"""Which EU data element (DE x/y) each canonical field carries, read from the model."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from clearway.declarations.model import (
    CancellationRequest,
    Declaration,
    EntrySummaryDeclaration,
    ExitSummaryDeclaration,
)

_DE = re.compile(r"DE \d{1,2}/\d{1,2}(?:-\d{1,2}/\d{1,2})?")


@lru_cache(maxsize=4096)
def element_of_pointer(pointer: str) -> str | None:
    """Walk the canonical models along a JSON pointer and return the innermost field's
    "DE x/y" reference (or the nearest enclosing one)."""
    parts = [p for p in pointer.split("/") if p]
    found: str | None = None
    for model in (Declaration, EntrySummaryDeclaration, ExitSummaryDeclaration,
                  CancellationRequest):
        found = _walk(model, parts)
        if found:
            return found
    return found


def _walk(model: type[BaseModel], parts: list[str]) -> str | None:
    current: Any = model
    found: str | None = None
    for part in parts:
        if part.isdigit():
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return found
        field = current.model_fields.get(part)
        if field is None:
            return found
        match = _DE.search(field.description or "")
        if match:
            found = match.group(0)
        current = _inner_model(field.annotation)
    return found


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        inner = _inner_model(arg)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return annotation
