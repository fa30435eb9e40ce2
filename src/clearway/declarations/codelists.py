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

# DE 4/10, 4/14: ISO 4217 codes that are no money an invoice is written in: precious metals
# (XAU, XAG, XPD, XPT), bond-market and accounting units (XBA-XBD, XDR, XSU, XUA), the code
# reserved for testing (XTS) and "no currency involved" (XXX). ISO gives none of them minor
# units; the currencies reference list keeps them, as ISO does, for other uses.
NOT_MONEY = frozenset(["XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU",
                       "XTS", "XUA", "XXX"])

# ISO 6346: owner code (3 letters), equipment category (U freight container, J detachable
# equipment, Z trailer or chassis), 6-digit serial number, check digit. DE 7/10 is free text
# (an..17): swap bodies, trailers and national equipment carry other identifications (the
# DMS trade tests use DM1234, AD12345, DM987654321, CN-1234228/34), so those are taken as
# given. An identification that reads as an ISO number, written any way (once spaces and
# hyphens are left out: an owner code and category then digits only, as in a truncated
# number; or 11 letters and digits beginning with four letters and holding six digits, or
# holding a category letter then six digits; FNSupply192 is no ISO number), is held to the
# standard in its one written form: upper case, no spaces, the right category letter and
# check digit. Two ways of writing one container would otherwise be two containers to risk
# analysis and to the officer.
MAX_CONTAINER_CHARS = 17
_CONTAINER = re.compile(r"[A-Z]{3}[UJZ][0-9]{7}")
_ISO_LOOKING = re.compile(r"[A-Za-z0-9]{11}")
_ISO_PREFIX = re.compile(r"[A-Za-z]{3}[UJZujz][0-9]+")  # a truncated or overlong ISO number
_ISO_HINT = re.compile(r"[A-Za-z]{4}(?:[^0-9]*[0-9]){6}.*|.*[UJZujz][0-9]{6}.*")
_FREE_TEXT = re.compile(r"[!-~]+(?: [!-~]+)*")  # printable ASCII, single inner spaces
# Letter values skip the multiples of 11 (A=10, B=12 ... K=21, L=23 ... V=34, W=35 ...).
_VALUES = {ch: v for ch, v in zip(string.ascii_uppercase,
                                  [n for n in range(10, 39) if n % 11], strict=True)}
_VALUES.update({d: int(d) for d in string.digits})


def container_problem(number: str) -> str | None:
    """Why a DE 7/10 identification is refused, or None when it is acceptable."""
    if not number.strip():
        return "The container identification is blank"
    if not number.isascii() or not _FREE_TEXT.fullmatch(number):
        return (f"{number!r} holds characters other than letters, digits and punctuation of "
                "ASCII (or surrounding or double spaces)")
    if len(number) > MAX_CONTAINER_CHARS:
        return f"{number!r} is longer than {MAX_CONTAINER_CHARS} characters (DE 7/10 an..17)"
    compact = number.replace(" ", "").replace("-", "")
    if not (_ISO_PREFIX.fullmatch(compact) or (
            _ISO_LOOKING.fullmatch(compact) and _ISO_HINT.fullmatch(compact))):
        return None
    canonical = compact.upper()
    if not _CONTAINER.fullmatch(canonical):
        return (f"{number!r} reads as an ISO 6346 container number but is not one (owner "
                "code of three letters, category U, J or Z, six digits and a check digit)")
    if canonical[10] != container_check_digit(canonical[:10]):
        return f"{number!r} does not have the right ISO 6346 check digit"
    if number != canonical:
        return f"Write the container number {number!r} as {canonical} (ISO 6346 form)"
    return None


def container_check_digit(owner_serial: str) -> str:
    """The check digit of a 10-character owner code + category + serial (for generators)."""
    return str(sum(_VALUES[ch] << i for i, ch in enumerate(owner_serial)) % 11 % 10)
