"""The regulatory matrix as analysts keep it: a proposed version applies only once another
analyst or a supervisor approved it, from its first day; the acceptance routes by the
version valid that day; agencies and agency users, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from agency_world import SHAVERS, green, lodge, tasks
from clearway.agencies import service
from clearway.agencies.model import Agency, AgencyKind
from clearway.bootstrap import prepare
from clearway.cli.main import app
from clearway.context import Context
from clearway.errors import ClearwayError, DocumentInvalid
from controls_world import World, office, staff

HEADER = ("id,hs_prefix,agency,formality,declaration_types,procedures,origins,destinations,"
          "intended_use,documents,move_before_decision,valid_from,valid_to\n")
SHAVERS_TO_MS = HEADER + "MS-SHAVERS,851010,MS,inspection,IM,40,,,,,no,,\n"


@pytest.fixture
def world(ctx: Context) -> World:
    prepare(ctx)
    made = office(ctx)
    green(ctx)
    return made


def test_a_version_applies_from_its_day_once_another_analyst_approved_it(
        ctx: Context, world: World) -> None:
    one, two = staff(ctx, "ana-1", "risk_analyst"), staff(ctx, "ana-2", "risk_analyst")
    today = ctx.clock.now().date()
    proposed = service.propose(ctx, SHAVERS_TO_MS, valid_from=today, note="shavers", user=one)
    assert tasks(ctx, lodge(ctx, world, "MX-BEFORE", [SHAVERS])) == {}   # not approved yet
    with pytest.raises(ClearwayError) as own:
        service.approve(ctx, proposed.id, one)
    assert own.value.code == "CW-FOUR-EYES"
    service.approve(ctx, proposed.id, two)
    with pytest.raises(ClearwayError) as twice:
        service.approve(ctx, proposed.id, two)
    assert twice.value.code == "CW-MATRIX-STATE"
    assert list(tasks(ctx, lodge(ctx, world, "MX-AFTER", [SHAVERS]))) == ["MS"]
    earlier = service.version_on(ctx, today - timedelta(days=1))
    assert earlier is not None and earlier.number != proposed.id
    assert [r.id for r in service.version_on(ctx, today).rules] == ["MS-SHAVERS"]


def test_a_version_cannot_start_before_the_current_one_nor_name_unknown_agencies(
        ctx: Context, world: World) -> None:
    one, sup = staff(ctx, "ana-1", "risk_analyst"), staff(ctx, "sup-2", "supervisor")
    early = service.propose(ctx, SHAVERS_TO_MS, valid_from=date(1999, 1, 1), note=None,
                            user=one)
    with pytest.raises(ClearwayError) as before:
        service.approve(ctx, early.id, sup)
    assert before.value.code == "CW-MATRIX-DATE"
    with pytest.raises(DocumentInvalid) as unknown:
        service.propose(ctx, SHAVERS_TO_MS.replace(",MS,", ",XX,"), valid_from=None,
                        note=None, user=one)
    assert [i.code for i in unknown.value.errors] == ["CW-MATRIX-FILE"]
    rejected = service.reject(ctx, early.id, "starts too early", sup)
    assert rejected.status == "rejected"


def test_agencies_are_added_once_and_agency_users_need_an_existing_agency(
        ctx: Context, world: World, run: CliRunner) -> None:
    assert {a.code for a in service.list_agencies(ctx)} == {"PH", "VET", "PHA", "MS", "DUL"}
    service.add_agency(ctx, Agency("CITES", "Endangered species", AgencyKind.OTHER), "test")
    with pytest.raises(ClearwayError) as again:
        service.add_agency(ctx, Agency("CITES", "Again", AgencyKind.OTHER), "test")
    assert again.value.code == "CW-AGENCY-EXISTS"
    refused = run.invoke(app, ["users", "create", "zz-1", "--role", "agency_officer",
                               "--trader", "ZZ"])
    assert refused.exit_code == 2 and "no agency 'ZZ'" in refused.output
    made = run.invoke(app, ["users", "create", "cites-1", "--role", "agency_officer",
                            "--trader", "CITES"])
    assert made.exit_code == 0, made.output
