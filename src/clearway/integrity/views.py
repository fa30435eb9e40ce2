"""HTTP routes of integrity indicators and the register of integrity cases (R4)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/integrity", tags=["integrity"])
