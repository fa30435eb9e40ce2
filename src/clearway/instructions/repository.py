"""The library of instructions and the acknowledgements in the database (tables
`instructions`, `instruction_acknowledgements`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.instructions.model import Instruction, InstructionIn, InstructionTerms
from clearway.storage.orm_instructions import InstructionAckRow, InstructionRow

TERMS = ("kind", "title", "body", "owner", "valid_from", "valid_to", "qualifications",
         "offices", "areas")


def instruction_of(row: InstructionRow) -> Instruction:
    terms = InstructionTerms.model_validate({k: getattr(row, k) for k in TERMS})
    return Instruction(row.code, row.version, terms, row.published_at, row.published_by)


def all_versions(session: Session, code: str | None = None) -> list[Instruction]:
    stmt = select(InstructionRow).order_by(InstructionRow.code, InstructionRow.version)
    if code is not None:
        stmt = stmt.where(InstructionRow.code == code)
    return [instruction_of(r) for r in session.execute(stmt).scalars()]


def latest_version(session: Session, code: str) -> int:
    """The code's highest version (0: none yet)."""
    found = session.execute(select(func.max(InstructionRow.version))
                            .where(InstructionRow.code == code)).scalar()
    return int(found or 0)


def add_version(session: Session, body: InstructionIn, version: int, *, now: datetime,
                actor: str) -> Instruction:
    row = InstructionRow(code=body.code, version=version, published_at=now, published_by=actor,
                         **{k: getattr(body, k) for k in TERMS})
    session.add(row)
    session.flush()
    return instruction_of(row)


def acknowledged_by(session: Session, officer_ids: Iterable[int] | None = None
                    ) -> dict[int, set[tuple[str, int]]]:
    """(code, version) pairs each officer has acknowledged."""
    stmt = select(InstructionAckRow.officer_id, InstructionAckRow.code, InstructionAckRow.version)
    if officer_ids is not None:
        stmt = stmt.where(InstructionAckRow.officer_id.in_(list(officer_ids)))
    found: dict[int, set[tuple[str, int]]] = {}
    for officer, code, version in session.execute(stmt):
        found.setdefault(int(officer), set()).add((str(code), int(version)))
    return found


def acknowledgement(session: Session, code: str, version: int,
                    officer_id: int) -> InstructionAckRow | None:
    return session.execute(select(InstructionAckRow).where(
        InstructionAckRow.code == code, InstructionAckRow.version == version,
        InstructionAckRow.officer_id == officer_id)).scalar_one_or_none()


def add_acknowledgement(session: Session, code: str, version: int, officer_id: int,
                        now: datetime) -> InstructionAckRow:
    row = InstructionAckRow(code=code, version=version, officer_id=officer_id,
                            acknowledged_at=now)
    session.add(row)
    session.flush()
    return row
