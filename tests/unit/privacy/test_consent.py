"""Purpose limitation and onward transfer as a table: the purpose a message was sent for is
always allowed; another purpose, or another recipient, needs the originator's consent; under
`forbidden` nothing passes on, consent or not."""

from __future__ import annotations

import pytest

from clearway.privacy.consent import decide
from clearway.privacy.model import Consent

M = "m-1"
FOR_STATS = Consent(M, "statistics", None, "RS", "RS letter 12/2026")
TO_POLICE = Consent(M, None, "police:RS-MUP", "RS", "RS letter 13/2026")

# (case, onward rule, consents, purpose, recipient, allowed, code, consent reference)
CASES = [
    ("the purpose it was sent for", "with-consent", [], "risk-analysis", None, True, None, None),
    ("another purpose, no consent", "with-consent", [], "statistics", None, False,
     "CW-PRIV-PURPOSE", None),
    ("another purpose, consent for it", "with-consent", [FOR_STATS], "statistics", None, True,
     None, "RS letter 12/2026"),
    ("another purpose, consent for a recipient only", "with-consent", [TO_POLICE],
     "statistics", None, False, "CW-PRIV-PURPOSE", None),
    ("another purpose under forbidden, consent", "forbidden", [FOR_STATS], "statistics", None,
     True, None, "RS letter 12/2026"),
    ("onward, no consent", "with-consent", [], None, "police:RS-MUP", False, "CW-PRIV-ONWARD",
     None),
    ("onward, consent", "with-consent", [TO_POLICE], None, "police:RS-MUP", True, None,
     "RS letter 13/2026"),
    ("onward to another recipient than consented", "with-consent", [TO_POLICE], None, "AL",
     False, "CW-PRIV-ONWARD", None),
    ("onward under forbidden, no consent", "forbidden", [], None, "AL", False,
     "CW-PRIV-ONWARD", None),
    ("onward under forbidden, even with consent", "forbidden", [TO_POLICE], None,
     "police:RS-MUP", False, "CW-PRIV-ONWARD", None),
]


@pytest.mark.parametrize(("case", "rule", "consents", "purpose", "recipient", "allowed", "code",
                          "reference"), CASES, ids=[c[0] for c in CASES])
def test_use_and_onward_transfer(case: str, rule: str, consents: list[Consent],
                                 purpose: str | None, recipient: str | None, allowed: bool,
                                 code: str | None, reference: str | None) -> None:
    decision = decide(onward_transfer=rule, sent_for="risk-analysis", consents=consents,
                      purpose=purpose, recipient=recipient)
    assert (decision.allowed, decision.code, decision.consent) == (allowed, code, reference)


@pytest.mark.parametrize(("purpose", "recipient"), [(None, None), ("statistics", "AL")])
def test_a_decision_weighs_one_purpose_or_one_recipient(purpose: str | None,
                                                        recipient: str | None) -> None:
    with pytest.raises(ValueError):
        decide(onward_transfer="with-consent", sent_for="risk-analysis", consents=[],
               purpose=purpose, recipient=recipient)
