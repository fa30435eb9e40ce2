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


@pytest.mark.parametrize(("params", "expected", "problem"), [
    ({"channel": "red"}, {"channel": "red", "office": None}, None),
    ({"channel": "blue", "office": "rs001002"}, {"channel": "blue", "office": "RS001002"}, None),
    ({"office": "RS001002", "status": "detained"}, {"channel": None, "office": "RS001002"},
     None),
    ({"channel": "purple"}, {"channel": None, "office": None}, "Unknown channel"),
    ({"office": "RS 001"}, {"channel": None, "office": None}, "An office code"),
    ({"office": "1234"}, {"channel": None, "office": None}, "An office code"),
])
def test_channel_and_office_filters_combine_with_the_others(
        params: dict[str, str], expected: dict[str, str | None], problem: str | None) -> None:
    flt, values, problems = read_filters(params)
    assert {"channel": flt.channel, "office": flt.office} == expected
    assert flt.status == (params.get("status") or None)
    assert values["channel"] == (expected["channel"] or "")
    assert values["office"] == (expected["office"] or "")
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problems[0].startswith(problem)
