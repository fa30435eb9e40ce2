"""Error codes of integrated border management: crossing points, the booth record's border
fields, the shared watch lists and their alerts (docs/border.md)."""

from __future__ import annotations

from clearway.codes.kinds import Code, answer

BORDER: dict[str, Code] = {
    "CW-BORDER-POINT": answer(422, "A border crossing point is malformed: the code is 2 to 20 "
        "letters, digits or dashes, the office one of this administration's, the neighbouring "
        "country a two-letter code, the modes and agencies known codes."),
    "CW-BORDER-POINT-NOT-FOUND": answer(404, "No such border crossing point (or not one at the "
        "booth's office)."),
    "CW-BORDER-DRIVER": answer(422, "The driver is given by name and document number (the "
        "country optional), and a border pseudonym key must be valid today: the name and "
        "number are never stored, only their keyed pseudonym."),
    "CW-BORDER-WATCH": answer(422, "A watch-list entry is malformed: its kind, value, reason, "
        "validity or the services it is shared with (person entries are never shared with an "
        "agency)."),
    "CW-BORDER-WATCH-NOT-FOUND": answer(404, "No such watch-list entry among those your "
        "service may see."),
    "CW-BORDER-WATCH-OWNER": answer(403, "Only the service that owns a watch-list entry may "
        "end it."),
    "CW-BORDER-WATCH-ENDED": answer(409, "The watch-list entry was already ended."),
    "CW-BORDER-ALERT-NOT-FOUND": answer(404, "No such alert among those raised for your "
        "service."),
    "CW-BORDER-ALERT-CLOSED": answer(409, "The alert is already closed."),
}
