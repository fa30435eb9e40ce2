"""Normalization as data tables: transliteration, spelling keys, legal forms, short names."""

from __future__ import annotations

import pytest

from clearway.screening.normalize import analyze, token_key


def keys(name: str) -> set[str]:
    return {f.sorted_key for f in analyze(name)}


def readings(name: str) -> set[str]:
    return {f.folded for f in analyze(name)}


# Each row: spellings of one name in several scripts and systems; all must share a key.
SAME_NAME = [
    ("Шевченко", "Ševčenko", "Shevchenko", "Sevcenko", "SHEVCHENKO"),
    ("Жуков", "Žukov", "Zhukov", "Zukov"),
    ("Ходорковский", "Hodorkovskij", "Khodorkovsky", "Khodorkovskiy"),
    ("Щербаков", "Shcherbakov", "Ščerbakov"),
    ("Щерев", "Shterev"),                                       # Bulgarian Щ
    ("Григорович", "Hryhorovych", "Grigorovich"),               # Ukrainian Г, И
    ("Ђорђевић", "Đorđević", "Djordjevic", "DJORDJEVIC"),
    ("Џаферовић", "Džaferović", "Dzhaferovich", "Jaferovic"),
    ("Цветић", "Cvetić", "Cvetic", "Tsvetich"),
    ("Јовановић", "Jovanović", "Jovanovic", "Yovanovich"),
    ("Ѓорѓиев", "Gjorgjiev"),                                   # Macedonian Ѓ
    ("Юрий", "Yuriy", "Yuri", "Jurij", "Iurii"),
    ("Юлия", "Yuliya", "Julija", "Yulia"),
    ("Евгений", "Yevgeniy", "Evgenij", "Yevgeny", "Evgeni"),
    ("Сергей", "Sergey", "Sergei", "Sergej"),
    ("Хаджи", "Hadji", "Haji", "Khadzhi"),
    ("Παπαδόπουλος", "Papadopoulos", "Papadopulos", "PAPADOPOULOS"),
    ("Χατζηδάκης", "Chatzidakis", "Hatzidakis"),
    ("Θεοδωρόπουλος", "Theodoropoulos", "Teodoropulos"),
    ("Ψαρράς", "Psarras"),
    ("Μπακογιάννης", "Bakogiannis", "Bakoyiannis"),
    ("Ντόρα", "Dora"),
    ("Αγγελόπουλος", "Angelopoulos"),
    ("Ευάγγελος", "Evangelos"),
    ("Ευθυμίου", "Efthymiou"),
    ("Γκίκας", "Gikas"),
    ("Τζόκιτς", "Jokic", "Djokic"),
]


@pytest.mark.parametrize("spellings", SAME_NAME, ids=lambda s: s[1])
def test_spellings_of_one_name_share_a_key(spellings: tuple[str, ...]) -> None:
    first = keys(spellings[0])
    for other in spellings[1:]:
        assert first & keys(other), (spellings[0], other, first, keys(other))


DIFFERENT = [("Ivanov", "Ivanova Trading"), ("Petrov", "Petrovic"), ("Papadakis", "Papadopoulos")]


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert not keys(a) & keys(b)


@pytest.mark.parametrize(("written", "reading"), [
    ("Шевченко Тарас", "shevchenko taras"),
    ("Шевченко Тарас Григорович", "shevchenko taras hryhorovych"),  # Ukrainian reading
    ("Григорович", "hryhorovych"),
    ("Щерев", "shterev"),
    ("Ђорђевић", "djordjevich"),
    ("Χατζηδάκης", "chatzidakis"),
    ("Χατζηδάκης", "hatzidakis"),
    ("Μπακογιάννης", "bakogiannis"),
    ("Ευάγγελος Αυγερινός", "evangelos avgerinos"),
    ("Αυτοκίνητα", "aftokinita"),                                # αυ before τ: af
    ("ΟΥΕΙ", "wei"),                                             # foreign name: initial ου = w
])
def test_readings(written: str, reading: str) -> None:
    assert reading in readings(written)


@pytest.mark.parametrize(("token", "key"), [
    ("shevchenko", "sevcenko"), ("khodorkovsky", "hodorkovski"), ("dmitriy", "dmitri"),
    ("dmitrij", "dmitri"), ("dmitry", "dmitri"), ("sergey", "sergei"), ("mohammad", "mohamad"),
    ("company", "kompani"), ("tsvetkov", "cvetkov"), ("li", "li"), ("aa", "aa"),
])
def test_token_key(token: str, key: str) -> None:
    assert token_key(token) == key


