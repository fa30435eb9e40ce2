"""The entry side on a seeded stream: North Macedonia (MK) receives Serbia's (RS) anticipated
arrivals and matches them with what arrives (import declarations, an ENS, booth records),
with discrepancies of every alarm kind planted and clean pairs that must raise none (alarm
precision and recall 1.0); each match confirms the arrival back through the outbox; the
sweep raises no-arrival; an arrival nobody announced raises no-exit-record, closed when the
announcement comes later. One case runs end to end between two installations over HTTP."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from clearway.clearance import lodging
from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.declarations.mrn import make_mrn
from clearway.demo.generator import DeclarationGenerator
from clearway.exchange import service as exchange
from clearway.exchange import signing
from clearway.exchange.delivery import deliver_once
from clearway.exchange.inbound import Incoming
from clearway.exchange.model import ExchangeRefused
from clearway.identity import Role, User
from clearway.prearrival import service
from clearway.prearrival.arrivals import receive_announcement
from clearway.prearrival.model import AlarmKind as K
from clearway.privacy.pseudonyms import load, normalised, pseudonymise
from clearway.storage.orm_exchange import OutboxRow
from clearway.storage.orm_prearrival import AlarmRow, ArrivalRow
from conftest import NOW
from exchange_world import AGREEMENT, AGREEMENT_FILE, Pair, envelope, open_pair
from helpers import TRADER, import_doc

TRADER_USER = User(id=1, name="t", role=Role.TRADER, trader_id=TRADER)
OFFICER = User(id=2, name="booth", role=Role.OFFICER, trader_id=None)
ENTRY = "MK002001"
SECRET = base64.b64encode(b"s" * 32).decode()
PERSON = "Ana Petrović"


@pytest.fixture
def mk(db_url: str, tmp_path: Path) -> Iterator[Context]:
    keys = tmp_path / "pseudonym-keys.yaml"
    keys.write_text(f"- agreement: {AGREEMENT}\n  id: k1\n  secret: \"{SECRET}\"\n"
                    "  valid_from: 2026-01-01\n", encoding="utf-8")
    ctx = build_context(Settings(database_url=db_url, environment="test", country_code="MK",
                                 token_cache_seconds=0, pseudonym_keys_file=str(keys)),
                        clock=FixedClock(NOW), rng=random.Random(7))
    exchange.add_partner(ctx, "RS", "Customs RS", "https://rs.example/api/v1/exchange/inbox",
                         signing.public_pem(Ed25519PrivateKey.generate()), "administrator:t")
    exchange.import_agreements(ctx, AGREEMENT_FILE.read_text(encoding="utf-8"),
                               "administrator:t")
    yield ctx
    ctx.engine.dispose()


def mrn(n: int) -> str:
    return make_mrn(year=2026, country="RS", serial=n, kind="EX")


def announcement(n: int, *, minutes: int = 60, **changes: Any) -> dict[str, Any]:
    """What RS announces of VALID_IMPORT's goods leaving `minutes` before now."""
    payload: dict[str, Any] = {
        "mrn": mrn(n), "declaration_type": "EX",
        "exit_at": (NOW - timedelta(minutes=minutes)).isoformat(),
        "office_of_exit": "RS004002", "office_of_entry": ENTRY,
        "transport": {"vehicle": f"BG-{n:03d}-AA", "nationality": "RS"},
        "consignee": {"eori": TRADER, "country": "RS"},
        "goods_items": [
            {"sequence": 1, "hs6": "851010", "description": "Electric shavers",
             "packages": 20, "gross_mass": "120", "value": "1000", "currency": "EUR"},
            {"sequence": 2, "hs6": "610910", "description": "Cotton T-shirts",
             "packages": 10, "gross_mass": "55", "value": "500", "currency": "EUR"}]}
    payload.update(changes)
    return payload


def announce(ctx: Context, payload: dict[str, Any]) -> str:
    """Receive one announcement through the handler, as the inbox would."""
    env = envelope(NOW, from_party="RS", to_party="MK", action="anticipated-arrival",
                   payload_type="anticipated-arrival")
    with ctx.uow() as uow:
        receive_announcement(uow.session, ctx.settings, Incoming(env, payload, NOW))
        uow.commit()
    return env.message_id


