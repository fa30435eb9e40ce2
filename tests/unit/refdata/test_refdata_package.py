"""The reference data shipped in the package: it loads, is consistent, and covers the samples."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from clearway.refdata.csvfiles import LISTS, package_dir, read_directory, read_versions
from clearway.refdata.model import RefDataSnapshot

SAMPLES = Path(os.environ.get("CLEARWAY_SAMPLES_DIR", Path(__file__).resolve().parents[4]
                              / "shared" / "data" / "wco-dm-dms" / "samples"))
ON = date(2026, 11, 20)


def words(text: str) -> list[str]:
    return text.split()


MAIN_CURRENCIES = words("USD GBP CHF JPY CNY TRY RSD MKD ALL BAM RUB UAH KRW INR RON HUF PLN "
                        "CZK SEK NOK DKK CAD AUD")
SAMPLE_EORIS = words("GB025115100010 GB150454489082 GB201909013000 GB201909014000 GB239355053000 "
                     "GB417869120000 GB427168118378 GB553202734852 GB575456994000 GB603202734852 "
                     "GB896458895015 GB896458895023 GB953202734852")


@pytest.fixture(scope="module")
def ref() -> RefDataSnapshot:
    path = package_dir()
    return RefDataSnapshot.from_texts(read_directory(path), read_versions(path))


def test_every_list_is_shipped_and_loads(ref: RefDataSnapshot) -> None:
    assert set(read_directory(package_dir())) == set(LISTS)
    assert set(ref.versions) == set(LISTS)
    counts = ref.counts()
    assert counts["countries"] >= 250 and counts["currencies"] >= 170
    assert counts["hs_codes"] > 6900 and counts["hs_national"] == 0
    assert counts["package_kinds"] >= 60
    assert sum(r["category"] == "document" for r in ref.rows("document_codes")) >= 80
    assert counts["traders"] >= 60 and counts["aeo_authorisations"] >= 15


def test_countries(ref: RefDataSnapshot) -> None:
    for code in ("RS", "MK", "AL", "BA", "ME", "XK", "HR", "SI", "BG", "RO", "GR", "GB", "US"):
        assert ref.country_valid(code, ON), code
    assert not ref.country_valid("EU", ON)
    assert {r["name"] for r in ref.rows("countries") if r["code"] == "XK"} == {"Kosovo"}


def test_currencies(ref: RefDataSnapshot) -> None:
    minor = {r["code"]: r["minor_units"] for r in ref.rows("currencies")}
    assert (minor["EUR"], minor["JPY"], minor["KWD"], minor["XAU"]) == ("2", "0", "3", "")
    assert ref.currency_valid("HRK", date(2022, 12, 31))
    assert not ref.currency_valid("HRK", date(2023, 1, 1))
    assert ref.currency_valid("BGN", date(2025, 12, 31))
    assert not ref.currency_valid("BGN", date(2026, 1, 1))


def test_exchange_rates_cover_2020_to_2027(ref: RefDataSnapshot) -> None:
    for year in range(2020, 2028):
        for month in range(1, 13):
            for day in (1, 28):
                on = date(year, month, day)
                assert ref.rate("EUR", on) == 1
                for code in MAIN_CURRENCIES:
                    rate = ref.rate(code, on)
                    assert rate is not None and rate > 0, (code, on)
    assert ref.rate("HRK", date(2022, 12, 31)) is not None
    assert ref.rate("HRK", date(2023, 1, 1)) is None
    assert ref.rate("BGN", date(2026, 1, 1)) is None
    assert ref.rate("USD", date(2028, 1, 1)) is None
    usd, jpy = ref.rate("USD", ON), ref.rate("JPY", ON)
    assert usd is not None and jpy is not None
    assert 0.7 < usd < 1.1 and 0.004 < jpy < 0.01  # EUR value of one unit


def test_offices(ref: RefDataSnapshot) -> None:
    rows = ref.rows("offices")
    assert sum(r["country"] != "GB" for r in rows) >= 40
    for r in rows:
        assert r["code"][:2] == r["country"], r["code"]
        assert ref.country_valid(r["country"], ON)
    pristina = ref.office("XK001001", ON)
    assert pristina is not None and pristina.has_role("lodgement")
    for code in ("GBLHR001", "GB000060", "GBFXT001", "GB000051", "GBBEL004", "GBLBA001"):
        assert ref.office(code, ON) is not None, code
    assert ref.office("SI003001", ON) is None  # closed when Croatia joined the EU


def test_traders_and_aeo(ref: RefDataSnapshot) -> None:
    traders = ref.rows("traders")
    assert len({t["id"] for t in traders}) == len(traders)
    for t in traders:
        assert t["id"][:2] == t["country"], t["id"]
        assert ref.country_valid(t["country"], ON)
    for eori in SAMPLE_EORIS:
        assert ref.trader(eori, date(2020, 1, 1)) is not None, eori
    legal_forms = ("d.o.o.", "DOOEL", "sh.p.k.", "A.E.", "GmbH", "Ltd", "EOOD", "S.R.L.")
    for form in legal_forms:
        assert any(form in t["name"] for t in traders), form
    ids = {t["id"] for t in traders}
    aeo = ref.rows("aeo_authorisations")
    assert {a["trader_id"] for a in aeo} <= ids
    assert len({a["trader_id"] for a in aeo}) >= 15
    assert any(a["valid_to"] and date.fromisoformat(a["valid_to"]) < ON for a in aeo)
    assert ref.aeo("GB553202734852", date(2024, 4, 25)) == {"AEOC"}
    assert ref.aeo("MK4057009012345", ON) == set()  # expired


EXAMPLE_NATIONAL = Path(__file__).resolve().parents[3] / "docs/examples/refdata/hs_national.csv"


def test_hs_codes_and_national_extension(ref: RefDataSnapshot) -> None:
    # No national tariff is shipped: an administration loads its own, as here the example.
    ref = ref.replace({"hs_national": EXAMPLE_NATIONAL.read_text()})
    levels = {r["level"] for r in ref.rows("hs_codes")}
    assert levels == {"2", "4", "6"}
    assert all(len(r["code"]) == int(r["level"]) for r in ref.rows("hs_codes"))
    assert ref.commodity_valid("851090", ON) and ref.commodity_valid("8510 9000", ON)
    assert ref.commodity_valid("6109100000", ON) and ref.commodity_valid("61091000", ON)
    assert not ref.commodity_valid("6109100090", ON)
    assert not ref.commodity_valid("851010", date(2021, 12, 31))
    for r in ref.rows("hs_national"):
        if not r["valid_to"]:
            assert ref.commodity_valid(r["parent6"], ON), r["code"]
            assert ref.commodity_valid(r["code"], ON), r["code"]


def test_procedures_and_codes(ref: RefDataSnapshot) -> None:
    procedures = {r["code"] for r in ref.rows("procedures") if r["kind"] == "procedure"}
    assert procedures == set(words("00 01 07 10 11 21 22 23 31 40 42 43 44 45 46 48 51 53 54 61 "
                                   "63 68 71 76 77 78 95 96"))
    for code in ("4000", "4071", "1040", "1000", "2100", "3151", "5100", "5300", "6121", "7100",
                 "4051", "4053", "4200", "6110", "0090"):
        assert ref.procedure_valid(code, "requested_previous", ON), code
    for code in ("000", "C07", "C08", "F15", "F44", "1RE", "2RE"):
        assert ref.procedure_valid(code, "additional", ON), code
    for code in ("N935", "N380", "N325", "N703", "N730", "C505", "C506", "C501", "C512", "Y929",
                 "Y900", "U004", "N954", "N864", "C400", "C640", "9WKS", "X002", "C057", "E990",
                 "L001"):
        assert ref.document_code_valid(code, ON), code
    for code in ("AEOC", "AEOS", "AEOF", "CGU", "DPO", "CWP", "EIR", "SDE", "IPO", "OPO", "TEA",
                 "ACR", "ACE", "ETD", "CSE", "TST"):
        assert ref.authorisation_type_valid(code, ON), code
    assert [ref.transport_mode_valid(str(m), ON) for m in range(10)] == [True] * 10
    for code in ("BX", "CT", "PK", "PX", "CS", "BG", "BA", "CR", "DR", "PL", "NE", "VQ", "VY",
                 "VR", "VL", "CN", "SA", "TO"):
        assert ref.package_kind_valid(code, ON), code


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="trade-test samples not available")
def test_trade_test_sample_codes_are_known(ref: RefDataSnapshot) -> None:
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted(SAMPLES.glob("*.xml")))
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    eoris = set(re.findall(r"<ID>(GB[0-9]{12})</ID>", text))
    assert eoris and all(ref.trader(e, ON) for e in eoris)
    offices = re.findall(r"<(?:Exit|Supervising)Office>\s*<ID>([A-Z0-9]+)</ID>", text)
    assert offices and all(ref.office(o, ON) for o in offices)
    packages = re.findall(r"<Packaging>.*?<TypeCode>([A-Z0-9]{2})</TypeCode>", text, re.S)
    assert packages and all(ref.package_kind_valid(p, ON) for p in packages)
