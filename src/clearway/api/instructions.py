"""HTTP routes of the instructions room: the library, an officer's instructions to
acknowledge, the acknowledgement, and the acknowledgement rates by office."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from clearway.api.deps import Ctx, require, run_use_case
from clearway.identity import Permission, User
from clearway.instructions import service
from clearway.instructions.model import InstructionIn
from clearway.instructions.schemas import (
    AcknowledgementIn,
    AcknowledgementOut,
    InstructionOut,
    OfficeRateOut,
    OwedOut,
    RatesOut,
)
from clearway.training.model import CODE_PATTERN

router = APIRouter(prefix="/api/v1/instructions", tags=["instructions"])
Reader = Annotated[User, Depends(require(Permission.READ_INSTRUCTIONS))]
Publisher = Annotated[User, Depends(require(Permission.MANAGE_INSTRUCTIONS))]
Acknowledger = Annotated[User, Depends(require(Permission.ACKNOWLEDGE_INSTRUCTIONS))]
RateReader = Annotated[User, Depends(require(Permission.READ_ACKNOWLEDGEMENTS))]
Code = Annotated[str, Path(pattern=CODE_PATTERN, description="e.g. IPR-608")]


@router.get("", operation_id="list_instructions", response_model=list[InstructionOut])
def list_instructions(ctx: Ctx, user: Reader) -> list[InstructionOut]:
    """The latest version of every instruction and circular, in force or not."""
    return [InstructionOut.of(i) for i in service.library(ctx)]


@router.post("", operation_id="publish_instruction", response_model=InstructionOut,
             status_code=201)
async def publish(body: InstructionIn, ctx: Ctx, user: Publisher) -> InstructionOut:
    """Publish a new version of an instruction (version 1 for a new code): every officer it
    concerns must acknowledge it again."""
    found = await run_use_case(ctx, partial(service.publish, ctx, body, user))
    return InstructionOut.of(found)


@router.get("/mine", operation_id="my_instructions", response_model=list[OwedOut])
def mine(ctx: Ctx, user: Acknowledger) -> list[OwedOut]:
    """The instructions in force that concern the signed-in officer (by the qualifications
    they hold and the offices of their duty roster), the unacknowledged first."""
    return [OwedOut.of(o) for o in service.mine(ctx, user)]


@router.get("/rates", operation_id="acknowledgement_rates", response_model=RatesOut)
def rates(ctx: Ctx, user: RateReader) -> RatesOut:
    """Per office on the duty roster: acknowledgements due from its officers and given."""
    return RatesOut(on=ctx.clock.now().date(),
                    offices=[OfficeRateOut.of(r) for r in service.office_rates(ctx)])


@router.get("/{code}", operation_id="instruction_versions", response_model=list[InstructionOut])
def versions(code: Code, ctx: Ctx, user: Reader) -> list[InstructionOut]:
    """Every version of one instruction, oldest first."""
    return [InstructionOut.of(i) for i in service.history(ctx, code)]


@router.post("/{code}/acknowledgements", operation_id="acknowledge_instruction",
             response_model=AcknowledgementOut, status_code=201)
async def acknowledge(code: Code, body: AcknowledgementIn, ctx: Ctx, user: Acknowledger,
                      response: Response) -> AcknowledgementOut:
    """Acknowledge the version in force (201; 200 when acknowledged already)."""
    at, new = await run_use_case(ctx, partial(service.acknowledge, ctx, user, code,
                                              body.version))
    if not new:
        response.status_code = 200
    return AcknowledgementOut(code=code, version=body.version, officer_id=user.id,
                              acknowledged_at=at, new=new)
