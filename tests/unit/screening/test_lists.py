"""List loaders: the OFAC SDN CSV (no header, `-0-`, aliases in Remarks) and the generic CSV."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from clearway.screening.lists import (
    country_code,
    load_generic,
    load_ofac_sdn,
    ofac_aliases,
    ofac_countries,
    parse_generic,
    parse_ofac_sdn,
)
from clearway.screening.model import ListEntry, ListFormatError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "screening"
SDN = Path(__file__).resolve().parents[4] / "shared/data/restricted-parties/ofac-sdn-2024-05-03.csv"


@pytest.fixture(scope="module")
def sample() -> dict[str, ListEntry]:
    return {e.entry_id: e for e in load_ofac_sdn(FIXTURES / "ofac-sdn-sample.csv")}


def test_ofac_sample_parses_every_row_and_skips_eof(sample: dict[str, ListEntry]) -> None:
    assert len(sample) == 18
    assert all(e.list_id == "OFAC SDN" for e in sample.values())


@pytest.mark.parametrize(("entry_id", "field", "expected"), [
    ("36", "name", "AEROCARIBBEAN AIRLINES"),
    ("36", "kind", "entity"),                              # SDN_Type -0- = entity
    ("36", "programs", ("CUBA",)),
    ("36", "aliases", ()),
    ("36", "remarks", ""),
    ("306", "aliases", ("BNC",)),
    ("9616", "kind", "individual"),
    ("9616", "countries", ("ID",)),
    ("21171", "name", "PRIGOZHIN, Yevgeniy Viktorovich"),
    ("21171", "countries", ("RU",)),
    ("23288", "countries", ("RS", "BA")),                   # nationality, place of birth
    ("4238", "kind", "vessel"),
    ("4238", "countries", ("CU",)),                         # vessel flag
    ("15431", "kind", "aircraft"),
    ("4243", "aliases", ("ANA I", "SAND SWAN")),            # f.k.a. too
    ("11286", "aliases", ("LI KAI SHOU",)),
])
def test_ofac_fields(sample: dict[str, ListEntry], entry_id: str, field: str,
                     expected: object) -> None:
    assert getattr(sample[entry_id], field) == expected


def test_ofac_programs_split_on_brackets() -> None:
    line = '1,"X, Y","individual","SDGT] [IRGC] [IFSR",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    (entry,) = parse_ofac_sdn([line])
    assert entry.programs == ("SDGT", "IRGC", "IFSR")


@pytest.mark.parametrize(("remarks", "aliases"), [
    ("a.k.a. 'AMI IRAQ'; a.k.a. 'AMMY ERZA'.", ("AMI IRAQ", "AMMY ERZA")),
    ("DOB 1968; a.k.a. 'ABU ISLAM, Karim'.", ("ABU ISLAM, Karim",)),
    ("a.k.a. 'ABU-'UMAR'.", ("ABU-'UMAR",)),                # apostrophe inside the alias
    ("f.k.a. 'ANA I'; f.k.a. 'SAND SWAN'.", ("ANA I", "SAND SWAN")),
    ("a.k.a. 'WHOIS HACKIN", ()),                           # truncated: no closing quote
    ("Linked To: SOMEONE.", ()),
])
def test_ofac_aliases(remarks: str, aliases: tuple[str, ...]) -> None:
    assert ofac_aliases(remarks) == aliases


@pytest.mark.parametrize(("remarks", "countries"), [
    ("nationality Russia; citizen Russia", ("RU",)),
    ("POB Tehran, Iran; nationality Iran", ("IR",)),
    ("nationality Korea, North", ("KP",)),
    ("Passport 014236438 (Serbia) expires 20 May 2029", ("RS",)),
    ("Organization Established Date 20 Oct 2010", ()),
])
def test_ofac_countries(remarks: str, countries: tuple[str, ...]) -> None:
    assert ofac_countries(remarks) == countries


@pytest.mark.parametrize(("value", "code"), [
    ("RU", "RU"), ("ru", "RU"), ("Russia", "RU"), ("Burma", "MM"), ("Greece", "GR"),
    ("North Macedonia", "MK"), ("Kosovo", "XK"), ("Atlantis", "ATLANTIS"),
])
def test_country_code(value: str, code: str) -> None:
    assert country_code(value) == code


def test_ofac_bad_row_is_reported_with_its_line() -> None:
    lines = ['36,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n', '37,"B","x"\n']
    with pytest.raises(ListFormatError) as err:
        list(parse_ofac_sdn(lines, source="sdn.csv"))
    assert (err.value.source, err.value.row) == ("sdn.csv", 2)


def test_generic_list_fixture() -> None:
    entries = {e.entry_id: e for e in load_generic(FIXTURES / "national-list.csv")}
    assert len(entries) == 10
    shevchenko = entries["RS-1"]
    assert shevchenko.list_id == "RS-NAT"
    assert shevchenko.name == "Шевченко Тарас Григорович"
    assert shevchenko.aliases == ("Ševčenko Taras",)
    assert shevchenko.kind == "individual"
    assert shevchenko.countries == ("UA", "RS")              # names become codes
    assert shevchenko.programs == ("NAT-SEC",)
    assert entries["UN-1"].kind == "vessel"


HEADER = "list_id,entry_id,name,aliases,kind,countries,programs\n"


@pytest.mark.parametrize(("text", "row", "message"), [
    ("list_id,entry_id,name\nL,1,X\n", 1, "missing column"),
    (HEADER + "L,1,X,,person,,\n", 2, "kind"),
    (HEADER + "L,1,,,entity,,\n", 2, "required"),
    (HEADER + "L,1,X,,entity,,\nL,1,Y,,entity,,\n", 3, "duplicate"),
])
def test_generic_errors(text: str, row: int, message: str) -> None:
    with pytest.raises(ListFormatError) as err:
        list(parse_generic(io.StringIO(text), source="nat.csv"))
    assert err.value.row == row and message in err.value.message


def test_generic_defaults() -> None:
    text = HEADER + ",7,Acme Ltd,,,,\n"
    (entry,) = parse_generic(io.StringIO(text), default_list_id="NAT")
    assert (entry.list_id, entry.kind, entry.aliases, entry.countries) == ("NAT", "entity", (), ())


def test_list_entry_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError):
        ListEntry("L", "1", "X", kind="person")


@pytest.mark.skipif(not SDN.is_file(), reason="shared OFAC SDN file not present")
def test_the_real_sdn_file_loads_whole() -> None:
    entries = load_ofac_sdn(SDN)
    assert len(entries) == 14965
    assert sum(len(e.aliases) for e in entries) > 3600
    assert {e.kind for e in entries} == {"individual", "entity", "vessel", "aircraft"}
