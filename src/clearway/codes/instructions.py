"""The codes of the instructions room and the yearly training plan (docs/instructions.md,
docs/training.md)."""

from __future__ import annotations

from clearway.codes.kinds import Code, answer

INSTRUCTIONS: dict[str, Code] = {
    "CW-INSTRUCTION-VERSION": answer(409, "The version acknowledged is not the instruction's "
        "version in force: read the one in force and acknowledge it."),
    "CW-INSTRUCTION-RACE": answer(409, "Someone else published a version of the instruction "
        "at the same moment: read it and publish again."),
    "CW-TRAINING-SEATS": answer(422, "A training session is recorded with more attendees "
        "than it has seats."),
    "CW-TRAINING-SESSION-HELD": answer(409, "The training session is recorded as held "
        "already."),
}
