"""The codes of partnerships with trade (docs/partnerships.md) and of the whistleblowing
channel (docs/whistleblowing.md)."""

from __future__ import annotations

from clearway.codes.kinds import Code, answer

TRADE: dict[str, Code] = {
    "CW-MOU-EXISTS": answer(409, "A memorandum of understanding with this code is already in the "
        "register."),
    "CW-MOU-INVALID": answer(422, "A memorandum of understanding, member or review is refused: "
        "unknown partner kind, validity ending before it starts, a member outside the MoU's "
        "validity, or a required field left empty."),
    "CW-CONSULTATION-INVALID": answer(422, "A consultation or follow-up action is refused: a "
        "required field left empty, or an action already done."),
    "CW-WHISTLE-INVALID": answer(422, "A whistleblower report or message is refused: empty, "
        "longer than allowed, or an unknown topic."),
    "CW-WHISTLE-RECEIPT": answer(404, "No report has this receipt code (the code is checked "
        "whole; nothing else is told)."),
    "CW-WHISTLE-CLOSED": answer(409, "The report's case is closed: it can be read, no longer "
        "written to."),
    "CW-WHISTLE-BUSY": answer(429, "The whistleblowing channel takes no more reports or receipt "
        "checks just now (a limit over all senders, since none is identified); try again after "
        "Retry-After seconds."),
}