LEGAL = [
    ("ALFA d.o.o.", "alfa"), ("Alfa DOO", "alfa"), ("ALFA DOOEL Skopje", "alfa skopje"),
    ("Beta SH.P.K.", "beta"), ("Beta sh.p.k", "beta"), ("Gamma A.D.", "gamma"),
    ("Gamma AD", "gamma"), ("Delta Sp. z o.o.", "delta"), ("Delta S.A. de C.V.", "delta"),
    ("Delta S.A.", "delta"), ("Delta SA", "delta"), ("Epsilon S.R.L.", "epsilon"),
    ("Epsilon s.r.o.", "epsilon"), ("Epsilon a.s.", "epsilon"), ("Zeta Kft.", "zeta"),
    ("Zeta GmbH", "zeta"), ("Zeta AG", "zeta"), ("Eta B.V.", "eta"), ("Eta N.V.", "eta"),
    ("Eta plc", "eta"), ("Theta Inc.", "theta"), ("Theta Corp.", "theta"),
    ("Theta Corporation", "theta"), ("Iota Trading Co., Ltd.", "iota"),
    ("Iota Group Limited", "iota"), ("Iota Company", "iota"), ("Kappa LLC", "kappa"),
    ("OOO Kappa", "kappa"), ("ZAO Kappa", "kappa"), ("OAO Kappa", "kappa"),
    ("PJSC Kappa", "kappa"), ("JSC Kappa", "kappa"), ("ООО «Ромашка»", "romashka"),
    ("ЗАО Ромашка", "romashka"), ("ОАО Ромашка", "romashka"), ("ПАО Ромашка", "romashka"),
    ("ДОО Ромашка", "romashka"), ("ДООЕЛ Ромашка", "romashka"), ("АД Ромашка", "romashka"),
    ("ΕΛΛΗΝΙΚΗ ΝΑΥΤΙΛΙΑ Α.Ε.", "elliniki naftilia"), ("ΝΑΥΤΙΛΙΑ ΑΕ", "naftilia"),
    ("ΝΑΥΤΙΛΙΑ ΕΠΕ", "naftilia"), ("ΝΑΥΤΙΛΙΑ ΙΚΕ", "naftilia"), ("ΝΑΥΤΙΛΙΑ Ο.Ε.", "naftilia"),
    ("LIMITED LIABILITY COMPANY OMEGA", "omega"), ("Omega Joint Stock Company", "omega"),
    ("PUBLIC JOINT STOCK COMPANY OMEGA", "omega"),
    ("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU FERTOING", "fertoing"),
    ("Общество с ограниченной ответственностью Фертоинг", "fertoing"),
    ("LIMITED LIAIBLITY COMPANY GAZPROM NEDRA", "gazprom nedra"),          # misspelt
    ("Trading Company", "trading company"),               # nothing but legal words: kept
]


@pytest.mark.parametrize(("name", "core"), LEGAL)
def test_legal_forms_are_removed(name: str, core: str) -> None:
    assert core in readings(name)


@pytest.mark.parametrize(("name", "folded"), [
    ("AL-GHANIMI, Karim Ja'far Muhsin", "alghanimi karim jafar muhsin"),
    ("Al Ghanimi Karim", "alghanimi karim"),
    ("O'Neil & Sons", "oneil sons"),
    ("Café Müller-Lüdenscheidt", "cafe muller ludenscheidt"),
    ("ＡＣＭＥ　Ｔｒａｄｅ", "acme trade"),                         # NFKC: full-width letters
    ("J.P. SMITH", "jp smith"),
    ("Straße", "strasse"),
])
def test_punctuation_case_width_and_diacritics(name: str, folded: str) -> None:
    assert folded in readings(name)


@pytest.mark.parametrize(("name", "short"), [
    ("Li", True), ("ROSNEFT", True), ("BNC", True), ("ООО Ромашка", True), ("Li Wei", False),
    ("Taras Shevchenko", False), ("Kang Su", False), ("Li Bo", True),
])
def test_short_names(name: str, short: bool) -> None:
    assert {f.short for f in analyze(name)} == {short}


def test_empty_and_noise_only_names_give_nothing() -> None:
    assert analyze("") == []
    assert analyze(" -., ") == []
