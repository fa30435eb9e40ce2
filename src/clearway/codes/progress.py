"""The codes of the progress report to the regional conference (docs/progress-report.md)."""

from __future__ import annotations

from clearway.codes.kinds import Code, answer

PROGRESS: dict[str, Code] = {
    "CW-PROGRESS-CONFERENCE": answer(422, "The conference's terms make no report possible: the "
        "period starts on or after the reporting deadline, a reminder falls after it, or a "
        "participating administration is not a country code."),
    "CW-PROGRESS-EXISTS": answer(409, "A conference with this code, or a report of this "
        "administration for this conference, exists already (revise the report instead)."),
    "CW-PROGRESS-STATE": answer(409, "The report's status does not allow this step (review "
        "follows the draft, approval the review, submission the approval)."),
    "CW-PROGRESS-FROZEN": answer(409, "The report is approved, submitted or imported: its "
        "content is frozen under its recorded hash; a revision is a new version."),
    "CW-PROGRESS-INCOMPLETE": answer(409, "Some sections are not completed by their owners yet "
        "(each needs a narrative and its owner's completion before review)."),
    "CW-PROGRESS-OWNER": answer(403, "Only the section's owner writes or completes it; only the "
        "report's author or the head of administration names the owners."),
    "CW-PROGRESS-FOUR-EYES": answer(403, "Four eyes: nobody reviews a report with a section they "
        "completed, and the head of administration approves only what another reviewed and "
        "others wrote."),
    "CW-PROGRESS-IMPORT": answer(422, "The imported file is no exported progress report: not "
        "JSON, a field missing or of the wrong shape, or its administration or conference is "
        "not one of this installation's conferences; or a report goes to no participant."),
    "CW-PROGRESS-HASH": answer(422, "The imported report's content does not hash to the SHA-256 "
        "recorded with it: it was changed after approval."),
}
