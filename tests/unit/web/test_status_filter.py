"""The console's status filter and labels come from the one list of statuses."""

from __future__ import annotations

import pytest

from clearway.declarations.lifecycle import STATUSES, DeclarationStatus
from clearway.web.declarations import read_filters
from clearway.web.render import STATUS_LABELS


def test_every_status_has_a_label_and_nothing_else_does() -> None:
    assert list(STATUS_LABELS) == list(STATUSES)
    assert STATUS_LABELS[DeclarationStatus.RISK_ASSESSED] == "Risk assessed"
    assert STATUS_LABELS[DeclarationStatus.DETAINED] == "Detained"


@pytest.mark.parametrize("status", STATUSES)
def test_the_filter_accepts_every_status(status: str) -> None:
    flt, values, problems = read_filters({"status": status})
    assert (flt.status, values["status"], problems) == (status, status, [])


def test_the_filter_ignores_an_unknown_status() -> None:
    flt, values, problems = read_filters({"status": "lost"})
    assert (flt.status, values["status"]) == (None, "")
    assert problems == ["Unknown status; it was ignored."]
