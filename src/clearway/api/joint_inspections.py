"""HTTP routes of joint inspections: one examination of a declaration's goods for customs
and every agency that selected them; each party records its own section."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Path

from clearway.agencies.schemas import InspectionOut, SectionIn, SectionOut
from clearway.api.deps import Ctx, require, run_use_case
from clearway.clearance import joint_inspection
from clearway.identity import Permission, User

router = APIRouter(prefix="/api/v1/joint-inspections", tags=["agencies"])
Reader = Annotated[User, Depends(require(Permission.READ_JOINT_INSPECTIONS))]
Recorder = Annotated[User, Depends(require(Permission.RECORD_JOINT_INSPECTION))]
Key = Annotated[int, Path(ge=1, le=2**62)]


@router.get("", operation_id="list_joint_inspections", response_model=list[InspectionOut])
def list_inspections(ctx: Ctx, user: Reader) -> list[InspectionOut]:
    """The inspections you take part in (customs staff: all)."""
    return [InspectionOut.of(r) for r in joint_inspection.list_visible(ctx, user)]


@router.get("/{key}", operation_id="get_joint_inspection", response_model=InspectionOut)
def get_inspection(key: Key, ctx: Ctx, user: Reader) -> InspectionOut:
    """Place, slot, parties and the sections you may read (an agency: its own)."""
    return InspectionOut.of(*joint_inspection.get(ctx, key, user))


@router.post("/{key}/results", operation_id="record_joint_inspection_section",
             response_model=SectionOut, status_code=201)
async def record(key: Key, body: SectionIn, ctx: Ctx, user: Recorder) -> SectionOut:
    """Your party's section of the examination's result (customs, or your agency)."""
    return SectionOut.of(await run_use_case(ctx, partial(
        joint_inspection.record_section, ctx, key, body.outcome, body.notes, user)))
