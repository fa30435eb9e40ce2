"""An agency's own risk profiles through the acceptance, on SQLite and PostgreSQL: written in
customs' profile language and run by the same engine on the same item frame, they select
the agency's task on the items routed to it, and never weigh on customs' decision."""

from __future__ import annotations

from typing import Any

import pytest

from agency_world import BEEF, N851, ORANGES, agency_world, lodge, tasks
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.profiles import service as profiles
from clearway.profiles.parse import parse_profile
from clearway.risk import repository as risk_repo
from controls_world import World

CERTIFIED = {**ORANGES, "documents": N851}   # every formality has its document


def profile(code: str, when: dict[str, Any], *, agency: str | None = "PH", weight: float = 0.3,
            min_channel: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"code": code, "name": f"{code} check", "area": "health",
                            "weight": weight, "owner": "plant-health-chief", "when": when,
                            "instructions": "sample the fruit for pests"}
    if agency is not None:
        data["agency"] = agency
    if min_channel is not None:
        data["min_channel"] = min_channel
    return data


def customs_hits(ctx: Context, declaration_id: int) -> list[str]:
    with ctx.uow(read_only=True) as uow:
        found = risk_repo.get_decision(uow.session, declaration_id)
        assert found is not None
        return [h["ref"] for h in found.decision["hits"]]


FRUIT_FROM_EG = {"all": [{"field": "hs4", "equals": "0805"},
                         {"field": "origin_country", "equals": "EG"}]}
BEEF_FROM_AR = {"field": "hs4", "equals": "0201"}
CASES = [
    ("no profile: every document declared, not selected", [], [CERTIFIED], False, None),
    ("a hard profile on the routed item selects",
     [profile("PH-EG-FRUIT", FRUIT_FROM_EG, min_channel="yellow")], [CERTIFIED], True,
     "profile PH-EG-FRUIT v1"),
    ("one soft hit under the line does not",
     [profile("PH-EG-FRUIT", FRUIT_FROM_EG)], [CERTIFIED], False, "weigh 0.30"),
    ("two soft hits together reach it",
     [profile("PH-EG-FRUIT", FRUIT_FROM_EG),
      profile("PH-ORIGIN-EG", {"field": "origin_country", "equals": "EG"})],
     [CERTIFIED], True, "profile PH-ORIGIN-EG v1"),
    ("a hit on an item routed elsewhere (the beef, veterinary's) is not plant health's",
     [profile("PH-BEEF", BEEF_FROM_AR, min_channel="red")], [CERTIFIED, BEEF], False, None),
    ("another agency's profile leaves plant health alone",
     [profile("VET-EG-FRUIT", FRUIT_FROM_EG, agency="VET", min_channel="red")], [CERTIFIED],
     False, None),
]


@pytest.mark.parametrize(("name", "written", "goods", "selected", "why"), CASES,
                         ids=[c[0] for c in CASES])
def test_an_agency_profile_selects_its_task_only(
        ctx: Context, name: str, written: list[dict[str, Any]], goods: list[dict[str, Any]],
        selected: bool, why: str | None) -> None:
    world = agency_world(ctx)
    for data in written:
        profiles.create(ctx, parse_profile(data), "analyst")
        profiles.activate(ctx, data["code"], None, "analyst")
    row = lodge(ctx, world, "SW-PROFILE", goods)
    task = tasks(ctx, row)["PH"]
    assert task.selected is selected, task.selection
    if why is not None:
        assert any(why in line for line in task.selection), task.selection
    if selected and why and "profile" in why:
        assert any("to do: sample the fruit for pests" in line for line in task.selection)
    # customs' decision never reads the agencies' profiles
    assert not [r for r in customs_hits(ctx, row.id) if r.startswith(("PH-", "VET-"))]


def test_a_customs_profile_still_weighs_on_customs_and_not_on_the_agency(
        ctx: Context) -> None:
    world: World = agency_world(ctx)
    data = profile("CUS-EG-FRUIT", FRUIT_FROM_EG, agency=None, min_channel="yellow")
    profiles.create(ctx, parse_profile(data), "analyst")
    profiles.activate(ctx, "CUS-EG-FRUIT", None, "analyst")
    row = lodge(ctx, world, "SW-CUSTOMS", [CERTIFIED])
    assert tasks(ctx, row)["PH"].selected is False
    assert "CUS-EG-FRUIT v1" in customs_hits(ctx, row.id)


def test_a_profile_naming_an_unknown_agency_is_refused(ctx: Context) -> None:
    agency_world(ctx)
    with pytest.raises(ClearwayError) as refused:
        profiles.create(ctx, parse_profile(profile("ZZ-1", FRUIT_FROM_EG, agency="ZZ")), "a")
    assert refused.value.code == "CW-AGENCY-UNKNOWN"
