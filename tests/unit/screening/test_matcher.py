"""Screening as data tables: who must hit whom, who must not, and how each hit explains itself.

A small fixture index (an OFAC SDN sample plus a national list written in Cyrillic and Greek)
and, where the shared file is present, the whole OFAC SDN list (14,965 entries).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clearway.screening.lists import load_generic, load_ofac_sdn
from clearway.screening.matcher import DEFAULT_THRESHOLD, Screener
from clearway.screening.model import InvalidQuery
from clearway.screening.normalize import analyze

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "screening"
SDN = Path(__file__).resolve().parents[4] / "shared/data/restricted-parties/ofac-sdn-2024-05-03.csv"
needs_sdn = pytest.mark.skipif(not SDN.is_file(), reason="shared OFAC SDN file not present")


@pytest.fixture(scope="module")
def small() -> Screener:
    return Screener.from_entries(load_ofac_sdn(FIXTURES / "ofac-sdn-sample.csv")
                                 + load_generic(FIXTURES / "national-list.csv"))


@pytest.fixture(scope="module")
def sdn() -> Screener:
    return Screener.from_entries(load_ofac_sdn(SDN))


def top(screener: Screener, name: str, **kw: str) -> str | None:
    hits = screener.screen(name, **kw)
    return hits[0].entry.entry_id if hits else None


MATCHES = [  # query, the entry it must find first (fixture index)
    ("Taras Shevchenko", "RS-1"),                    # list name in Cyrillic, query in Latin
    ("Sevcenko Taras", "RS-1"),
    ("Шевченко Тарас", "RS-1"),
    ("T. Shevchenko", "RS-1"),                       # initial
    ("Shevchenko Taras Hryhorovych", "RS-1"),        # Ukrainian reading of the patronymic
    ("Romashka LLC", "RS-2"),
    ("OOO Romashka", "RS-2"),
    ("Romashka d.o.o.", "RS-2"),
    ("Dragan Djordjevic", "RS-3"),
    ("Đorđević Dragan", "RS-3"),
    ("Dordevic Dragan", "RS-3"),                     # Đ written as plain D
    ("Ivan Shterev", "BG-1"),                        # Bulgarian Щ = sht
    ("Elliniki Naftilia SA", "GR-1"),                # Greek list name, Latin query
    ("ELLINIKI NAFTILIA", "GR-1"),
    ("Hatzidakis Konstantinos", "GR-2"),
    ("Konstantinos Chatzidakis", "GR-2"),
    ("Li Wei", "EU-1"),
    ("Li Wei Trading Ltd", "EU-1"),
    ("Anglo Adriatic Shipping", "EU-2"),
    ("ANGLO ADRIATIC SHIPPING DOO BEOGRAD", "EU-2"),
    ("Balkan Star", "UN-1"),
    ("Kang Su", "UN-2"),
    ("Su Kang", "UN-2"),                             # short name, word order
    ("Евгений Викторович Пригожин", "21171"),
    ("Yevgeny Prigozhin", "21171"),
    ("Evgenij Prigozin", "21171"),                   # patronymic left out
    ("Олег Дерипаска", "24283"),
    ("Кирилл Щербаков", "31303"),
    ("Слободан Тешић", "23288"),
    ("Slobodan Tešić", "23288"),
    ("Κωνσταντίνος Σταυρίδης", "34956"),
    ("ПАО Совкомфлот", "34741"),
    ("Sovcomflot JSC", "34741"),
    ("Palea d.o.o.", "16842"),
    ("Velcom Trade DOO", "28121"),                   # the seat (BEOGRAD) left out
    ("Banco Nacional de Cuba S.A.", "306"),
    ("BNC", "306"),                                  # alias
    ("Anglo-Caribbean Company Limited", "173"),
    ("Taufik Rifki", "9616"),
    ("Ivan Cvetić", "44217"),
    ("Иван Цветич", "44217"),
    ("Li Kai Shou", "11286"),
]


@pytest.mark.parametrize(("query", "entry_id"), MATCHES)
def test_true_matches(small: Screener, query: str, entry_id: str) -> None:
    assert top(small, query) == entry_id


NON_MATCHES = [
    "Li",                                # one short word never meets "Li Wei Trading Co."
    "Wei",
    "Kang",
    "Taras",
    "Shevchenko",                        # one word of a two-word name
    "Trading Company",
    "ООО",
    "Global Trading LLC",
    "Balkan Logistics d.o.o.",
    "Star Shipping",
    "Adriatic Fresh Foods",
    "Hellenic Petroleum A.E.",
    "Marko Petrović",
    "Ivan Petrov",
    "Banco Popular",
    "Anglo American plc",
]


@pytest.mark.parametrize("query", NON_MATCHES)
def test_non_matches(small: Screener, query: str) -> None:
    assert small.screen(query) == []


def test_explanation_names_the_fields_forms_and_reasons(small: Screener) -> None:
    (hit,) = small.screen("Тарас Шевченко")
    assert hit.entry.entry_id == "RS-1" and hit.score == 1.0
    alias, name = hit.matched_fields                     # every name of the entry that met
    assert (alias.query_field, alias.list_field, name.list_field) == ("name", "alias", "name")
    assert (alias.list_value, name.list_value) == ("Ševčenko Taras", "Шевченко Тарас Григорович")
    assert alias.query_form == "taras shevchenko" and alias.list_form == "shevchenko taras"
    assert alias.query_key == "taras sevcenko" and alias.list_key == "sevcenko taras"
    assert "list name has extra words: grigorovic" in name.notes
    for phrase in ("name 'Тарас Шевченко' matches alias 'Ševčenko Taras' of RS-NAT entry RS-1",
                   "score 1.00", "transliterated from Cyrillic", "diacritics removed",
                   "word order ignored", "also close to name 'Шевченко Тарас Григорович'"):
        assert phrase in hit.explanation
    assert hit.as_dict()["entry_id"] == "RS-1"


@pytest.mark.parametrize(("query", "phrases"), [
    ("ANGLO ADRIATIC SHIPPING d.o.o.", ["legal form ignored: doo"]),
    ("Konstantinos Hatzidakis", ["list name transliterated from Greek"]),
    ("T Shevchenko", ["initials taken for full names"]),
    ("Dordevic Dragan", ["spelling differs slightly"]),
    ("Ivan Cvetić", ["diacritics removed", "word order ignored"]),
    ("BNC", ["matches alias 'BNC'", "short name: near-exact equality required"]),
])
def test_explanations(small: Screener, query: str, phrases: list[str]) -> None:
    explanation = small.screen(query)[0].explanation
    for phrase in phrases:
        assert phrase in explanation, explanation


def test_country_and_kind_adjust_the_score(small: Screener) -> None:
    plain = small.screen("Dordevic Dragan")[0]
    boosted = small.screen("Dordevic Dragan", country="Serbia", kind="individual")[0]
    assert boosted.score == pytest.approx(plain.score + 0.05)
    assert boosted.features["country"] == 0.03 and boosted.features["kind"] == 0.02
    assert "country RS agrees" in boosted.explanation
    penalised = small.screen("Dordevic Dragan", kind="entity")
    assert not penalised or penalised[0].score < plain.score


def test_threshold_and_limit(small: Screener) -> None:
    assert small.screen("Dordevic Dragan", threshold=0.99) == []
    assert len(small.screen("Star Sapphire", limit=1, threshold=0.3)) <= 1
    strict = Screener.from_entries(small.entries, threshold=0.99)
    assert strict.screen("Dordevic Dragan") == [] and strict.screen("Dragan Djordjevic")


def test_screen_many_keeps_order_and_screens_repeats_once(small: Screener) -> None:
    names = ["Li", "Taras Shevchenko", "Li", "Kang Su"]
    results = small.screen_many(names)
    assert [[h.entry.entry_id for h in r] for r in results] == [[], ["RS-1"], [], ["UN-2"]]
    assert results[0] is results[2]


@pytest.mark.parametrize("kw", [{"kind": "person"}, {"limit": 0}])
def test_bad_arguments(small: Screener, kw: dict[str, object]) -> None:
    with pytest.raises(InvalidQuery):
        small.screen("Kang Su", **kw)  # type: ignore[arg-type]


def test_bad_threshold() -> None:
    with pytest.raises(InvalidQuery):
        Screener.from_entries([], threshold=1.5)


SDN_MATCHES = [  # query variants of real SDN entries, the entry they must find
    ("Евгений Пригожин", "21171"),
    ("Ievgenii Prigozhin", "21171"),
    ("Аркадий Романович Ротенберг", "16669"),
    ("Arkadij Rotenberg", "16669"),
    ("Ρότενμπεργκ Αρκάντι", "16669"),
    ("Олег Владимирович Дерипаска", "24283"),
    ("Shcherbakov Kirill Konstantinovich", "31303"),
    ("Tesic Slobodan", "23288"),
    ("Слободан Тешић", "23288"),
    ("Georgios Manidis", "26684"),
    ("Γεώργιος Μανίδης", "26684"),
    ("Κωνσταντίνος Σταυρίδης", "34956"),
    ("Rosneft Trading SA", "18299"),
    ("Роснефть Трейдинг", "18299"),
    ("Sovcomflot PAO", "34741"),
    ("Star Sapphire Trading Co., Ltd.", "41190"),
    ("Hamid Reza Noori", "44017"),
    ("Taufik Rifki", "9616"),
    ("Ami Iraq", "9616"),                            # an a.k.a.
    ("Banco Nacional de Cuba", "306"),
    ("Partizan Tech DOO", "23284"),
    ("Tehnoglobal Systems d.o.o. Beograd", "23287"),
    ("Falcon Strategic Solutions DOO", "28120"),
    ("Ivan Cvetić", "44217"),
]


@needs_sdn
@pytest.mark.parametrize(("query", "entry_id"), SDN_MATCHES)
def test_true_matches_on_the_sdn_list(sdn: Screener, query: str, entry_id: str) -> None:
    assert entry_id in [h.entry.entry_id for h in sdn.screen(query)]


SDN_NON_MATCHES = [
    "Li", "Global Trading LLC", "International Shipping Company", "Balkan Logistics d.o.o.",
    "Hellenic Petroleum A.E.", "Adriatic Fresh Foods DOOEL", "Energy Investment Group",
    "Marko Petrović", "Ελληνικά Πετρέλαια Α.Ε.", "Нафтна индустрија Србије АД",
    "Danube Steel Trading SRL", "Vardar Pharma DOOEL", "Anatolia Textile A.S.",
    "Rhine Machinery GmbH", "Thessaloniki Marine Supplies", "Jovana Nikolić",
]


@needs_sdn
@pytest.mark.parametrize("query", SDN_NON_MATCHES)
def test_common_names_do_not_hit_the_sdn_list(sdn: Screener, query: str) -> None:
    assert sdn.screen(query) == [], [h.explanation for h in sdn.screen(query)]


@needs_sdn
def test_blocking_compares_a_few_candidates_not_the_list(sdn: Screener) -> None:
    for query in ("Taras Shevchenko", "Mohammad Ali Hassan", "Global Trading LLC",
                  "Евгений Пригожин"):
        assert len(sdn._candidates(analyze(query))) <= 200
    assert sdn.form_count > len(sdn) and DEFAULT_THRESHOLD == 0.80
