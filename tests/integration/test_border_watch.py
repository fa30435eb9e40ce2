"""The shared watch lists on SQLite and PostgreSQL: a booth record whose vehicle, trailer,
container or driver is listed raises an alert (normalised values, validity dates, kinds);
an accepted declaration or ENS with a listed container or company raises one inside the
acceptance transaction (gone with it when the acceptance fails); each alert is stored once
and seen only by the services concerned (persons never by an agency); every read of
entries and alerts is in the access log; closing an alert is audited."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter
from sqlalchemy import func, select

from clearway.border import service as border
from clearway.border.booth import Presented
from clearway.border.model import Booth, CrossingPoint
from clearway.border.people import Person
from clearway.clearance import acceptance, lodging
from clearway.clearance.watch import on_accepted
from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.declarations.model import AnyDeclaration
from clearway.demo.generator import DeclarationGenerator
from clearway.errors import ClearwayError
from clearway.identity import Role, User
from clearway.prearrival import service as booth_service
from clearway.storage.orm import AuditRow, DeclarationRow
from clearway.storage.orm_border import WatchAlertRow
from clearway.storage.orm_privacy import AccessLogRow
from conftest import NOW
from helpers import TRADER, import_doc

SECRET = base64.b64encode(b"b" * 32).decode()
TRADER_USER = User(id=1, name="t", role=Role.TRADER, trader_id=TRADER)
OFFICER = User(id=2, name="booth", role=Role.OFFICER, trader_id=None)
ANALYST = User(id=3, name="ana", role=Role.RISK_ANALYST, trader_id=None)
POLICE = User(id=4, name="bp", role=Role.BORDER_POLICE, trader_id=None)
PH = User(id=5, name="ph", role=Role.AGENCY_OFFICER, trader_id="PH")
VET = User(id=6, name="vet", role=Role.AGENCY_SUPERVISOR, trader_id="VET")
DRIVER = Person("Marko Marković", "P1234567", "RS")
OFFICE = "RS003001"


@pytest.fixture
def ctx(db_url: str, tmp_path: Path) -> Iterator[Context]:
    keys = tmp_path / "keys.yaml"
    keys.write_text(f"- agreement: border\n  id: b1\n  secret: \"{SECRET}\"\n"
                    "  valid_from: 2026-01-01\n", encoding="utf-8")
    context = build_context(Settings(database_url=db_url, environment="test",
                                     country_code="RS", token_cache_seconds=0,
                                     pseudonym_keys_file=str(keys)),
                            clock=FixedClock(NOW), rng=random.Random(3))
    border.load_packaged_points(context)
    yield context
    context.engine.dispose()


def listed(ctx: Context, who: User, kind: str, value: str | None = None, *,
           shared: tuple[str, ...] = (), person: Person | None = None,
           **validity: Any) -> int:
    return border.add_entry(ctx, who, border.NewEntry(
        kind=kind, value=value, reason=f"watch {kind}", shared_with=shared, person=person,
        **validity)).id


def cross(ctx: Context, vehicle: str, **given: Any) -> booth_service.CrossingResult:
    driver = given.pop("driver", None)
    return booth_service.record_crossing(
        ctx, OFFICER, None, vehicle, given.pop("containers", []), [], None,
        border=Presented(Booth(point="RS-HORGOS", **given), driver=driver))


YESTERDAY, TOMORROW = NOW.date() - timedelta(days=1), NOW.date() + timedelta(days=1)
CASES = [
    # (entry kind, listed value, validity, booth record, field that hits or None)
    ("vehicle", "BG 777-XX", {}, {"vehicle": "bg777xx"}, "vehicle"),
    ("vehicle", "bg-777-xx", {}, {"vehicle": "BG 777 XX"}, "vehicle"),
    ("vehicle", "NS-111-TR", {}, {"vehicle": "BG1", "trailer": "ns 111 tr"}, "trailer"),
    ("container", "MSKU 123456-7", {}, {"vehicle": "BG1", "containers": ["msku1234567"]},
     "containers"),
    ("vehicle", "BG777XX", {"valid_from": TOMORROW}, {"vehicle": "BG777XX"}, None),
    ("vehicle", "BG777XX", {"valid_from": YESTERDAY - timedelta(days=5),
                            "valid_to": YESTERDAY}, {"vehicle": "BG777XX"}, None),
    ("vehicle", "BG777XX", {"valid_to": NOW.date()}, {"vehicle": "BG777XX"}, "vehicle"),
    ("container", "BG777XX", {}, {"vehicle": "BG777XX"}, None),   # another kind's facet
    ("vehicle", "BG777XY", {}, {"vehicle": "BG777XX"}, None),
]


@pytest.mark.parametrize(("kind", "value", "validity", "record", "field"), CASES)
def test_a_booth_record_hits_the_listed_vehicle_trailer_or_container(
        ctx: Context, kind: str, value: str, validity: dict[str, date],
        record: dict[str, Any], field: str | None) -> None:
    entry = listed(ctx, ANALYST, kind, value, **validity)
    done = cross(ctx, **record)
    assert [(a.entry_id, a.field) for a in done.alerts] == ([(entry, field)] if field else [])


def test_a_listed_driver_hits_by_pseudonym_and_no_name_is_stored(ctx: Context) -> None:
    entry = listed(ctx, POLICE, "person", person=Person("MARKO  Markovic", "p-1234567", "RS"))
    done = cross(ctx, "BG1", driver=DRIVER)
    (alert,) = done.alerts
    assert (alert.entry_id, alert.field, alert.kind) == (entry, "driver", "person")
    assert alert.matched.startswith("ps1:b1:")
    with ctx.uow(read_only=True) as uow:
        stored = json.dumps([str(v) for r in uow.session.execute(
            select(WatchAlertRow)).scalars() for v in vars(r).values()])
    assert "Markovi" not in stored and "1234567" not in stored


def test_a_person_is_never_shared_with_an_agency(ctx: Context) -> None:
    with pytest.raises(ClearwayError) as refused:
        listed(ctx, POLICE, "person", person=DRIVER, shared=("PH",))
    assert refused.value.code == "CW-BORDER-WATCH"


@pytest.mark.parametrize(("kind", "value", "field"), [
    ("container", "mscu 123456-6", "containers"),
    ("company", "Shanghai Clippers Co", "exporter"),
    ("company", "rs100234567", "declarant, importer"),
])
def test_an_accepted_declaration_with_a_listed_value_raises_an_alert(
        ctx: Context, kind: str, value: str, field: str) -> None:
    entry = listed(ctx, ANALYST, kind, value, shared=("border_police", "PH"))
    out = lodging.submit(ctx, json.dumps(import_doc(lrn="W-1")).encode(), "application/json",
                         TRADER_USER)
    assert out.kind == "created", out.errors
    (alert,) = border.list_alerts(ctx, PH)
    assert (alert.entry_id, alert.object_type, alert.object_ref, alert.field) == (
        entry, "declaration", out.row.mrn, field)
    assert alert.raised_at == NOW
    assert [a.id for a in border.list_alerts(ctx, POLICE)] == [alert.id]
    assert border.list_alerts(ctx, VET) == []


def test_an_accepted_ens_with_a_listed_container_raises_an_alert(ctx: Context) -> None:
    entry = listed(ctx, ANALYST, "container", "MSKU 777777-0")
    gen = DeclarationGenerator(ctx.refdata.get(), random.Random(4), NOW.date())
    data = json.loads(gen.entry_summary("ENS-W-1", declarant=TRADER)
                      .model_dump_json(exclude_none=True))
    data["containers"] = [{"number": "MSKU7777770", "seals": ["S1"]}]
    out = lodging.submit(ctx, json.dumps(data).encode(), "application/json", TRADER_USER)
    assert out.kind == "created", out.errors
    (alert,) = border.list_alerts(ctx, ANALYST)
    assert (alert.entry_id, alert.object_type, alert.object_ref, alert.field) == (
        entry, "ens", out.row.mrn, "containers")


def test_the_alert_goes_with_a_failed_acceptance(ctx: Context,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    listed(ctx, ANALYST, "container", "MSCU1234566")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the decision could not be stored")

    monkeypatch.setattr(acceptance.risk_repo, "save_decision", broken)
    with pytest.raises(RuntimeError):
        lodging.submit(ctx, json.dumps(import_doc(lrn="W-2")).encode(), "application/json",
                       TRADER_USER)
    with ctx.uow(read_only=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(WatchAlertRow)) == 0
        assert uow.session.scalar(select(func.count()).select_from(DeclarationRow)) == 0


def test_an_alert_is_stored_once_per_entry_and_document(ctx: Context) -> None:
    listed(ctx, ANALYST, "container", "MSCU1234566")
    out = lodging.submit(ctx, json.dumps(import_doc(lrn="W-3")).encode(), "application/json",
                         TRADER_USER)
    with ctx.uow() as uow:
        row = uow.session.get_one(DeclarationRow, out.row.id)
        doc = TypeAdapter(AnyDeclaration).validate_python(row.document)
        again = on_accepted(uow.session, row, doc, now=NOW + timedelta(hours=1))
        uow.commit()
    assert len(again) == 1
    assert len(border.list_alerts(ctx, ANALYST)) == 1


def test_alerts_are_seen_by_the_services_concerned_only(ctx: Context) -> None:
    listed(ctx, ANALYST, "vehicle", "BG1", shared=("PH",))
    listed(ctx, POLICE, "person", person=DRIVER, shared=("customs",))
    listed(ctx, VET, "container", "MSKU1234567")
    cross(ctx, "BG1", containers=["MSKU1234567"], driver=DRIVER)
    seen = {who.name: sorted(str(a.kind) for a in border.list_alerts(ctx, who))
            for who in (OFFICER, POLICE, PH, VET)}
    assert seen == {"booth": ["person", "vehicle"], "bp": ["person"], "ph": ["vehicle"],
                    "vet": ["container"]}


def test_every_read_of_entries_and_alerts_is_logged(ctx: Context) -> None:
    entry = listed(ctx, ANALYST, "vehicle", "BG1")
    (alert,) = cross(ctx, "BG1").alerts
    border.list_entries(ctx, OFFICER)
    border.list_alerts(ctx, OFFICER)
    border.get_alert(ctx, OFFICER, alert.id)
    border.list_entries(ctx, PH)   # sees nothing: the read is logged all the same
    with ctx.uow(read_only=True) as uow:
        log = [(r.actor, r.action, r.record, r.detail, r.at) for r in uow.session.scalars(
            select(AccessLogRow).order_by(AccessLogRow.id))]
    assert log == [
        ("officer:booth", "list", "watch-entry:list", {"watch-entry": [entry]}, NOW),
        ("officer:booth", "list", "watch-alert:list", {"watch-alert": [alert.id]}, NOW),
        ("officer:booth", "read", f"watch-alert:{alert.id}", {"watch-alert": [alert.id]}, NOW),
        ("agency_officer:ph", "list", "watch-entry:list", {"watch-entry": []}, NOW)]


def test_closing_an_alert_is_audited_and_happens_once(ctx: Context) -> None:
    listed(ctx, ANALYST, "vehicle", "BG1")
    (alert,) = cross(ctx, "BG1").alerts
    with pytest.raises(ClearwayError) as hidden:
        border.close_alert(ctx, PH, alert.id, "not ours")
    assert hidden.value.code == "CW-BORDER-ALERT-NOT-FOUND"
    closed = border.close_alert(ctx, OFFICER, alert.id, "vehicle searched, nothing found")
    assert (closed.status, closed.closed_by) == ("closed", "officer:booth")
    with pytest.raises(ClearwayError) as again:
        border.close_alert(ctx, OFFICER, alert.id, "twice")
    assert again.value.code == "CW-BORDER-ALERT-CLOSED"
    with ctx.uow(read_only=True) as uow:
        (entry,) = uow.session.scalars(select(AuditRow).where(
            AuditRow.action == "border.alert.close")).all()
    assert (entry.actor, entry.object_id) == ("officer:booth", str(alert.id))
    assert entry.detail["reason"] == "vehicle searched, nothing found"


def test_only_the_owner_ends_an_entry(ctx: Context) -> None:
    entry = listed(ctx, POLICE, "vehicle", "BG1", shared=("customs",))
    with pytest.raises(ClearwayError) as refused:
        border.end_entry(ctx, ANALYST, entry, "not ours to end")
    assert refused.value.code == "CW-BORDER-WATCH-OWNER"
    border.end_entry(ctx, POLICE, entry, "driver cleared")
    assert cross(ctx, "BG1").alerts == []


def test_crossings_of_a_document_give_the_times(ctx: Context) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    first = cross(ctx, "BG1", declarations=("26rs000000000001r0",))
    clock.advance(hours=2)
    second = cross(ctx, "BG1", direction="exit", ens=("26RS000000000001R0",))
    found = border.crossings_of(ctx, "26RS000000000001R0")
    assert [(c["id"], c["direction"], c["recorded_at"], c["presented_as"], c["point"])
            for c in found] == [
        (first.crossing_id, "entry", NOW, "declaration", "RS-HORGOS"),
        (second.crossing_id, "exit", NOW + timedelta(hours=2), "ens", "RS-HORGOS")]


@pytest.mark.parametrize(("point", "office", "code"), [
    ("RS-PRESEVO", OFFICE, "CW-BORDER-POINT-NOT-FOUND"),
    ("XX-NOWHERE", None, "CW-BORDER-POINT-NOT-FOUND"),
    (None, None, "CW-PRE-CROSSING"),
])
def test_a_booth_record_names_a_point_at_its_office(ctx: Context, point: str | None,
                                                    office: str | None, code: str) -> None:
    with pytest.raises(ClearwayError) as refused:
        booth_service.record_crossing(ctx, OFFICER, office, "BG1", [], [], None,
                                      border=Presented(Booth(point=point)))
    assert refused.value.code == code


def test_an_administrator_edits_a_point_audited(ctx: Context) -> None:
    admin = User(id=9, name="root", role=Role.ADMINISTRATOR, trader_id=None)
    border.save_point(ctx, admin, CrossingPoint(
        code="rs-horgos", name="Horgos", office=OFFICE, neighbour="hu", modes=("road",),
        agencies=("ph", "VET")))
    (point,) = [p for p in border.crossing_points(ctx) if p.code == "RS-HORGOS"]
    assert (point.modes, point.agencies) == (("road",), ("PH", "VET"))
    with ctx.uow(read_only=True) as uow:
        (entry,) = uow.session.scalars(select(AuditRow).where(
            AuditRow.action == "border.point")).all()
    assert entry.detail["before"]["modes"] == ["rail", "road"]
    with pytest.raises(ClearwayError) as refused:
        border.save_point(ctx, admin, CrossingPoint(
            code="RS-X", name="X", office="MK002001", neighbour="HU", modes=("road",),
            agencies=()))
    assert refused.value.code == "CW-BORDER-POINT"
