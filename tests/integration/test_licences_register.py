"""The register's use cases: who reads and who changes which licences, amendments that keep
what is written off, status changes, the administrator's CSV import; every change audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.errors import ClearwayError, DocumentInvalid
from clearway.identity import Role, User
from clearway.licences import service
from clearway.licences.importing import import_text
from clearway.licences.schemas import LicenceTerms
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import AuditRow
from controls_world import force
from helpers import OTHER_TRADER, TRADER
from licences_world import (
    AGENCY,
    IMPORTER,
    OFFICER,
    OTHER_AGENCY,
    declaring,
    licence_data,
    lodge,
    register,
)

OTHER_HOLDER = User(id=905, name="lic-other", role=Role.TRADER, trader_id=OTHER_TRADER)
SUPERVISOR = User(id=906, name="lic-sup", role=Role.AGENCY_SUPERVISOR, trader_id="DUL")


@pytest.fixture
def two(ctx: Context) -> Context:
    """Licence 1: DUL's, held by TRADER; licence 2: VET's, held by OTHER_TRADER."""
    prepare(ctx)
    register(ctx)
    register(ctx, OTHER_AGENCY, type="C640", number="CHED-1", holder=OTHER_TRADER,
             lines=[{"hs_prefix": "0201", "description": "Beef", "quantity": "5000",
                     "unit": "kg"}])
    return ctx


READERS = [(OFFICER, {1, 2}), (AGENCY, {1}), (SUPERVISOR, {1}), (OTHER_AGENCY, {2}),
           (IMPORTER, {1}), (OTHER_HOLDER, {2})]


@pytest.mark.parametrize(("user", "sees"), READERS, ids=[u.name for u, _ in READERS])
def test_each_reader_sees_its_own(two: Context, user: User, sees: set[int]) -> None:
    assert {lic.id for lic in service.listing(two, user)} == sees
    assert service.listing(two, user, holder="XX1") == []
    for licence_id in (1, 2):
        if licence_id in sees:
            assert service.get(two, licence_id, user)[0].id == licence_id
        else:
            with pytest.raises(ClearwayError) as hidden:
                service.get(two, licence_id, user)
            assert hidden.value.code == "CW-NOT-FOUND"


def terms(**changes: Any) -> LicenceTerms:
    data = licence_data(**changes)
    return LicenceTerms.model_validate({k: v for k, v in data.items()
                                        if k not in ("type", "number", "holder")})


CHANGES: list[tuple[User, int, str]] = [
    (OTHER_AGENCY, 1, "CW-NOT-FOUND"), (AGENCY, 2, "CW-NOT-FOUND"),
    (OFFICER, 1, "CW-FORBIDDEN"), (IMPORTER, 1, "CW-FORBIDDEN"),  # the holder reads it
]


@pytest.mark.parametrize(("user", "licence_id", "code"), CHANGES,
                         ids=[f"{u.name}-{n}" for u, n, _ in CHANGES])
def test_an_agency_changes_only_its_own(two: Context, user: User, licence_id: int,
                                        code: str) -> None:
    for change in (lambda: service.amend(two, licence_id, terms(), user),
                   lambda: service.change_status(two, licence_id, "suspend", "why", user)):
        with pytest.raises(ClearwayError) as refused:
            change()
        assert refused.value.code == code
    with pytest.raises(ClearwayError) as refused:
        register(two, user if user.role != Role.AGENCY_OFFICER else OFFICER, number="NEW")
    assert refused.value.code == "CW-FORBIDDEN"


def test_amendment_keeps_what_is_written_off(two: Context) -> None:
    force(two, Channel.GREEN, None)
    assert lodge(two, declaring()).kind == "created"  # 100 kg of 400
    line = {"hs_prefix": "8510", "description": "Shavers", "unit": "kg"}
    lic = service.amend(two, 1, terms(lines=[{**line, "quantity": "250"}]), SUPERVISOR)
    assert lic.lines[0].remaining_quantity == Decimal("150")
    for bad in ([{**line, "quantity": "99"}], [{"hs_prefix": "01", "description": "x",
                                               "value": "5", "currency": "EUR"}]):
        with pytest.raises(ClearwayError) as refused:
            service.amend(two, 1, terms(lines=bad), AGENCY)
        assert refused.value.code == "CW-LIC-AMEND"
    grown = service.amend(two, 1, terms(lines=[{**line, "quantity": "250"},
                                               {**line, "hs_prefix": "8509", "quantity": "9"}]),
                          AGENCY)
    assert [ln.remaining_quantity for ln in grown.lines] == [Decimal("150"), Decimal("9")]


def test_status_changes_and_their_audit(two: Context) -> None:
    service.change_status(two, 1, "suspend", "misuse suspected", AGENCY)
    for action in ("suspend", "reinstate", "revoke"):
        if action != "suspend":
            service.change_status(two, 1, action, "decided", AGENCY)
    for action in ("reinstate", "suspend", "revoke"):
        with pytest.raises(ClearwayError) as refused:
            service.change_status(two, 1, action, "again", AGENCY)
        assert refused.value.code == "CW-LIC-STATE"
    with pytest.raises(ClearwayError) as refused:
        service.amend(two, 1, terms(), AGENCY)
    assert refused.value.code == "CW-LIC-STATE"
    with two.uow(read_only=True) as uow:
        trail = [(a.actor, a.action, a.object_id) for a in uow.session.execute(
            select(AuditRow).where(AuditRow.object_type == "licence").order_by(AuditRow.id)
        ).scalars()]
    assert trail == [
        ("agency_officer:lic-agency", "licence.registered", "L001 IMP-1"),
        ("agency_officer:lic-vet", "licence.registered", "C640 CHED-1"),
        ("agency_officer:lic-agency", "licence.suspended", "L001 IMP-1"),
        ("agency_officer:lic-agency", "licence.valid", "L001 IMP-1"),
        ("agency_officer:lic-agency", "licence.revoked", "L001 IMP-1")]


def test_registering_a_number_twice_is_refused(two: Context) -> None:
    with pytest.raises(ClearwayError) as refused:
        register(two)
    assert refused.value.code == "CW-LIC-EXISTS"


HEADER = ("type,number,holder,agency,valid_from,valid_to,countries,end_user,single_use,"
          "hs_prefix,description,quantity,unit,value,currency\n")


def test_import_for_any_agency_all_or_nothing(two: Context) -> None:
    good = (HEADER + f"X002,DU-7,{TRADER},DUL,2026-01-01,2026-12-31,IR;CN,Reactor plant,yes,"
            "8401,Reactor parts,3,p/st,,\n"
            f"X002,DU-7,{TRADER},DUL,2026-01-01,2026-12-31,,,,8402,Boilers,,,90000,EUR\n"
            f"L001,IMP-1,{TRADER},DUL,2026-01-01,2026-12-31,,,,8510,Shavers,1,kg,,\n")
    done = import_text(two, good, "cli:admin")
    assert (done.created, done.existing) == (["X002 DU-7"], ["L001 IMP-1"])
    (lic,) = service.listing(two, OFFICER, number="DU-7")
    assert (lic.countries, lic.single_use, lic.end_user, len(lic.lines)) == (
        ("IR", "CN"), True, "Reactor plant", 2)
    bad = HEADER + f"X002,DU-8,{TRADER},,2026-01-01,2025-12-31,,,,8401,Parts,3,,,\n"
    with pytest.raises(DocumentInvalid) as refused:
        import_text(two, bad, "cli:admin")
    assert {e.code for e in refused.value.errors} == {"CW-LIC-FIELD"}
    assert len(refused.value.errors) == 2  # the line (its unit) and the agency
    with pytest.raises(DocumentInvalid) as refused:
        import_text(two, "type,number\n", "cli:admin")
    assert [e.code for e in refused.value.errors] == ["CW-LIC-FILE"]
    assert service.listing(two, OFFICER, number="DU-8") == []


def test_cli_import_and_list(ctx: Context, run: Any, tmp_path: Any) -> None:
    from clearway.cli.main import app

    prepare(ctx)
    path = tmp_path / "licences.csv"
    path.write_text(HEADER + f"C640,CHED-9,{TRADER},VET,2026-01-01,2026-12-31,AR,,no,"
                    "0201,Beef,2000,kg,,\n")
    done = run.invoke(app, ["licences", "import", str(path)])
    assert done.exit_code == 0, done.output
    assert "1 licences imported, 0 already" in done.output
    listed = run.invoke(app, ["licences", "list", "--agency", "VET"])
    assert listed.exit_code == 0 and "CHED-9" in listed.output  # a narrow table: cells wrap
    (lic,) = service.listing(ctx, OFFICER, number="CHED-9")
    assert (lic.agency, lic.countries, lic.lines[0].remaining_quantity) == ("VET", ("AR",),
                                                                            Decimal("2000"))
    path.write_text(HEADER + "C640,CHED-10,,VET,2026-01-01,2026-12-31,,,,0201,Beef,1,kg,,\n")
    refused = run.invoke(app, ["licences", "import", str(path)])
    assert refused.exit_code == 2 and "CW-LIC-FIELD" in refused.output
