"""YAML: the example file reads, profiles survive a round trip, and bad YAML is coded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.errors import DocumentInvalid
from clearway.profiles.model import AllOf, AnyOf, FieldTest, Not, Profile, ProfileStatus
from clearway.profiles.yaml_io import dump_profile, dump_profiles, load_profile, load_profiles
from clearway.risk.engine.decision import Area, Channel

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "profiles.yaml"


def test_the_documented_example_reads_and_round_trips() -> None:
    profiles = load_profiles(EXAMPLE.read_text())
    assert [p.code for p in profiles] == ["VAL-TEXTILES-CN", "SEC-ROUTE-SANCTIONED",
                                          "CLS-NEW-TRADER-ELECTRONICS"]
    assert profiles[0].valid_from == date(2026, 1, 1) and profiles[0].min_channel == "yellow"
    assert load_profiles(dump_profiles(profiles)) == profiles


def test_version_and_status_are_written_but_not_read() -> None:
    (profile,) = load_profiles(EXAMPLE.read_text())[:1]
    stored = Profile(**{**profile.__dict__, "version": 4, "status": ProfileStatus.ACTIVE})
    text = dump_profiles([stored])
    assert "version: 4" in text and "status: active" in text
    again = load_profiles(text)[0]
    assert (again.version, again.status) == (1, ProfileStatus.DRAFT)
    assert load_profile(dump_profile(stored)) == profile


BASE = """
- code: P-1
  name: Norway
  area: origin
  weight: 0.4
  owner: ana
  when: {field: origin_country, in: [NO, "on", yes]}
"""


def test_country_codes_that_look_like_booleans_stay_text() -> None:
    (profile,) = load_profiles(BASE)
    assert profile.when == FieldTest("origin_country", "in", ("NO", "on", "yes"))


@pytest.mark.parametrize(("text", "code", "pointer"), [
    ("- code: [unclosed", "CW-PROFILE-YAML", None),
    ("- &a {code: A}\n- *a", "CW-PROFILE-YAML", None),
    ("- !!python/object:os.system {}", "CW-PROFILE-YAML", None),
    ("just text", "CW-PROFILE-YAML", "/"),
    ("- 42", "CW-PROFILE-ATTRIBUTE", "/0"),
    (BASE + BASE.replace("- code", "\n- code", 1), "CW-PROFILE-DUPLICATE", "/1/code"),
    (BASE.replace("origin_country", "origin"), "CW-PROFILE-FIELD", "/0/when/field"),
    (BASE.replace("weight: 0.4", "weight: 0.4\n  colour: red"), "CW-PROFILE-ATTRIBUTE",
     "/0/colour"),
])
def test_bad_yaml_gets_coded_issues(text: str, code: str, pointer: str | None) -> None:
    with pytest.raises(DocumentInvalid) as caught:
        load_profiles(text)
    assert (code, pointer) in [(i.code, i.pointer) for i in caught.value.errors]


def test_yaml_errors_say_where() -> None:
    with pytest.raises(DocumentInvalid) as caught:
        load_profiles("- code: A\n  name: [x\n")
    assert "line" in caught.value.errors[0].message


def test_the_editor_takes_exactly_one_profile() -> None:
    with pytest.raises(DocumentInvalid):
        load_profile(BASE + BASE.replace("P-1", "P-2"))
    assert load_profile(BASE).code == "P-1"


# --- round trip of generated profiles --------------------------------------------------

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
               min_size=1, max_size=30).map(str.strip).filter(bool)
CODES = st.lists(st.sampled_from(["CN", "NO", "ON", "YES", "0101", "6109", "1e3", "null",
                                  "true", "~", "a: b", "- x", "#c"]),
                 min_size=1, max_size=4, unique=True)
LEAVES = st.one_of(
    CODES.map(lambda v: FieldTest("origin_country", "in", tuple(v))),
    CODES.map(lambda v: FieldTest("hs6", "prefix", tuple(v))),
    st.booleans().map(lambda b: FieldTest("aeoc", "equals", b)),
    st.tuples(st.none() | st.integers(0, 10), st.integers(11, 99)).map(
        lambda r: FieldTest("trader_declarations", "range", r)),
    st.floats(0.01, 100, allow_nan=False).map(lambda f: FieldTest(
        "unit_value", "less_than_field", "reference_unit_value", f)),
    st.dates(date(2000, 1, 1), date(2100, 1, 1)).map(
        lambda d: FieldTest("declaration_date", "greater_than", d)),
    st.sampled_from(["(?i)cotton", "^a.*b$", "\\d{4}", "'quoted' \"both\""]).map(
        lambda r: FieldTest("description", "regex", r)),
)
CONDITIONS = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=3).map(lambda c: AllOf(tuple(c))),
    st.lists(inner, min_size=1, max_size=3).map(lambda c: AnyOf(tuple(c))),
    inner.map(Not)), max_leaves=8)


@settings(max_examples=60, deadline=None)
@given(when=CONDITIONS, name=TEXT, weight=st.floats(0, 1, allow_nan=False),
       channel=st.none() | st.sampled_from(list(Channel)), area=st.sampled_from(list(Area)),
       instructions=st.none() | TEXT)
def test_generated_profiles_survive_the_round_trip(
        when: AllOf, name: str, weight: float, channel: Channel | None, area: Area,
        instructions: str | None) -> None:
    profile = Profile(code="GEN-1", name=name, area=area, weight=weight, when=when,
                      owner="ana", min_channel=channel, instructions=instructions,
                      valid_from=date(2026, 1, 1))
    assert load_profiles(dump_profiles([profile])) == [profile]
