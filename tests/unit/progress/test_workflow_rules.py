"""The report's rules without storage: review needs every section completed, four eyes on
review and approval, a frozen report never changes, the hash is over canonical JSON."""

from __future__ import annotations

import pytest

from clearway.errors import ClearwayError
from clearway.progress.model import (
    SECTION_KEYS,
    SectionState,
    Status,
    canonical,
    check_approver,
    check_reviewer,
    content_hash,
    require_status,
    reviewable,
)


def sections(author: str = "ana", **others: str) -> list[SectionState]:
    return [SectionState(k, others.get(k, author), "text", others.get(k, author))
            for k in SECTION_KEYS]


def refused(fn: object, *args: object) -> str | None:
    try:
        fn(*args)  # type: ignore[operator]
    except ClearwayError as exc:
        return exc.code
    return None


@pytest.mark.parametrize(("states", "code"), [
    (sections(), None),
    ([*sections()[:-1], SectionState("messaging", "ana", "text", None)], "CW-PROGRESS-INCOMPLETE"),
    ([*sections()[:-1], SectionState("messaging", "ana", "  ", "ana")], "CW-PROGRESS-INCOMPLETE"),
])
def test_review_needs_every_section_completed(states: list[SectionState],
                                               code: str | None) -> None:
    assert refused(reviewable, states) == code


@pytest.mark.parametrize(("reviewer", "states", "code"), [
    ("rita", sections(), None),
    ("ana", sections(), "CW-PROGRESS-FOUR-EYES"),                       # wrote them all
    ("rita", sections(training="rita"), "CW-PROGRESS-FOUR-EYES"),       # wrote one
])
def test_nobody_reviews_their_own_sections(reviewer: str, states: list[SectionState],
                                           code: str | None) -> None:
    assert refused(check_reviewer, reviewer, states) == code


@pytest.mark.parametrize(("approver", "reviewer", "states", "code"), [
    ("hugo", "rita", sections(), None),
    ("rita", "rita", sections(), "CW-PROGRESS-FOUR-EYES"),               # reviewed it
    ("hugo", "rita", sections(risk="hugo"), "CW-PROGRESS-FOUR-EYES"),   # wrote a section
])
def test_the_head_approves_what_others_wrote_and_reviewed(
        approver: str, reviewer: str, states: list[SectionState], code: str | None) -> None:
    assert refused(check_approver, approver, reviewer, states) == code


@pytest.mark.parametrize(("status", "allowed", "code"), [
    (Status.DRAFT, (Status.DRAFT,), None),
    (Status.REVIEWED, (Status.DRAFT,), "CW-PROGRESS-STATE"),
    (Status.APPROVED, (Status.DRAFT,), "CW-PROGRESS-FROZEN"),
    (Status.SUBMITTED, (Status.DRAFT,), "CW-PROGRESS-FROZEN"),
    (Status.IMPORTED, (Status.DRAFT,), "CW-PROGRESS-FROZEN"),
    (Status.DRAFT, (Status.REVIEWED,), "CW-PROGRESS-STATE"),
    (Status.SUBMITTED, (Status.APPROVED,), "CW-PROGRESS-STATE"),
])
def test_steps_follow_the_status(status: Status, allowed: tuple[Status, ...],
                                 code: str | None) -> None:
    assert refused(require_status, status, *allowed) == code


def test_the_hash_is_over_canonical_json_whatever_the_key_order() -> None:
    one = {"b": [1, 2.5, None], "a": {"z": "ž", "y": True}}
    other = {"a": {"y": True, "z": "ž"}, "b": [1, 2.5, None]}
    assert canonical(one) == canonical(other) == (
        '{"a":{"y":true,"z":"ž"},"b":[1,2.5,null]}'.encode())
    assert content_hash(one) == content_hash(other)
    assert content_hash({**one, "b": [1, 2.5, 0]}) != content_hash(one)
