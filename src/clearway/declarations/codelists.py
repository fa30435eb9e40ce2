"""Small, stable code lists that validation checks without reference data (they change by
regulation, not by administration), and the ISO 6346 container check digit.

Sources: UCC Delegated Regulation (EU) 2015/2446, Annex B (DE 1/2, 4/1, 8/5), the
Incoterms 2020 rules (ICC), and ISO 6346:2022 for container identification.
"""

from __future__ import annotations

import re
import string

# DE 1/2 additional declaration type. EU: A standard, B/C simplified (occasional/regular),
# D/E/F the same lodged before presentation (Art. 171), X/Y supplementary to B+E / C+F,
# Z supplementary for entry in the declarant's records, J notification of such an entry.
# UK CDS adds K (pre-lodged entry in records), Q and R, S (used by the DMS trade tests).
ADDITIONAL_TYPES = frozenset("ABCDEFJKQRSXYZ")

# DE 8/5 nature of transaction: the one-digit column A (allowed alone), and the EU's
# two-digit codes (columns A and B, list applicable since 2022).
NATURE_OF_TRANSACTION = frozenset([
    "1", "2", "3", "4", "5", "6", "7", "8", "9",
    "11", "12", "21", "22", "23", "31", "32", "33", "34", "41", "42", "51", "52", "60", "71",
    "72", "80", "91", "99"])

# DE 4/1 delivery terms: the Incoterms 2020 rules, DAT (Incoterms 2010, still named in older
# contracts and kept in the EU code list) and XXX (terms other than Incoterms).
INCOTERMS = frozenset(["EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU",
                       "DDP", "DAT", "XXX"])

# ISO 6346: owner code (3 letters), equipment category (U freight container, J detachable
# equipment, Z trailer or chassis), 6-digit serial number, check digit. Spaces and hyphens
# that people write between the parts are ignored. DE 7/10 is free text (an..17): swap
# bodies, trailers and national equipment carry other identifications, so only a number in
# ISO form (owner code and category, then digits) is held to the standard: all seven digits
# and the right check digit, which is what catches a mistyped or truncated number.
_ISO_FORM = re.compile(r"[A-Z]{3}[UJZ][0-9]+")
_CONTAINER = re.compile(r"[A-Z]{3}[UJZ][0-9]{7}")
# Letter values skip the multiples of 11 (A=10, B=12 ... K=21, L=23 ... V=34, W=35 ...).
_VALUES = {ch: v for ch, v in zip(string.ascii_uppercase,
                                  [n for n in range(10, 39) if n % 11], strict=True)}
_VALUES.update({d: int(d) for d in string.digits})


def container_number_valid(number: str) -> bool:
    """False for a number in ISO 6346 form without its seven digits or with a wrong check
    digit; True for a valid one and for identifications of other forms."""
    compact = number.replace(" ", "").replace("-", "").upper()
    if not _ISO_FORM.fullmatch(compact):
        return True
    if not _CONTAINER.fullmatch(compact):
        return False
    total = sum(_VALUES[ch] << i for i, ch in enumerate(compact[:10]))
    return total % 11 % 10 == int(compact[10])


def container_check_digit(owner_serial: str) -> str:
    """The check digit of a 10-character owner code + category + serial (for generators)."""
    return str(sum(_VALUES[ch] << i for i, ch in enumerate(owner_serial)) % 11 % 10)
