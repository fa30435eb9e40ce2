"""Agreements from YAML: the example reads, and every problem of a document is reported at
once, each with its JSON pointer, under CW-EXCH-AGREEMENT."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from clearway.errors import DocumentInvalid
from clearway.exchange.agreements import parse_agreements
from unit.exchange.exchange_data import EXAMPLE, example

GOOD = """\
id: RS-NO-1
parties: [RS, "NO"]
legal_basis: Art. 7
valid_from: 2026-01-01
valid_to: 2026-12-31
message_types: [ping]
purposes: {risk-analysis: [mrn, note], spare: []}
retention_days: 30
onward_transfer: with-consent
"""


def test_the_example_agreement_reads() -> None:
    agreement = example()
    assert agreement.id == "RS-MK-2026" and agreement.parties == {"RS", "MK"}
    assert {"anticipated-arrival", "exit-confirmation", "mutual-assistance-request",
            "ping"} <= agreement.message_types
    assert {"risk-analysis", "transit-control", "mutual-assistance"} <= agreement.purposes
    assert agreement.purposes == set(agreement.fields)
    assert agreement.valid_to is None and agreement.onward_transfer == "with-consent"
    (crossing,) = agreement.crossings
    assert crossing.entry_office("RS004002") == "MK002001"
    assert crossing.entry_office("MK002001") == "RS004002"
    assert crossing.entry_office("RS001001") is None
    assert agreement.crossing_at("MK002001") is crossing


CROSSING_CASES = [
    ("offices: {RS: RS1}", "offices"),
    ("offices: {RS: RS1, NO: RS1}", "offices"),
    ("transit_minutes: [10, 5]", "transit_minutes"),
    ("transit_minutes: 5", "transit_minutes"),
    ("arrival_deadline_hours: 0", "arrival_deadline_hours"),
]


@pytest.mark.parametrize(("change", "pointer_end"), CROSSING_CASES)
def test_a_wrong_crossing_is_named(change: str, pointer_end: str) -> None:
    key = change.split(":")[0]
    good = {"offices": "offices: {RS: RS1, NO: NO1}", "transit_minutes": "transit_minutes: [5, 60]",
            "arrival_deadline_hours": "arrival_deadline_hours: 24"}
    good[key] = change
    text = GOOD + "crossings:\n  - name: X\n" + "".join(f"    {v}\n" for v in good.values())
    with pytest.raises(DocumentInvalid) as caught:
        parse_agreements(text)
    assert caught.value.errors[0].pointer.startswith("/crossings/0/" + pointer_end)


def test_one_agreement_or_a_list_reads_and_no_stays_a_country() -> None:
    (one,) = parse_agreements(GOOD)
    assert one.parties == {"RS", "NO"}
    assert (one.valid_from, one.valid_to) == (date(2026, 1, 1), date(2026, 12, 31))
    assert one.fields == {"risk-analysis": {"mrn", "note"}, "spare": frozenset()}
    assert parse_agreements(_listed(GOOD)) == [one]
    assert parse_agreements(GOOD.replace("parties: [RS, \"NO\"]", "parties: [RS, NO]")) == [one]


def _listed(*docs: str) -> str:
    """The agreements as one YAML list."""
    return "".join("- " + doc.replace("\n", "\n  ") + "\n" for doc in docs)


def _issues(text: str) -> list[tuple[str, str | None]]:
    with pytest.raises(DocumentInvalid) as refused:
        parse_agreements(text)
    assert {issue.code for issue in refused.value.errors} == {"CW-EXCH-AGREEMENT"}
    return [(issue.pointer or "", issue.element) for issue in refused.value.errors]


BAD = [
    ("unknown key", GOOD + "extra: 1\n", [("/extra", "extra")]),
    ("missing id", GOOD.replace("id: RS-NO-1\n", ""), [("/id", "id")]),
    ("one party", GOOD.replace('[RS, "NO"]', "[RS]"), [("/parties", "parties")]),
    ("party twice", GOOD.replace('[RS, "NO"]', "[RS, RS]"), [("/parties", "parties")]),
    ("bad party", GOOD.replace('[RS, "NO"]', "[RS, Macedonia]"), [("/parties/1", "parties")]),
    ("bad date", GOOD.replace("valid_from: 2026-01-01", "valid_from: 1/1/2026"),
     [("/valid_from", "valid_from")]),
    ("a time is no date", GOOD.replace("valid_from: 2026-01-01", "valid_from: 2026-01-01T10:00"),
     [("/valid_from", "valid_from")]),
    ("ends before it starts", GOOD.replace("2026-12-31", "2025-12-31"),
     [("/valid_to", "valid_to")]),
    ("no types", GOOD.replace("[ping]", "[]"), [("/message_types", "message_types")]),
    ("type with a space", GOOD.replace("[ping]", "[ping, 'a b']"),
     [("/message_types/1", "message_types")]),
    ("purposes a list", GOOD.replace("{risk-analysis: [mrn, note], spare: []}", "[risk-analysis]"),
     [("/purposes", "purposes")]),
    ("fields not a list", GOOD.replace("spare: []", "spare: mrn"),
     [("/purposes/spare", "purposes")]),
    ("bad field", GOOD.replace("[mrn, note]", "[mrn, 'no te']"),
     [("/purposes/risk-analysis/1", "purposes")]),
    ("zero retention", GOOD.replace("retention_days: 30", "retention_days: 0"),
     [("/retention_days", "retention_days")]),
    ("retention as text", GOOD.replace("retention_days: 30", "retention_days: a year"),
     [("/retention_days", "retention_days")]),
    ("onward transfer", GOOD.replace("with-consent", "allowed"),
     [("/onward_transfer", "onward_transfer")]),
    ("blank basis", GOOD.replace("Art. 7", "''"), [("/legal_basis", "legal_basis")]),
    ("not a mapping", "- just text\n", [("/0", None)]),
    ("empty document", "", [("", None)]),
    ("duplicate id", _listed(GOOD, GOOD), [("/1/id", "id")]),
    ("alias", "- &a " + _listed(GOOD)[2:] + "- *a\n", [("", None)]),
    ("not YAML", "id: [unclosed\n", [("", None)]),
]


@pytest.mark.parametrize(("case", "text", "expected"), BAD, ids=[c for c, _, _ in BAD])
def test_a_wrong_agreement_is_refused_with_pointers(case: str, text: str,
                                                    expected: list[tuple[str, str | None]]) -> None:
    assert _issues(text) == expected


def test_every_problem_of_every_agreement_is_reported_together() -> None:
    first = GOOD.replace("retention_days: 30", "retention_days: -1").replace("[ping]", "[]")
    second = GOOD.replace("with-consent", "maybe").replace("id: RS-NO-1", "id: RS-NO-2")
    assert sorted(_issues(_listed(first, second))) == [("/0/message_types", "message_types"),
                                     ("/0/retention_days", "retention_days"),
                                     ("/1/onward_transfer", "onward_transfer")]


def test_the_example_is_plain_yaml() -> None:
    assert isinstance(yaml.safe_load(EXAMPLE.read_text()), list)


def test_a_document_too_large_or_not_utf8_is_refused() -> None:
    assert _issues(GOOD + "#" * (1024 * 1024)) == [("", None)]
    assert _issues(b"id: \xff\n") == [("", None)]
