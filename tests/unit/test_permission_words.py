"""Refusals in words (`identity.refusal`): every permission and role has them, and the
sentence names who may do it instead."""

from __future__ import annotations

import pytest

from clearway.identity import PERMISSION_WORDS, ROLE_WORDS, Permission, Role, refusal


def test_every_permission_and_role_has_words() -> None:
    assert set(PERMISSION_WORDS) == set(Permission)
    assert set(ROLE_WORDS) == set(Role)
    assert all(":" not in words for words in PERMISSION_WORDS.values())


@pytest.mark.parametrize(("role", "permission", "expected"), [
    (Role.OFFICER, Permission.SUBMIT_DECLARATION,
     "Officers cannot lodge declarations. Sign in as a trader to do this."),
    (Role.TRADER, Permission.READ_KPIS,
     "Traders cannot see the key figures. Sign in as an officer, a risk analyst, a supervisor, "
     "an auditor, an administrator or a security risk officer to do this."),
    (Role.OFFICER, Permission.MANAGE_TASKS,
     "Officers cannot reassign tasks or keep the duty roster. Sign in as a supervisor to do "
     "this."),
    (Role.PARTNER, Permission.READ_DECLARATIONS,
     "Partner liaisons cannot read declarations. Sign in as a trader, an officer, a risk "
     "analyst, a supervisor, an auditor, an administrator, the data protection officer, a "
     "security risk officer or the head of administration to do this."),
])
def test_a_refusal_says_who_may(role: Role, permission: Permission, expected: str) -> None:
    assert refusal(role, permission) == expected
    assert permission.value not in refusal(role, permission)
