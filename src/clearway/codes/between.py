"""The codes of the work between administrations (docs/exchange.md): the exchange itself,
pre-arrival data, mutual assistance, mirror analysis and data protection."""

from __future__ import annotations

from clearway.codes.kinds import Code, answer, issue

BETWEEN: dict[str, Code] = {
    # Exchange with partner administrations (issue 16): every refusal stores nothing.
    "CW-EXCH-ENVELOPE": answer(422, "The exchange message cannot be read: not a compact JWS, or "
        "its envelope lacks a field or holds one of the wrong type."),
    "CW-EXCH-AGREEMENT": issue("An agreement document is not readable YAML, or an agreement in "
        "it lacks a field or holds a wrong value; the pointer names where."),
    "CW-EXCH-SIGNATURE": answer(401, "The message or receipt signature does not verify with the "
        "partner's public key (wrong key, altered token, or an algorithm other than EdDSA)."),
    "CW-EXCH-UNKNOWN-PARTNER": answer(403, "The sender is not in the partner register, or its "
        "status is suspended."),
    "CW-EXCH-NOT-FOR-US": answer(403, "The message is addressed to another administration."),
    "CW-EXCH-STALE": answer(403, "The message was created outside the accepted time window "
        "around the receiver's clock."),
    "CW-EXCH-REPLAY": answer(409, "A different message already arrived under this message id."),
    "CW-EXCH-AGREEMENT-MISSING": answer(403, "The message names no agreement, or one that is not "
        "loaded or not between sender and recipient."),
    "CW-EXCH-AGREEMENT-EXPIRED": answer(403, "The agreement is not valid on the message's day."),
    "CW-EXCH-TYPE": answer(403, "The agreement does not allow this message type."),
    "CW-EXCH-PURPOSE": answer(403, "The agreement does not allow this purpose."),
    "CW-EXCH-FIELD": answer(403, "The payload holds a field the agreement does not allow for the "
        "purpose; the message names it."),
    "CW-EXCH-KEY": answer(422, "The exchange signing key file is missing, unreadable or not "
        "Ed25519."),
    "CW-EXCH-BASIS": answer(403, "The message names no legal article, purpose or sender: nothing "
        "leaves without them."),
    "CW-EXCH-PARTNER": answer(422, "The partner cannot be registered: the code is not a two-letter "
        "country code, the name is empty, the status unknown, the inbox URL malformed, or the "
        "public key not an Ed25519 key in PEM."),
    "CW-EXCH-PAYLOAD": answer(422, "The payload of a message the agreement allows cannot be read "
        "for its type (a field missing or of the wrong shape); nothing was stored."),
    "CW-PRE-UNKNOWN-EXPORT": answer(404, "An exit confirmation names an MRN this administration "
        "never announced to the sender; nothing was stored."),
    "CW-PRE-ALARM-KIND": answer(404, "No such kind of pre-arrival alarm (the kinds are listed "
        "by GET /api/v1/arrivals/alarm-weights)."),
    "CW-PRE-ALARM-WEIGHT": answer(422, "An alarm weight is a number from 0 to 1; a hard alarm "
        "needs a minimum channel above green, and only a hard one may have one."),
    "CW-PRE-ALARM-CLOSED": answer(409, "The pre-arrival alarm is already closed."),
    "CW-PRE-ARRIVAL-NOT-FOUND": answer(404, "No such anticipated arrival."),
    "CW-PRE-CROSSING": answer(422, "A border crossing record is incomplete or malformed: the "
        "office is not one of this administration, the vehicle registration is empty or too "
        "long, the country not a two-letter code, or too many or too long container or seal "
        "numbers."),
    "CW-PRE-TOLERANCE": answer(422, "An arrival tolerance is malformed: the HS chapter is two "
        "digits or *, the percentages 0 to 1000, the packages a whole number from 0."),
    # Mutual assistance between administrations (issue 16, section 3; docs/exchange.md).
    "CW-ASSIST-NOT-FOUND": answer(404, "No such mutual-assistance request or attachment (or not "
        "one exchanged with your administration)."),
    "CW-ASSIST-STATE": answer(409, "The request's life cycle does not allow this step in its "
        "current status (or on this side of the exchange)."),
    "CW-ASSIST-SELF-APPROVAL": answer(403, "A mutual-assistance request is approved by a "
        "supervisor other than the one who drafted it."),
    "CW-ASSIST-DEADLINE": answer(422, "A mutual-assistance request's deadline must lie in the "
        "future."),
    "CW-ASSIST-INVALID": answer(422, "A mutual-assistance request or reply is incomplete or "
        "malformed (type, subject kind, priority, outcome, finding, refusal reason)."),
    "CW-ASSIST-ATTACHMENT-SIZE": answer(413, "An attachment (512 KiB each) or a message's "
        "attachments together (1 MiB) are too large for the partner's inbox."),
    "CW-ASSIST-ATTACHMENT-HASH": answer(422, "An attachment's bytes do not have the SHA-256 "
        "given with them."),
    "CW-ASSIST-DISCLOSURE": answer(422, "A clear identity is disclosed only in a reply to a "
        "request that asked for it."),
    "CW-ASSIST-NOT-ASSIGNED": answer(403, "Only the officer a received request is assigned to "
        "answers it (and only officers are assigned)."),
    # Mirror analysis (issue 16, section 2).
    "CW-MIRROR-INPUT": answer(422, "A mirror-analysis request cannot be read: the partner is not "
        "a two-letter country code (or is this administration), the month not YYYY-MM, the "
        "order not value or unit_value, top out of range, or the HS code not six digits."),
    "CW-MIRROR-NOT-FOUND": answer(404, "The partner reported no exports of this HS6 in that month: "
        "there is no gap to promote."),
    "CW-MIRROR-NO-UNIT-VALUE": answer(409, "The partner's row for this HS6 has no value per kg "
        "(no mass or no value): nothing can become a valuation reference."),
    # Data protection of what is exchanged (issue 16, section 4).
    "CW-PRIV-KEYS": answer(422, "The pseudonym keys file cannot be read, or a key in it is "
        "malformed (id, base64 secret of at least 32 bytes, validity dates)."),
    "CW-PRIV-PURPOSE": answer(403, "Received data may be used only for the purpose it was sent "
        "for: another use needs the originator's recorded consent (the attempt is logged)."),
    "CW-PRIV-ONWARD": answer(403, "Received data may not go on to another recipient: the agreement "
        "forbids onward transfer, or the originator has not consented (the attempt is logged)."),
    "CW-PRIV-NOT-FOUND": answer(404, "No such exchanged message or breach record."),
    "CW-PRIV-INVALID": answer(422, "A data-protection request is incomplete or malformed (a "
        "consent, breach record, retention extension, correction or subject search)."),
    "CW-PRIV-FIELD": answer(422, "A rectification names a field the agreement does not allow "
        "for the message's purpose, or the message's data was already erased."),
}
