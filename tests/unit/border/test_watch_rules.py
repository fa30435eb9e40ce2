"""The watch lists' rules without a database: how values become keys (plates and container
numbers without spaces or dashes, any case; EORIs; company names through the screening
normaliser), which facets each kind of entry is found by, validity dates, and who sees an
entry or alert (persons never by an agency)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clearway.border.model import (
    BORDER_POLICE,
    CUSTOMS,
    WatchEntry,
    WatchKind,
    plate_or_unit,
    service_of,
    visible,
)
from clearway.border.watch import FACETS, keys_of, looks_like_eori, party_targets
from clearway.identity import Role, User

K = WatchKind


@pytest.mark.parametrize(("kind", "value", "expected"), [
    (K.VEHICLE, "BG 123-AB", {("plate", "BG123AB")}),
    (K.VEHICLE, "bg-123-ab", {("plate", "BG123AB")}),
    (K.VEHICLE, " BG.123 AB ", {("plate", "BG123AB")}),
    (K.CONTAINER, "msku 123456-7", {("container", "MSKU1234567")}),
    (K.CONTAINER, "MSKU1234567", {("container", "MSKU1234567")}),
    (K.COMPANY, "rs100234567", {("eori", "RS100234567")}),
    (K.COMPANY, "Balkan Trade d.o.o.", {("name", "balkan trade")}),
    (K.COMPANY, "TRADE BALKAN LTD", {("name", "balkan trade")}),
    (K.PERSON, "ps1:k1:abc", {("person", "ps1:k1:abc")}),
    (K.VEHICLE, " - ", set()),
])
def test_values_become_keys(kind: WatchKind, value: str, expected: set[tuple[str, str]]
                            ) -> None:
    assert keys_of(kind, value) == expected


@pytest.mark.parametrize(("value", "eori"), [
    ("RS100234567", True), ("rs100234567", True), ("Balkan Trade", False), ("ACME", False),
    ("RS 100234567", False),
])
def test_an_eori_is_told_from_a_name(value: str, eori: bool) -> None:
    assert looks_like_eori(value) is eori


def test_a_party_is_compared_by_eori_and_by_name() -> None:
    found = {(t.facet, t.key) for t in party_targets("consignee", "rs-100234567",
                                                      "Balkan Trade DOO")}
    assert found == {("eori", "RS100234567"), ("name", "balkan trade")}


@pytest.mark.parametrize(("kind", "facets"), [
    (K.VEHICLE, ("plate",)), (K.CONTAINER, ("container",)), (K.COMPANY, ("eori", "name")),
    (K.PERSON, ("person",)),
])
def test_each_kind_is_found_by_its_own_facets_only(kind: WatchKind,
                                                  facets: tuple[str, ...]) -> None:
    assert FACETS[kind] == facets


def test_plates_and_units_compare_letters_and_digits_only() -> None:
    assert plate_or_unit("ab-12 3") == plate_or_unit("AB123") == "AB123"
    assert plate_or_unit(None) == ""


def _entry(valid_from: date, valid_to: date | None, ended: bool = False) -> WatchEntry:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    return WatchEntry(id=1, kind=K.VEHICLE, shown="BG1", reason="r", owner=CUSTOMS,
                      shared_with=(), valid_from=valid_from, valid_to=valid_to,
                      created_by="x", created_at=at, ended_at=at if ended else None)


@pytest.mark.parametrize(("valid_from", "valid_to", "ended", "day", "valid"), [
    (date(2026, 12, 1), None, False, date(2026, 12, 1), True),
    (date(2026, 12, 1), None, False, date(2026, 11, 30), False),
    (date(2026, 12, 1), date(2026, 12, 5), False, date(2026, 12, 5), True),
    (date(2026, 12, 1), date(2026, 12, 5), False, date(2026, 12, 6), False),
    (date(2026, 12, 1), None, True, date(2026, 12, 2), False),
])
def test_an_entry_hits_only_while_valid(valid_from: date, valid_to: date | None, ended: bool,
                                        day: date, valid: bool) -> None:
    assert _entry(valid_from, valid_to, ended).valid_on(day) is valid


def user(role: Role, agency: str | None = None) -> User:
    return User(id=1, name="u", role=role, trader_id=agency)


PH, VET = user(Role.AGENCY_OFFICER, "PH"), user(Role.AGENCY_SUPERVISOR, "VET")
ALL = frozenset({CUSTOMS, BORDER_POLICE, "PH", "VET"})


@pytest.mark.parametrize(("who", "kind", "services", "sees"), [
    (user(Role.OFFICER), K.VEHICLE, frozenset({CUSTOMS}), True),
    (user(Role.OFFICER), K.VEHICLE, frozenset({BORDER_POLICE}), False),
    (user(Role.RISK_ANALYST), K.PERSON, frozenset({CUSTOMS}), True),
    (user(Role.SECURITY_OFFICER), K.PERSON, frozenset({CUSTOMS}), True),
    (user(Role.BORDER_POLICE), K.PERSON, frozenset({BORDER_POLICE}), True),
    (user(Role.BORDER_POLICE), K.CONTAINER, frozenset({CUSTOMS}), False),
    (PH, K.CONTAINER, frozenset({CUSTOMS, "PH"}), True),
    (PH, K.CONTAINER, frozenset({CUSTOMS, "VET"}), False),
    (VET, K.COMPANY, ALL, True),
    (PH, K.PERSON, ALL, False),        # persons never to an agency, even if shared
    (VET, K.PERSON, ALL, False),
    (user(Role.AUDITOR), K.PERSON, ALL, False),
    (user(Role.TRADER, "RS1"), K.VEHICLE, ALL, False),
])
def test_who_sees_an_entry_or_alert(who: User, kind: WatchKind, services: frozenset[str],
                                    sees: bool) -> None:
    assert visible(who, kind, services) is sees


@pytest.mark.parametrize(("who", "service"), [
    (user(Role.OFFICER), CUSTOMS), (user(Role.RISK_ANALYST), CUSTOMS),
    (user(Role.BORDER_POLICE), BORDER_POLICE), (PH, "PH"), (VET, "VET"),
    (user(Role.TRADER, "RS1"), None), (user(Role.PARTNER, "MK"), None),
])
def test_each_role_acts_for_one_service(who: User, service: str | None) -> None:
    assert service_of(who) == service
