"""Write-offs given back (amendment, cancellation, invalidation) and never taken twice
(identical retries, racing declarations); the dual-use "FAKE-0000" export stopped."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import select

from clearway.bootstrap import prepare
from clearway.clearance import changes, lodging, officer_actions
from clearway.clearance.licences import verified_on
from clearway.context import Context
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.errors import DocumentInvalid
from clearway.licences import service
from clearway.risk.engine.decision import Channel
from clearway.screening.service import load_list
from clearway.storage.orm_licences import LicenceWriteOffRow
from controls_world import force
from helpers import TRADER
from licences_world import (
    AGENCY,
    IMPORTER,
    LISTED_END_USER,
    OFFICER,
    balance,
    declaring,
    lodge,
    register,
)


@pytest.fixture
def world(ctx: Context) -> Context:
    prepare(ctx)
    force(ctx, Channel.GREEN, None)
    return ctx


def write_offs(ctx: Context) -> list[tuple[int, str | None]]:
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(select(LicenceWriteOffRow).order_by(LicenceWriteOffRow.id))
        return [(r.version, r.reversal) for r in rows.scalars()]


@pytest.mark.parametrize("how", ["cancel", "invalidate"])
def test_cancellation_and_invalidation_give_back(world: Context, how: str) -> None:
    register(world)
    row = lodge(world, declaring(lrn="REV-1")).row
    assert balance(world) == (Decimal("300"), None)
    if how == "cancel":
        changes.cancel(world, row.mrn or "", "ordered by mistake", IMPORTER)
    else:
        officer_actions.officer_action(world, row.mrn or "", "invalidate", "goods never came",
                                       OFFICER)
    assert balance(world) == (Decimal("400"), None)
    wanted = S.CANCELLED if how == "cancel" else S.INVALIDATED
    assert write_offs(world) == [(1, wanted)]  # kept, stamped, never deleted
    _lic, listed = service.get(world, 1, AGENCY)
    assert listed[0].reversed_at is not None and listed[0].mrn == row.mrn


def amended(mrn: str, **item: str) -> bytes:
    doc = declaring(lrn="AMD-1", **item)
    return json.dumps(doc).encode()


def test_amendment_reverses_and_writes_off_the_new_version(world: Context) -> None:
    register(world)
    mrn = lodge(world, declaring(lrn="AMD-1")).row.mrn or ""
    changes.amend_by_key(world, mrn, amended(mrn, net_mass="150", gross_mass="170"),
                         "application/json", IMPORTER)
    assert balance(world) == (Decimal("250"), None)
    assert write_offs(world) == [(1, "amended"), (2, None)]
    with world.uow(read_only=True) as uow:
        (row_id,) = uow.session.execute(select(LicenceWriteOffRow.declaration_id).where(
            LicenceWriteOffRow.version == 2)).scalars()
        verified = verified_on(uow.session, row_id)
    assert verified.codes_of(1) == {"L001"} and verified.codes_of(2) == frozenset()


def test_failing_amendment_changes_nothing(world: Context) -> None:
    register(world)
    mrn = lodge(world, declaring(lrn="AMD-1")).row.mrn or ""
    with pytest.raises(DocumentInvalid) as refused:
        changes.amend_by_key(world, mrn, amended(mrn, net_mass="401", gross_mass="420"),
                             "application/json", IMPORTER)
    assert [e.code for e in refused.value.errors] == ["CW-LIC-EXHAUSTED"]
    assert balance(world) == (Decimal("300"), None)
    assert write_offs(world) == [(1, None)]


def test_identical_retry_never_writes_off_twice(world: Context) -> None:
    register(world)
    first = lodge(world, declaring(lrn="RETRY-1"))
    again = lodge(world, declaring(lrn="RETRY-1"))
    assert (first.kind, again.kind, again.row.id) == ("created", "unchanged", first.row.id)
    assert balance(world) == (Decimal("300"), None)
    assert write_offs(world) == [(1, None)]


def test_identical_retry_of_the_last_quantity_answers_the_acceptance(world: Context) -> None:
    register(world, lines=[{"hs_prefix": "8510", "description": "Shavers",
                            "quantity": "100", "unit": "kg"}])
    first = lodge(world, declaring(lrn="LAST-1"))
    again = lodge(world, declaring(lrn="LAST-1"))  # the register is empty now
    assert (again.kind, again.row.id, again.row.status) == ("unchanged", first.row.id,
                                                            first.row.status)
    assert balance(world) == (Decimal("0"), None)


def test_dual_use_export_with_a_fake_licence_is_stopped(world: Context) -> None:
    """An export of HS 8401 (nuclear reactor parts) to a listed end user, declaring X002
    "FAKE-0000", which no agency issued: rejected, never released."""
    load_list(world, "list_id,entry_id,name,aliases,kind,countries,programs\n"
              f"EU,1,{LISTED_END_USER['name']},,entity,IR,nonproliferation\n",
              fmt="generic", list_id="EU", source="test.csv", user=OFFICER)
    doc = declaring("X002", "FAKE-0000", lrn="DU-1", commodity_code="840140",
                    description="Parts of nuclear reactors", origin_country="RS")
    doc.update(declaration_type="EX", exporter={"id": TRADER}, importer=None,
               consignee=LISTED_END_USER, destination_country="IR", dispatch_country="RS")
    out = lodge(world, doc)
    assert out.row.status == S.REJECTED and out.row.mrn is None
    assert [(e.code, e.pointer) for e in out.errors] == [
        ("CW-LIC-UNKNOWN", "/items/0/documents/0")]


def test_racing_declarations_never_overdraw(world: Context) -> None:
    """Eight declarations of 60 kg each race for a line of 100 kg, each in its own unit of
    work on its own thread: exactly one wins, the others are told the line is exhausted."""
    register(world, lines=[{"hs_prefix": "8510", "description": "Shavers",
                            "quantity": "100", "unit": "kg"}])

    def one(n: int) -> tuple[str, list[str]]:
        doc = declaring(lrn=f"RACE-{n}", net_mass="60", gross_mass="70")
        out = lodging.submit(world, json.dumps(doc).encode(), "application/json", IMPORTER)
        return out.kind, [e.code for e in out.errors]

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(one, range(8)))
    assert sorted(k for k, _ in answers) == ["created"] + ["rejected"] * 7
    assert {tuple(codes) for k, codes in answers if k == "rejected"} == {("CW-LIC-EXHAUSTED",)}
    assert balance(world) == (Decimal("40"), None)
    assert write_offs(world) == [(1, None)]


def test_a_rejected_filing_is_checked_again_once_the_licence_is_registered(
        world: Context) -> None:
    first = lodge(world, declaring(lrn="LATE-1"))
    again = lodge(world, declaring(lrn="LATE-1"))  # the same rejection, answered as stored
    assert (first.kind, again.kind, again.row.id) == ("rejected", "rejected", first.row.id)
    register(world)
    accepted = lodge(world, declaring(lrn="LATE-1"))
    assert accepted.kind == "created" and accepted.row.id != first.row.id
    assert balance(world) == (Decimal("300"), None)


def test_dual_use_fake_licence_at_header_level_is_stopped_too(world: Context) -> None:
    doc = declaring("N935", "INV-1", lrn="DU-2", commodity_code="840140",
                    description="Parts of nuclear reactors", origin_country="RS")
    doc.update(declaration_type="EX", exporter={"id": TRADER}, importer=None,
               consignee=LISTED_END_USER, destination_country="IR", dispatch_country="RS",
               documents=[{"code": "X002", "reference": "FAKE-0000"}])
    out = lodge(world, doc)
    assert out.row.status == S.REJECTED
    assert [(e.code, e.pointer) for e in out.errors] == [("CW-LIC-UNKNOWN", "/documents/0")]
