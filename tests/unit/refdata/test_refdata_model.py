"""RefDataSnapshot lookups on a small hand-made data set: every lookup, validity boundaries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.refdata.errors import RefDataError
from clearway.refdata.model import AeoAuthorisation, Office, RefDataSnapshot, Trader

D = date.fromisoformat
V = "valid_from,valid_to"
TEXTS = {
    "countries": f"code,name,{V}\nRS,Serbia,,\nXK,Kosovo,,\nCS,Serbia and Montenegro,,2006-06-02\n"
                 "ME,Montenegro,2006-06-03,\n",
    "currencies": f"code,name,minor_units,{V}\nEUR,Euro,2,,\nHRK,Kuna,2,,2022-12-31\n",
    "exchange_rates": f"currency,rate_to_eur,{V}\nUSD,0.9,2024-01-01,2024-01-31\n"
                      "USD,0.91,2024-02-01,2024-02-29\nJPY,0.0062,2024-02-01,\n",
    "hs_codes": f"code,level,parent,description,{V}\n85,2,,Electrical machinery,2022-01-01,\n"
                "8510,4,85,Shavers and hair clippers,2022-01-01,\n"
                "851010,6,8510,Shavers,2022-01-01,\n851090,6,8510,Parts,2022-01-01,\n"
                "851712,6,8517,Old phones,2017-01-01,2021-12-31\n"
                "610910,6,6109,T-shirts of cotton,2022-01-01,\n"
                "610990,6,6109,T-shirts of other materials,2022-01-01,\n"
                "090111,6,0901,Coffee,2022-01-01,\n",
    "hs_national": f"code,parent6,description,{V}\n85109000,851090,Parts of shavers,2022-01-01,\n"
                   "6109100010,610910,Men's T-shirts,2022-01-01,\n"
                   "09011100,090111,Coffee not roasted,2025-01-01,\n",
    "offices": f"code,name,country,roles,{V}\n"
               "RS001001,Beograd,RS,lodgement|presentation|supervising,,\n"
               "RO001002,Otopeni (old),RO,entry|exit,,2021-12-31\n"
               "RO001003,Henri Coanda,RO,entry|exit|lodgement,2022-01-01,\n",
    "procedures": f"code,kind,description,{V}\n40,procedure,Release,,\n00,procedure,None,,\n"
                  "10,procedure,Export,,\n0090,requested_previous,UK FSD,,\n"
                  "4071,requested_previous,Release from CW,,\nC07,additional,Negligible,,\n"
                  "F48,additional,IOSS,2021-07-01,\n",
    "transport_modes": f"code,description,{V}\n1,Sea,,\n3,Road,,\n",
    "package_kinds": f"code,description,{V}\nBX,Box,,\nPX,Pallet,,\n",
    "document_codes": f"code,category,description,{V}\nN935,document,Invoice,,\n"
                      "Z355,previous,ENS,,\nAEOC,authorisation,AEO,,\nC999,document,Old,,2019-12-31\n",
    "traders": f"id,name,street,city,postcode,country,{V}\n"
               "RS100234567,Dunav d.o.o.,Bulevar 1,Beograd,11000,RS,2015-03-01,\n"
               "MK4057009012345,Tabanovce DOOEL,,Kumanovo,,MK,,2021-12-31\n",
    "aeo_authorisations": f"trader_id,type,reference,{V}\n"
                          "RS100234567,AEOF,RSAEOF1,2019-04-01,\n"
                          "RS100234567,AEOS,RSAEOS1,2015-01-01,2019-03-31\n"
                          "MK4057009012345,AEOC,MKAEOC2,2016-05-01,2021-12-31\n",
}


@pytest.fixture(scope="module")
def ref() -> RefDataSnapshot:
    return RefDataSnapshot.from_texts(TEXTS, {"countries": "v1"})


@pytest.mark.parametrize(("code", "on", "valid"), [
    ("RS", "2024-01-01", True), ("XK", "2024-01-01", True), (" XK ", "2024-01-01", True),
    ("EU", "2024-01-01", False), ("rs", "2024-01-01", False), ("", "2024-01-01", False),
    ("CS", "2006-06-02", True), ("CS", "2006-06-03", False),
    ("ME", "2006-06-02", False), ("ME", "2006-06-03", True),
])
def test_country_valid(ref: RefDataSnapshot, code: str, on: str, valid: bool) -> None:
    assert ref.country_valid(code, D(on)) is valid


@pytest.mark.parametrize(("code", "on", "valid"), [
    ("EUR", "2030-01-01", True), ("HRK", "2022-12-31", True), ("HRK", "2023-01-01", False),
    ("USD", "2024-01-01", False),
])
def test_currency_valid(ref: RefDataSnapshot, code: str, on: str, valid: bool) -> None:
    assert ref.currency_valid(code, D(on)) is valid


@pytest.mark.parametrize(("currency", "on", "rate"), [
    ("USD", "2023-12-31", None), ("USD", "2024-01-01", Decimal("0.9")),
    ("USD", "2024-01-31", Decimal("0.9")), ("USD", "2024-02-01", Decimal("0.91")),
    ("USD", "2024-02-29", Decimal("0.91")), ("USD", "2024-03-01", None),
    ("JPY", "2099-01-01", Decimal("0.0062")), ("EUR", "2024-01-01", Decimal(1)),
    ("GBP", "2024-01-01", None),
])
def test_rate(ref: RefDataSnapshot, currency: str, on: str, rate: Decimal | None) -> None:
    assert ref.rate(currency, D(on)) == rate


@pytest.mark.parametrize(("code", "on", "valid"), [
    ("85", "2024-01-01", True), ("8510", "2024-01-01", True), ("851010", "2024-01-01", True),
    ("851010", "2021-12-31", False),  # HS 2022 starts 2022-01-01
    ("851712", "2021-12-31", True), ("851712", "2022-01-01", False),
    ("851011", "2024-01-01", False), ("8", "2024-01-01", False), ("851", "2024-01-01", False),
    ("8510AB", "2024-01-01", False), ("\uff18\uff15\uff11\uff10", "2024-01-01", False),
    # CN8: no national extension for HS6 851010 -> valid when the HS6 is
    ("85101000", "2024-01-01", True), ("8510 1000", "2024-01-01", True),
    ("8510.10.00", "2024-01-01", True), ("85101000", "2021-06-01", False),
    # HS6 851090 has an extension loaded: only listed codes
    ("85109000", "2024-01-01", True), ("85109010", "2024-01-01", False),
    ("8510900000", "2024-01-01", True), ("8510900012", "2024-01-01", True),
    ("8510901000", "2024-01-01", False),
    # TARIC10 listed under 610910: CN8 implied, other suffixes rejected
    ("6109100010", "2024-01-01", True), ("61091000", "2024-01-01", True),
    ("6109100090", "2024-01-01", False), ("6109 1000 10", "2024-01-01", True),
    ("61091090", "2024-01-01", False), ("6109900000", "2024-01-01", True),
    # an extension counts only from its validity date
    ("09011190", "2024-12-31", True), ("09011190", "2025-01-01", False),
    ("09011100", "2025-01-01", True), ("0901110000", "2025-01-01", True),
    ("851010000", "2024-01-01", False), ("851010000000", "2024-01-01", False),
])
def test_commodity_valid(ref: RefDataSnapshot, code: str, on: str, valid: bool) -> None:
    assert ref.commodity_valid(code, D(on)) is valid


@pytest.mark.parametrize(("code", "description"), [
    ("851010", "Shavers"), ("85109000", "Parts of shavers"), ("8510900099", "Parts of shavers"),
    ("85101000", "Shavers"), ("8510", "Shavers and hair clippers"), ("851712", "Old phones"),
    ("99", None), ("6109 1000 10", "Men's T-shirts"),
])
def test_hs_description(ref: RefDataSnapshot, code: str, description: str | None) -> None:
    assert ref.hs_description(code) == description


def test_office(ref: RefDataSnapshot) -> None:
    office = ref.office("RS001001", D("2024-01-01"))
    assert office == Office("RS001001", "Beograd", "RS",
                            frozenset({"lodgement", "presentation", "supervising"}))
    assert office.has_role("supervising") and not office.has_role("exit")
    assert ref.office("RO001002", D("2021-12-31")) is not None
    assert ref.office("RO001002", D("2022-01-01")) is None
    new = ref.office("RO001003", D("2022-01-01"))
    assert new is not None and new.valid_from == D("2022-01-01") and new.valid_to is None
    assert ref.office("RO001003", D("2021-12-31")) is None
    assert ref.office("XX000000", D("2024-01-01")) is None


@pytest.mark.parametrize(("code", "kind", "on", "valid"), [
    ("4071", "requested_previous", "2024-01-01", True),   # listed pair
    ("4000", "requested_previous", "2024-01-01", True),   # both halves listed
    ("1040", "requested_previous", "2024-01-01", True),
    ("0090", "requested_previous", "2024-01-01", True),   # 90 not a procedure: pair listed
    ("4090", "requested_previous", "2024-01-01", False),
    ("5100", "requested_previous", "2024-01-01", False),
    ("400", "requested_previous", "2024-01-01", False),
    ("40", "procedure", "2024-01-01", True), ("51", "procedure", "2024-01-01", False),
    ("C07", "additional", "2024-01-01", True), ("C08", "additional", "2024-01-01", False),
    ("F48", "additional", "2021-06-30", False), ("F48", "additional", "2021-07-01", True),
    ("4071", "additional", "2024-01-01", False),
])
def test_procedure_valid(ref: RefDataSnapshot, code: str, kind: str, on: str, valid: bool) -> None:
    assert ref.procedure_valid(code, kind, D(on)) is valid


def test_procedure_kind_must_be_known(ref: RefDataSnapshot) -> None:
    with pytest.raises(ValueError):
        ref.procedure_valid("4000", "requested", D("2024-01-01"))


def test_simple_code_lists(ref: RefDataSnapshot) -> None:
    on = D("2024-01-01")
    assert ref.transport_mode_valid("3", on) and not ref.transport_mode_valid("6", on)
    assert ref.package_kind_valid("PX", on) and not ref.package_kind_valid("XX", on)
    assert ref.document_code_valid("N935", on)
    assert not ref.document_code_valid("Z355", on)
    assert ref.document_code_valid("Z355", on, "previous")
    assert not ref.document_code_valid("AEOC", on)
    assert ref.authorisation_type_valid("AEOC", on)
    assert not ref.authorisation_type_valid("N935", on)
    assert ref.document_code_valid("C999", D("2019-12-31"))
    assert not ref.document_code_valid("C999", D("2020-01-01"))


def test_trader(ref: RefDataSnapshot) -> None:
    trader = ref.trader("RS100234567", D("2015-03-01"))
    assert trader == Trader("RS100234567", "Dunav d.o.o.", "Bulevar 1", "Beograd", "11000", "RS",
                            D("2015-03-01"), None)
    assert ref.trader("RS100234567", D("2015-02-28")) is None
    assert ref.trader("MK4057009012345", D("2021-12-31")) is not None
    assert ref.trader("MK4057009012345", D("2022-01-01")) is None
    assert ref.trader("GB000000000000", D("2022-01-01")) is None


@pytest.mark.parametrize(("trader", "on", "types"), [
    ("RS100234567", "2019-03-31", {"AEOS"}), ("RS100234567", "2019-04-01", {"AEOF"}),
    ("RS100234567", "2014-12-31", set()),
    ("MK4057009012345", "2021-12-31", {"AEOC"}), ("MK4057009012345", "2022-01-01", set()),
    ("XK810123456", "2024-01-01", set()),
])
def test_aeo(ref: RefDataSnapshot, trader: str, on: str, types: set[str]) -> None:
    assert ref.aeo(trader, D(on)) == types


def test_aeo_authorisation_validity() -> None:
    auth = AeoAuthorisation("RS1", "AEOC", "r", D("2020-01-01"), None)
    assert auth.valid_on(D("2020-01-01")) and not auth.valid_on(D("2019-12-31"))


def test_read_api(ref: RefDataSnapshot) -> None:
    counts = ref.counts()
    assert counts["countries"] == 4 and counts["offices"] == 3 and len(counts) == 13
    assert ref.versions == {"countries": "v1"}
    rows = ref.rows("countries")
    assert rows[0] == {"code": "RS", "name": "Serbia", "valid_from": "", "valid_to": ""}
    rows[0]["code"] = "XX"  # a copy: the snapshot is not changed
    assert ref.rows("countries")[0]["code"] == "RS"
    with pytest.raises(KeyError):
        ref.rows("planets")


def test_missing_lists_are_empty_and_replace_keeps_the_others(ref: RefDataSnapshot) -> None:
    empty = RefDataSnapshot.from_texts({})
    assert not empty.country_valid("RS", D("2024-01-01"))
    assert empty.counts()["countries"] == 0 and empty.rows("traders") == []
    assert empty.rate("EUR", D("2024-01-01")) == Decimal(1)
    newer = ref.replace({"countries": f"code,name,{V}\nXK,Kosovo,,\n"}, {"countries": "v2"})
    assert newer.versions == {"countries": "v2"}
    assert not newer.country_valid("RS", D("2024-01-01"))
    assert newer.office("RS001001", D("2024-01-01")) is not None
    assert ref.country_valid("RS", D("2024-01-01"))  # the original is unchanged


def test_overlapping_validity_is_rejected() -> None:
    text = (f"currency,rate_to_eur,{V}\nUSD,0.9,2024-01-01,2024-01-31\n"
            "USD,0.91,2024-01-31,2024-02-29\n")
    with pytest.raises(RefDataError) as info:
        RefDataSnapshot.from_texts({"exchange_rates": text})
    assert info.value.list_name == "exchange_rates" and info.value.row == 3
    assert "overlapping" in info.value.message
    with pytest.raises(RefDataError) as dup:
        RefDataSnapshot.from_texts({"countries": f"code,name,{V}\nRS,Serbia,,\nRS,Srbija,,\n"})
    assert dup.value.row == 3


def test_bad_list_text_raises() -> None:
    with pytest.raises(RefDataError) as info:
        RefDataSnapshot.from_texts({"countries": "code,valid_from,valid_to\nRS,,\n"})
    assert info.value.row == 1
    with pytest.raises(RefDataError):
        RefDataSnapshot.from_texts({"planets": "code\n"})


BASE = date(2020, 1, 1)


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10)), max_size=12),
       st.integers(-5, 80))
def test_timeline_matches_a_linear_scan(spans: list[tuple[int, int]], day: int) -> None:
    rows, cursor = [], 0
    for gap, length in spans:  # build non-overlapping monthly-like periods
        start = cursor + gap
        rows.append((BASE + timedelta(start), BASE + timedelta(start + length)))
        cursor = start + length + 1
    body = "".join(f"USD,{i + 1},{s},{e}\n" for i, (s, e) in enumerate(rows))
    ref = RefDataSnapshot.from_texts({"exchange_rates": f"currency,rate_to_eur,{V}\n{body}"})
    on = BASE + timedelta(day)
    expected = next((Decimal(i + 1) for i, (s, e) in enumerate(rows) if s <= on <= e), None)
    assert ref.rate("USD", on) == expected
