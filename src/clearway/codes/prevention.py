"""The codes of corruption prevention (docs/integrity-prevention.md): declarations of
interest and the conflicts they stop, sensitive posts and their maximum tenure."""

from __future__ import annotations

from clearway.codes.kinds import Code, answer

PREVENTION: dict[str, Code] = {
    "CW-INTEREST-FIELD": answer(422, "A declaration of interest names an unknown kind of link or "
        "a party identifier of the wrong shape."),
    "CW-INTEREST-STATE": answer(409, "The declaration of interest's status does not allow this: "
        "a withdrawn one never changes, a review is given to a pending one."),
    "CW-INTEREST-OWN": answer(403, "A supervisor does not review their own declaration of "
        "interest."),
    "CW-TASK-CONFLICT": answer(409, "The officer declared an interest in a party of the task's "
        "declaration: the control cannot be given to them."),
    "CW-ROTATION-POST": answer(422, "A sensitive post names an office and a function, a maximum "
        "tenure of 1 to 7300 days and a warning of 0 days up to that tenure."),
    "CW-ROTATION-TENURE": answer(409, "The shift would keep the officer on a sensitive post past "
        "its maximum tenure, and no approved exception covers it."),
    "CW-ROTATION-EXCEPTION": answer(409, "The tenure exception cannot be decided: it is not "
        "pending, or the one deciding asked for it or is the officer it concerns."),
}
