"""Purpose limitation and onward transfer (Convention 108+, Art. 5 and 14): received data
serves the purpose it was sent for. Another purpose needs the originator's recorded consent;
so does passing it on to another recipient (another agency, a third administration) when
the agreement says `with-consent`, and under `forbidden` nothing passes on at all."""

from __future__ import annotations

from collections.abc import Iterable

from clearway.privacy.model import Consent, Decision


def decide(*, onward_transfer: str, sent_for: str, consents: Iterable[Consent],
           purpose: str | None = None, recipient: str | None = None) -> Decision:
    """The decision on using a message sent for `sent_for` for `purpose`, or on passing it
    to `recipient` (exactly one of the two), given the originator's `consents` for it."""
    if (purpose is None) == (recipient is None):
        raise ValueError("decide() weighs a purpose or a recipient, one of the two")
    given = list(consents)
    if recipient is not None:
        if onward_transfer != "with-consent":
            return Decision(False, "CW-PRIV-ONWARD", "The agreement forbids onward transfer")
        found = next((c for c in given if c.recipient == recipient), None)
        if found is None:
            return Decision(False, "CW-PRIV-ONWARD", f"The originator has not consented to "
                            f"passing the data to {recipient}")
        return Decision(True, None, "The originator consented", found.reference)
    if purpose == sent_for:
        return Decision(True, None, "The purpose the data was sent for")
    found = next((c for c in given if c.purpose == purpose), None)
    if found is None:
        return Decision(False, "CW-PRIV-PURPOSE", f"The data was sent for {sent_for}; the "
                        f"originator has not consented to its use for {purpose}")
    return Decision(True, None, "The originator consented", found.reference)
