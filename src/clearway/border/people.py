"""Persons at the border as keyed pseudonyms only: a driver at the booth and a person on the
watch list are given by name and document number, which are turned into the privacy room's
pseudonym (`privacy.pseudonyms`) under the border's own keys and never stored.

The keys are those of the pseudonym keys file (`Settings.pseudonym_keys_file`) under the
agreement name "border" (this administration's own key, shared with no partner). A booth record
takes the pseudonym of the key valid today; a watch-list entry is found by its pseudonym under
every border key ever held, so a key rotation does not blind the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clearway.border.model import invalid, plate_or_unit
from clearway.privacy import pseudonyms

KEYS = "border"


@dataclass(frozen=True)
class Person:
    """What an officer reads off a document; kept in memory only."""

    name: str
    document: str
    country: str | None = None

    def identity(self) -> str:
        name, document = self.name.strip(), plate_or_unit(self.document)
        if not name or not document or len(name) > 200 or len(document) > 40:
            raise invalid("CW-BORDER-DRIVER", "A person is given by name (up to 200 "
                          "characters) and document number (up to 40 letters and digits)")
        if self.country is not None and not (len(self.country) == 2 and
                                             self.country.isalpha()):
            raise invalid("CW-BORDER-DRIVER", "The person's country is a two-letter code")
        return pseudonyms.normalised(name, self.country) + "|" + document


def pseudonym_today(ring: pseudonyms.Keyring, person: Person, day: date) -> str:
    """The person's pseudonym under the border key valid on `day`."""
    identity = person.identity()
    found = pseudonyms.pseudonymise(ring, KEYS, identity, day)
    if found is None:
        raise invalid("CW-BORDER-DRIVER", "No border pseudonym key is valid today: the operator "
                      f"adds one under agreement {KEYS!r} to the pseudonym keys file")
    return found


def every_pseudonym(ring: pseudonyms.Keyring, person: Person) -> frozenset[str]:
    """The person's pseudonym under every border key (what a watch-list entry is found by)."""
    found = pseudonyms.every_pseudonym(ring, KEYS, person.identity())
    if not found:
        raise invalid("CW-BORDER-DRIVER", f"No border pseudonym key (agreement {KEYS!r}) is in "
                      "the pseudonym keys file: a person cannot be listed")
    return found