def declare(ctx: Context, lrn: str, *, previous: str | None = None,
            item: dict[str, Any] | None = None, **changes: Any) -> int:
    doc = import_doc(lrn=lrn, invoice_currency="EUR", offices={"presentation": ENTRY},
                     **changes)
    if previous:
        doc["previous_documents"] = [{"type": "N830", "reference": previous}]
    doc["items"][0].update(item or {})
    out = lodging.submit(ctx, json.dumps(doc).encode(), "application/json", TRADER_USER)
    assert out.kind == "created", out.errors
    return out.row.id


def lodge_ens(ctx: Context, lrn: str, containers: list[dict[str, Any]]) -> None:
    gen = DeclarationGenerator(ctx.refdata.get(), random.Random(4), NOW.date())
    ens = gen.entry_summary(lrn, declarant=TRADER).model_copy(update={"containers": []})
    data = json.loads(ens.model_dump_json(exclude_none=True))
    data["containers"] = containers
    out = lodging.submit(ctx, json.dumps(data).encode(), "application/json", TRADER_USER)
    assert out.kind == "created", out.errors


def booth(ctx: Context, vehicle: str, **options: Any) -> service.CrossingResult:
    return service.record_crossing(ctx, OFFICER, ENTRY, vehicle, options.get("containers", []),
                                   options.get("seals", []), options.get("from_country", "RS"))


@dataclass
class Case:
    name: str
    announced: dict[str, Any]
    arrive: Any  # (ctx, n) -> None
    kinds: set[K] = field(default_factory=set)


def person(name: str) -> dict[str, Any]:
    return {"name": name, "address": {"country": "RS"}}


def _pseudonym(ctx: Context) -> str:
    found = pseudonymise(load(ctx.settings.pseudonym_keys_file), AGREEMENT,
                         normalised(PERSON, "RS"), NOW.date())
    assert found is not None
    return found


STREAM = [
    Case("clean declaration", announcement(1), lambda c, n: declare(c, "L1", previous=mrn(n))),
    Case("clean, by vehicle only", announcement(2),
         lambda c, n: declare(c, "L2", transport={"arrival_identity": "bg 002 aa"})),
    Case("gross mass", announcement(3),
         lambda c, n: declare(c, "L3", previous=mrn(n), item={"gross_mass": "150"}),
         {K.GROSS_MASS}),
    Case("packages", announcement(4), lambda c, n: declare(
        c, "L4", previous=mrn(n), total_packages=33,
        item={"packages": [{"kind": "CT", "count": 23}]}), {K.PACKAGES}),
    Case("value", announcement(5),
         lambda c, n: declare(c, "L5", previous=mrn(n), item={"item_price": "1500.00"},
                              invoice_amount="2000.00"), {K.VALUE}),
    Case("hs6", announcement(6),
         lambda c, n: declare(c, "L6", previous=mrn(n), item={"commodity_code": "851020"}),
         {K.HS6}),
    Case("consignee", announcement(7, consignee={"eori": "RS101456782", "country": "RS"}),
         lambda c, n: declare(c, "L7", previous=mrn(n)), {K.CONSIGNEE}),
    Case("transit too short", announcement(8, minutes=2),
         lambda c, n: declare(c, "L8", previous=mrn(n)), {K.TRANSIT_TOO_SHORT}),
    Case("transit too long", announcement(9, minutes=600),
         lambda c, n: declare(c, "L9", previous=mrn(n)), {K.TRANSIT_TOO_LONG}),
    Case("clean booth record", announcement(10, transport={
        "vehicle": "BG-010-AA", "containers": ["TGHU7654321"], "seals": ["S1", "S2"]}),
         lambda c, n: booth(c, "BG010AA", seals=["S2", "S1"], containers=["TGHU7654321"])),
    Case("seal replaced", announcement(11, transport={
        "vehicle": "BG-011-AA", "containers": ["CSQU3054384"], "seals": ["S1", "S2"]}),
         lambda c, n: booth(c, "BG 011 AA", seals=["S1", "S9"]), {K.SEALS}),
    Case("clean ENS by container", announcement(12, goods_items=None, consignee=None,
                                                transport={"containers": ["MSCU7654329"],
                                                           "seals": ["E1"]}),
         lambda c, n: lodge_ens(c, "E12", [{"number": "MSCU7654329", "seals": ["E1"]}])),
]


