"""The codes of the single window's other agencies: the agencies, the regulatory matrix and
its four-eyes versions, the agencies' tasks and decisions."""

from __future__ import annotations

from clearway.codes.kinds import Code, answer, issue

AGENCIES: dict[str, Code] = {
    "CW-AGENCY-UNKNOWN": answer(422, "No agency with this code: create the agency first (an "
        "agency user carries an existing agency's code)."),
    "CW-AGENCY-INVALID": answer(422, "An agency is refused: code (2 to 8 capitals), name, kind, "
        "decision-time target (1 to 10080 minutes) or inspection rate (0 to 1)."),
    "CW-AGENCY-EXISTS": answer(409, "An agency with this code exists already."),
    "CW-MATRIX-FILE": issue("A regulatory matrix file cannot be read: CSV, columns, a rule's "
        "id, HS prefix, agency, formality, codes, yes/no or dates; `errors` names the line."),
    "CW-MATRIX-STATE": answer(409, "The matrix version is already approved or rejected."),
    "CW-MATRIX-DATE": answer(422, "A matrix version applies from a day after the latest "
        "approved version's first day."),
    "CW-AGENCY-DECISION": answer(422, "The agency decision is incomplete: conditions, a "
        "refusal's reason or the document asked for are required in words (up to 2000 "
        "characters)."),
    "CW-AGENCY-TASK-STATE": answer(409, "The agency task is decided already, or its "
        "declaration was cancelled, invalidated or seized."),
    "CW-JOINT-RESULT": answer(422, "A joint inspection's section is refused: the outcome is "
        "compliant or non_compliant, and only a party to the inspection records one."),
    "CW-JOINT-SECTION": answer(409, "This party's section of the joint inspection is recorded "
        "already."),
    "CW-AGENCY-OFFICER": answer(422, "The task can be assigned only to an officer of its "
        "agency."),
}
