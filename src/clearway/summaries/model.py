"""What the carrier is told about a summary declaration (ENS or EXS), and the rules of its
request for information (RFI). Pure: no storage, no HTTP.

The carrier reads the outcome (ICS2 style), never the risk reasons: each outcome is its own
notification kind with what to do; a request for information says which data is asked, in
fixed words derived from the conditions that raised it (the carrier's own data only, never a
risk list's entry).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from clearway.errors import ClearwayError
from clearway.risk.engine.decision import Channel, EnsOutcome, Hit

# The notification kind of each outcome (the payload's `kind`; `outcome` holds the value).
KINDS: dict[EnsOutcome, str] = {
    EnsOutcome.NO_RISK: "no_risk_identified",
    EnsOutcome.RFI: "request_for_information",
    EnsOutcome.HRS: "high_risk_screening",
    EnsOutcome.DNL: "do_not_load",
}
# Held results: no four-eyes override lowers them; a security risk officer clears them.
HELD = frozenset({EnsOutcome.HRS, EnsOutcome.DNL})
# What a security officer may clear a held result to: DNL to screening, either to no risk.
CLEARABLE: dict[EnsOutcome, frozenset[EnsOutcome]] = {
    EnsOutcome.DNL: frozenset({EnsOutcome.HRS, EnsOutcome.NO_RISK}),
    EnsOutcome.HRS: frozenset({EnsOutcome.NO_RISK}),
}
# A channel that selects a summary without an S&S outcome (a profile, the random draw)
# still tells the carrier what to do: a documentary check asks for information, a
# physical one is a screening.
_BY_CHANNEL = {Channel.YELLOW: EnsOutcome.RFI, Channel.RED: EnsOutcome.HRS}
MAX_ANSWER = 4000
GENERIC_ASK = ("the transport document of the consignment (bill of lading, air waybill or "
               "consignment note) and the commercial invoice")


class RfiStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class AnsweredBy(StrEnum):
    TEXT = "text"
    AMENDMENT = "amendment"


def carrier_outcome(ens_outcome: EnsOutcome | str | None, channel: Channel | str) -> EnsOutcome:
    """The outcome the carrier is told: the S&S outcome, or what the channel implies when
    that is stricter."""
    found = EnsOutcome(ens_outcome) if ens_outcome else EnsOutcome.NO_RISK
    implied = _BY_CHANNEL.get(Channel(channel), EnsOutcome.NO_RISK)
    return max(found, implied, key=lambda o: o.rank)


def _ask(hit: Hit) -> str:
    ev: dict[str, Any] = hit.evidence
    condition = ev.get("condition")
    item = f" of item {hit.item}" if hit.item is not None else ""
    if condition == "vague_description":
        said = (ev.get("description") or "").strip()
        instead = f", instead of \"{said}\"" if said else ""
        return (f"a precise description of the goods{item}: what they are, their material or "
                f"use, and their quantity{instead}")
    if condition == "incomplete_consignor":
        role = ev.get("role", "consignor")
        return f"the {role}'s identity: EORI number (if any), full name and address"
    if condition == "new_consignee":
        role = "consignor" if "consignor_id" in ev else "consignee"
        return f"the {role}'s identity: EORI number, full name and address"
    if condition in ("elevated_risk_route", "high_risk_route"):
        return "the full itinerary of the consignment: every country of routing, in order"
    if condition == "high_risk_loading":
        return "where the goods were packed and loaded, and by whom"
    if condition == "dangerous_goods":
        return (f"the dangerous goods{item}: UN number, proper shipping name, quantity and "
                "packing group")
    return GENERIC_ASK


def information_requested(hits: Iterable[Hit]) -> list[str]:
    """Which data the carrier is asked for: one line per RFI condition (in the order of the
    hits, without repeats); the transport document when none says more."""
    asked = [_ask(h) for h in hits if h.ens_outcome == EnsOutcome.RFI]
    return list(dict.fromkeys(asked)) or [GENERIC_ASK]


@dataclass(frozen=True)
class OutcomeWords:
    kind: str
    message: str
    extra: dict[str, Any]


def words(outcome: EnsOutcome, *, doc_type: str, mrn: str | None, office: str | None,
          asked: Sequence[str] = ()) -> OutcomeWords:
    """The carrier's notification of an outcome: its kind, the message (what to do) and the
    payload fields the carrier reads (`outcome`, `office`, `information_requested`)."""
    at = f" at customs office {office}" if office else " at the customs office"
    extra: dict[str, Any] = {"outcome": str(outcome), "office": office}
    if outcome == EnsOutcome.NO_RISK:
        text = f"No risk identified: the consignment of {doc_type} {mrn} may be loaded."
    elif outcome == EnsOutcome.RFI:
        extra["information_requested"] = list(asked)
        text = (f"Request for information: do not load the consignment of {doc_type} {mrn} "
                f"until you have answered. Information requested: {'; '.join(asked)}. Answer "
                f"with POST /api/v1/summaries/{mrn}/rfi/answer (your answer in words), or "
                f"lodge an amended {doc_type} with the corrected data (function code 13, "
                f"amends_mrn {mrn}).")
    elif outcome == EnsOutcome.HRS:
        text = (f"High-risk screening: before loading, present the consignment of {doc_type} "
                f"{mrn} for screening (scan or search){at}. Load it only once customs tell "
                "you the screening is done.")
    else:
        text = (f"Do not load: the consignment of {doc_type} {mrn} must not be loaded. Keep "
                f"it where it is and contact customs{at}; if the data lodged were wrong, "
                f"lodge an amended {doc_type}. The consignment stays barred until customs "
                "clear it.")
    return OutcomeWords(KINDS[outcome], text, extra)


def answer_text(text: str | None) -> str:
    """The carrier's answer to an RFI, stripped; refused when empty or too long."""
    stripped = (text or "").strip()
    if not stripped or len(stripped) > MAX_ANSWER:
        raise ClearwayError(code="CW-RFI-ANSWER", message="The answer to a request for "
                            f"information holds 1 to {MAX_ANSWER} characters")
    return stripped


def check_clearance(held: EnsOutcome, to: EnsOutcome) -> None:
    """A security clearance lowers a held result to one it allows (CLEARABLE)."""
    if to not in CLEARABLE.get(held, frozenset()):
        raise ClearwayError(code="CW-SECURITY-CLEAR", message=f"A {held} result cannot be "
                            f"cleared to {to}; allowed: "
                            + (", ".join(sorted(CLEARABLE.get(held, ()))) or "none"))