def kinds_of(ctx: Context, arrival_mrn: str) -> tuple[str, set[K]]:
    with ctx.uow(read_only=True) as uow:
        row = uow.session.scalars(select(ArrivalRow).where(ArrivalRow.mrn == arrival_mrn)).one()
        found = uow.session.scalars(select(AlarmRow.kind).where(
            AlarmRow.arrival_id == row.id)).all()
    return row.status, {K(k) for k in found}


def confirmations(ctx: Context) -> dict[str, dict[str, Any]]:
    """Exit confirmations in the outbox, by the announcement they answer."""
    with ctx.uow(read_only=True) as uow:
        tokens = uow.session.scalars(select(OutboxRow.token).where(
            OutboxRow.action == "exit-confirmation")).all()
    found = {}
    for token in tokens:
        env, payload = signing.peek(token)
        found[env.ref_to_message_id] = {"payload": payload, "conversation": env.conversation_id,
                                        "to": env.to_party, "purpose": env.purpose}
    return found


def test_a_seeded_stream_raises_every_planted_alarm_and_none_on_clean_pairs(
        mk: Context) -> None:
    sent = {}
    for n, case in enumerate(STREAM, start=1):
        sent[n] = announce(mk, case.announced)
    for n, case in enumerate(STREAM, start=1):
        case.arrive(mk, n)
    confirmed = confirmations(mk)
    for n, case in enumerate(STREAM, start=1):
        status, kinds = kinds_of(mk, mrn(n))
        assert (case.name, status, kinds) == (case.name, "arrived", case.kinds)
        answer = confirmed[sent[n]]  # the confirmation answers the announcement
        assert answer["to"] == "RS" and answer["purpose"] == "transit-control"
        assert answer["conversation"] == sent[n]
        assert answer["payload"]["mrn"] == mrn(n)
        assert answer["payload"]["result"] == ("arrived-with-discrepancies" if case.kinds
                                               else "arrived")
        assert set(answer["payload"].get("alarms", [])) == {str(k) for k in case.kinds}


@pytest.mark.parametrize("who", ["same person", "another person"])
def test_a_person_is_matched_by_pseudonym_and_never_named(mk: Context, who: str) -> None:
    announce(mk, announcement(1, consignee={"pseudonym": _pseudonym(mk)}))
    name = PERSON if who == "same person" else "Ana Petrovska"
    declare(mk, "P1", previous=mrn(1), importer=person(name))

    status, kinds = kinds_of(mk, mrn(1))
    assert status == "arrived"
    assert kinds == (set() if who == "same person" else {K.CONSIGNEE})
    with mk.uow(read_only=True) as uow:
        stored = json.dumps([r.evidence for r in uow.session.scalars(select(AlarmRow))])
    assert "Petrov" not in stored


def test_the_sweep_raises_no_arrival_and_a_late_arrival_answers_it(mk: Context) -> None:
    announce(mk, announcement(1, minutes=25 * 60))  # the crossing allows 24 hours
    announce(mk, announcement(2, minutes=60))

    assert service.sweep_overdue(mk) == 1
    assert service.sweep_overdue(mk) == 0  # once
    assert kinds_of(mk, mrn(1)) == ("overdue", {K.NO_ARRIVAL})
    assert kinds_of(mk, mrn(2)) == ("expected", set())

    declare(mk, "LATE", previous=mrn(1))
    status, kinds = kinds_of(mk, mrn(1))
    assert (status, kinds) == ("arrived", {K.NO_ARRIVAL, K.TRANSIT_TOO_LONG})
    with mk.uow(read_only=True) as uow:
        (no_arrival,) = uow.session.scalars(select(AlarmRow).where(
            AlarmRow.kind == str(K.NO_ARRIVAL)))
    assert no_arrival.status == "closed" and no_arrival.close_reason.startswith("arrived at")


