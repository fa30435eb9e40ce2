"""An imported report's content must have a progress report's shape before it is kept: a
file that hashes right but would break the regional view or the PDF is refused."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from clearway.progress.shape import problem

GOOD: dict[str, Any] = {
    "format": "clearway-progress-report/1",
    "conference": {"code": "SEE-2027", "name": "SEE", "held_on": "2027-01-25",
                   "deadline": "2026-12-25"},
    "administration": "MK", "version": 1,
    "period": {"start": "2026-01-01", "end": "2026-12-25"},
    "previous_period": {"source": "computed", "start": "2025-01-07", "end": "2026-01-01"},
    "sections": [{"key": "training", "number": 5, "title": "Training", "in_use": True,
                  "indicators": [{"key": "trainings", "label": "Trainings", "unit": "count",
                                  "value": 3, "previous": None},
                                 {"key": "qualified_share", "label": "Qualified",
                                  "unit": "%", "value": 50.0, "previous": 12}],
                  "narrative": "Done.", "owner": "sup", "completed_by": "sup"}],
    "reviewed_by": "sup2", "approved_by": "head", "approved_at": "2026-12-01T10:00:00",
}


def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    found = copy.deepcopy(GOOD)
    where: Any = found
    for step in path[:-1]:
        where = where[step]
    if value is KeyError:
        del where[path[-1]]
    else:
        where[path[-1]] = value
    return found


@pytest.mark.parametrize(("content", "wrong"), [
    (GOOD, None),
    (changed(("sections", 0, "key"), KeyError), "sections/0/key"),
    (changed(("sections", 0, "key"), "gossip"), "sections/0/key"),
    (changed(("sections", 0, "in_use"), "yes"), "sections/0/in_use"),
    (changed(("sections", 0, "indicators", 0, "value"), "3"), "sections/0/indicators/0/value"),
    (changed(("sections",), []), "sections"),
    (changed(("conference",), "SEE-2027"), "conference"),
    (changed(("administration",), "mk"), "administration"),
    (changed(("version",), True), "version"),
    ("not a dict", "content"),
])
def test_what_is_kept_has_a_reports_shape(content: Any, wrong: str | None) -> None:
    found = problem(content)
    assert (found is None) if wrong is None else (found is not None and
                                                  found.startswith(wrong)), found