def test_an_unannounced_mrn_raises_no_exit_record_closed_when_the_announcement_comes(
        mk: Context) -> None:
    declaration = declare(mk, "U1", previous=mrn(1))
    with mk.uow(read_only=True) as uow:
        (alarm,) = uow.session.scalars(select(AlarmRow))
    assert (alarm.kind, alarm.partner, alarm.mrn, alarm.declaration_id) == (
        str(K.NO_EXIT_RECORD), "RS", mrn(1), declaration)
    assert confirmations(mk) == {}

    message = announce(mk, announcement(1))

    with mk.uow(read_only=True) as uow:
        closed = uow.session.get(AlarmRow, alarm.id)
        assert closed is not None and closed.status == "closed"
        assert closed.close_reason.startswith("exit record arrived at")
    assert kinds_of(mk, mrn(1))[0] == "arrived"
    assert confirmations(mk)[message]["payload"]["result"] == "arrived"


def test_an_unannounced_vehicle_at_the_booth_is_answered_by_a_later_announcement(
        mk: Context) -> None:
    found = booth(mk, "BG-777-ZZ", seals=["S1"])
    assert [a.kind for a in found.alarms] == [K.NO_EXIT_RECORD] and found.arrival_id is None
    assert booth(mk, "BG-778-ZZ", from_country="TR").alarms == []  # not a partner

    message = announce(mk, announcement(1, transport={"vehicle": "BG 777 ZZ",
                                                      "seals": ["S1", "S3"]}))

    assert kinds_of(mk, mrn(1)) == ("arrived", {K.SEALS})
    assert confirmations(mk)[message]["payload"]["alarms"] == [str(K.SEALS)]
    with mk.uow(read_only=True) as uow:
        no_exit = uow.session.scalars(select(AlarmRow).where(
            AlarmRow.kind == str(K.NO_EXIT_RECORD))).one()
    assert no_exit.status == "closed"


@pytest.mark.parametrize(("office", "code"), [("RS004002", "CW-EXCH-PAYLOAD"),
                                              ("XX999999", "CW-EXCH-PAYLOAD")])
def test_an_announcement_for_an_office_not_ours_is_refused_and_not_stored(
        mk: Context, office: str, code: str) -> None:
    with pytest.raises(ExchangeRefused) as refused:
        announce(mk, announcement(1, office_of_entry=office))
    assert refused.value.code == code
    assert service.list_arrivals(mk, status=None, limit=10) == []


def test_tolerances_per_chapter_are_set_audited_and_used(mk: Context) -> None:
    analyst = User(id=3, name="a", role=Role.RISK_ANALYST, trader_id=None)
    service.set_tolerance(mk, "85", mass_pct="30", packages=0, value_pct="10", user=analyst)
    announce(mk, announcement(1))
    declare(mk, "T1", previous=mrn(1), item={"gross_mass": "150"})  # +25 % on chapter 85
    assert kinds_of(mk, mrn(1)) == ("arrived", set())
    with pytest.raises(Exception) as bad:
        service.set_tolerance(mk, "8", mass_pct="1", packages=0, value_pct="1", user=analyst)
    assert getattr(bad.value, "code", None) == "CW-PRE-TOLERANCE"


def test_end_to_end_an_announcement_crosses_over_http_and_the_arrival_confirms_it(
        db_url: str, tmp_path: Path, sqlite_template: Path) -> None:
    pairs: Iterator[Pair] = open_pair(db_url, tmp_path, sqlite_template, NOW)
    pair = next(pairs)
    try:
        message = pair.send(action="anticipated-arrival", purpose="risk-analysis",
                            payload=announcement(1))
        assert deliver_once(pair.rs.ctx).delivered == 1
        declare(pair.mk.ctx, "E2E", previous=mrn(1), item={"gross_mass": "200"})

        assert kinds_of(pair.mk.ctx, mrn(1)) == ("arrived", {K.GROSS_MASS})
        answer = confirmations(pair.mk.ctx)[message]
        assert answer["payload"]["alarms"] == [str(K.GROSS_MASS)]
    finally:
        pairs.close()
