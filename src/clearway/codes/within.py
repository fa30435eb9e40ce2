"""The codes of one administration's work: reading and validating a declaration, its life
cycle, access, the risk rooms, controls, four eyes, audit and integrity."""

from __future__ import annotations

from clearway.codes.kinds import MALFORMED, TOO_LARGE, Code, answer, issue
from clearway.codes.licences import LICENCES
from clearway.codes.prevention import PREVENTION
from clearway.codes.progress import PROGRESS

WITHIN: dict[str, Code] = {

    "CW-DOC-INVALID": answer(422, "The document is refused; `errors` lists every problem found."),
    # Transport and syntax: the bytes could not be read as a declaration.
    "CW-DOC-MISSING": answer(400, "No document was given (empty body, or no file chosen)."),
    "CW-SYN-SIZE": answer(413, "The document or request body is larger than the accepted maximum "
        "(413 when the body is refused before it is read; see \"Limits at the boundary\").",
        in_errors=True),
    "CW-SYN-TEXT": answer(422, "The request holds text that cannot be accepted: a NUL or (in the "
        "path or a query parameter) another control character, a lone UTF-16 surrogate, or bytes "
        "that are not UTF-8; in a declaration, any text holding a C0 or C1 control character "
        "(tab, CR and LF allowed in descriptions, marks and free text) or a bidi override "
        "U+202D/U+202E; `errors` names where.", in_errors=True),
    "CW-SYN-MEDIA": answer(415, "The content type is not one of JSON, XML or EDIFACT."),
    "CW-SYN-ENCODING": issue("The document is not valid UTF-8 (or the declared character set)."),
    "CW-SYN-JSON": issue("The body is not well-formed JSON."),
    "CW-SYN-SCHEMA": issue("A field is missing, unknown, or of the wrong type for the canonical "
        "model."),
    "CW-SYN-XML": issue("The body is not well-formed XML."),
    "CW-SYN-XML-FORBIDDEN": issue("The XML uses a DTD, entity declaration or external reference."),
    "CW-SYN-XML-DEPTH": issue("The XML is nested deeper than the accepted maximum."),
    "CW-SYN-XML-DOCTYPE": issue("The XML is not a WCO DEC-DMS declaration (wrong root, namespace "
        "or message type)."),
    "CW-SYN-XML-VALUE": issue("An XML element holds a value that cannot be read (number, date, "
        "code)."),
    "CW-SYN-EDI": issue("The EDIFACT interchange cannot be parsed."),
    "CW-SYN-EDI-MESSAGE": issue("The EDIFACT interchange holds no CUSDEC message, or more than "
        "one."),
    "CW-SYN-EDI-SEGMENT": issue("A CUSDEC segment is malformed or holds a value that cannot be "
        "read."),
    "CW-SYN-EDI-COUNT": issue("The segment or message count in UNT/UNZ does not match."),
    "CW-SYN-DEPTH": issue("The JSON is nested deeper than the accepted maximum (32 levels)."),
    "CW-SYN-NUMBER": issue("A number has more digits than accepted (40 characters)."),
    "CW-SYN-NUMBER-RANGE": issue("A JSON number has an exponent beyond ±18 (such as 1E-1000000), "
        "or is NaN or Infinity, which JSON does not have."),
    "CW-SYN-DUPLICATE-KEY": issue("A JSON object names the same member twice (which one counts "
        "would be a guess); the pointer names the member."),
    "CW-SYN-REFERENCE": issue("The LRN or another reference is blank, or holds control, invisible "
        "or bidirectional-override characters; an LRN is 1 to 35 ASCII letters and digits with "
        "single `-`, `_`, `.` or `/` between them."),
    "CW-SYN-ELEMENTS": issue("The document holds more XML elements, attributes on one element, or "
        "EDIFACT segments, data elements or components (or a longer EDIFACT value) than "
        "accepted; refused before it is read."),
    # Code lists from reference data, valid on the declaration's date.
    "CW-CODE-COUNTRY": issue("Unknown country code (ISO 3166 alpha-2)."),
    "CW-CODE-CURRENCY": issue("Unknown currency code (ISO 4217), or an ISO 4217 code that is no "
        "money to invoice in (XXX, XTS, metals, units of account)."),
    "CW-CODE-COMMODITY": issue("The commodity code is not in the nomenclature on that date."),
    "CW-CODE-OFFICE": issue("Unknown customs office, or an office without the needed role."),
    "CW-CODE-PROCEDURE": issue("Unknown requested/previous or additional procedure code."),
    "CW-CODE-TRANSPORT": issue("Unknown mode of transport code."),
    "CW-CODE-PACKAGE": issue("Unknown kind of package code."),
    "CW-CODE-DOCUMENT": issue("Unknown document, certificate or authorisation code."),
    "CW-CODE-PARTY-ID": issue("The party identification number is malformed."),
    "CW-CODE-TRADER": issue("The trader is not in the traders register."),
    "CW-CODE-DECLARATION-TYPE": issue("Unknown additional declaration type (DE 1/2) for this "
        "declaration type."),
    "CW-CODE-TRANSACTION": issue("Unknown nature of transaction (DE 8/5): one digit, or the EU's "
        "two-digit codes."),
    "CW-CODE-INCOTERM": issue("Unknown delivery terms code (DE 4/1): an Incoterms 2020 rule, DAT "
        "or XXX."),
    "CW-CODE-CONTAINER": issue("The container identification is blank, not printable ASCII, longer "
        "than 17 characters or listed twice, or reads as an ISO 6346 number without being one in "
        "its written form (upper case, no spaces, category U, J or Z, valid check digit)."),
    # Cross-field rules.
    "CW-RULE-MASS": issue("Net mass is greater than gross mass."),
    "CW-RULE-TOTAL-MASS": issue("The total gross mass is less than the sum of the items' gross "
        "masses."),
    "CW-RULE-ZERO": issue("A mass, value, amount, quantity or exchange rate is zero where a "
        "positive one is needed (leave the element out when it does not apply)."),
    "CW-RULE-ITEM-DUPLICATE": issue("Two goods items carry the same goods item number (DE 1/6)."),
    "CW-RULE-ITEM-LIMIT": issue("The declaration holds more than 999 goods items; refused before "
        "they are read."),
    "CW-RULE-ITEM-COUNT": issue("The declared number of items differs from the items present."),
    "CW-RULE-ITEM-SEQUENCE": issue("Goods item numbers are not 1, 2, 3... in order."),
    "CW-RULE-PACKAGES": issue("The declared total packages differs from the sum over items."),
    "CW-RULE-INVOICE-TOTAL": issue("The invoice total differs from the sum of item prices."),
    "CW-RULE-RATE": issue("No exchange rate is known for the currency on the declaration's date, "
        "or the exchange rate given is implausible (more than a factor 10 from the reference "
        "rate, or outside 0.00001-100000)."),
    "CW-RULE-AEO": issue("An AEO authorisation is claimed that the trader does not hold on that "
        "date."),
    "CW-RULE-DATE": issue("A date is implausible (in the future, or too far in the past)."),
    "CW-RULE-REQUIRED": issue("An element required for this declaration type or procedure is "
        "missing."),
    "CW-RULE-NO-ITEMS": issue("A declaration must carry at least one goods item."),
    # Life cycle and submission.
    "CW-LRN-CONFLICT": answer(409, "The LRN is already used by this declarant for a different "
        "document."),
    "CW-NOT-DECLARANT": answer(403, "The submitting trader is neither the declarant nor its "
        "representative."),
    "CW-NOT-REPRESENTATIVE": answer(403, "The trader names itself the declarant's representative "
        "but holds no registered authorisation (reference list `representations`) for this "
        "declaration type on that date, of the kind DE 3/21 states; or its authorisation has "
        "ended since it lodged."),
    "CW-PARTY-READ-ONLY": answer(403, "The trader is named on the declaration and may read it; "
        "only the declarant, or the representative that lodged it, may amend or cancel it."),
    "CW-AMEND-IMMUTABLE": answer(409, "An amendment tries to change the LRN, the declaration type "
        "or the declarant; lodge a new declaration instead."),
    "CW-STATE": answer(409, "The action is not allowed in the declaration's current status."),
    "CW-REASON-REQUIRED": answer(422, "The action needs a written reason."),
    "CW-OUTCOME-REQUIRED": answer(422, "Ending a control needs "
        "its outcome (regular or irregular)."),
    "CW-AMEND-NOT-FOUND": answer(404, "An amendment or cancellation names a declaration that does "
        "not exist."),
    # Access.
    "CW-AUTH-REQUIRED": answer(401, "A valid bearer token is required."),
    "CW-FORBIDDEN": answer(403, "The role or trader may not see or do this."),
    "CW-USER-INVALID": answer(422, "A user cannot be created as asked: a trader user without a "
        "trader id, a staff user with one, an unknown role or a malformed name (command line)."),
    "CW-USER-EXISTS": answer(409, "A user with this name exists already."),
    "CW-WEBHOOK-URL": answer(422, "The webhook URL is refused: not http(s), malformed, with a user "
        "name or password, a fragment (`#…`), an invalid port (0, above 65535, not plain "
        "decimal), a port not open to webhooks (by default 80, 443, 8080, 8443; "
        "`CLEARWAY_WEBHOOK_ALLOWED_PORTS`), a host that does not resolve, or one that resolves "
        "to a loopback, private, link-local, metadata or other non-public address the "
        "administrator has not allowed ([operations.md](operations.md#webhooks))."),
    "CW-THROTTLED": answer(429, "Too many failed sign-ins from this address; wait the seconds "
        "given in Retry-After."),
    "CW-NOT-FOUND": answer(404, "No such object (or not visible to you). The message quotes the "
        "key cut to 64 characters (`…` after), as every message quoting a client's value does."),
    "CW-REQUEST-INVALID": answer(422, "Query, path or body parameters are invalid (422); the "
        "request itself is malformed (400): a Content-Length that is not a number, a framing or "
        "type header sent twice, an unreadable form; in the console, a form larger than accepted "
        "(413).", also=(MALFORMED, TOO_LARGE)),
    "CW-METHOD": answer(405, "The HTTP method is not allowed on this path."),
    "CW-INTERNAL": answer(500, "An unexpected error; nothing was changed. Please report it."),
    "CW-NOT-READY": answer(503, "The service is not ready: its database is unreachable or not "
        "migrated to the code's schema (readiness probe; the failing checks are listed)."),
    # Risk rooms.
    "CW-LIST-FORMAT": answer(422, "A restricted-party list file cannot be read (format, columns, "
        "rows)."),
    "CW-VALUATION-INPUT": answer(422, "Valuation references cannot be computed from the input "
        "given (period, mapped columns, values, control outcomes)."),
    "CW-IPR-FIELD": issue("An IPR application field is missing, unknown, or of the wrong shape."),
    "CW-IPR-VALIDITY": issue("The period of action is reversed or longer than one year."),
    "CW-IPR-TERMS": issue("An IPR application needs a brand or keyword that can match a "
        "description."),
    "CW-IPR-CODE": issue("An HS/CN code prefix is not 2 to 10 digits."),
    "CW-IPR-FILE": issue("The IPR applications file is not YAML holding a list of applications."),
    "CW-IPR-EXISTS": answer(409, "An IPR application with this reference already exists."),
    "CW-IPR-WITHDRAWN": answer(409, "The IPR application is withdrawn and can no longer change."),
    "CW-DU-FILE": issue("The dual-use list is not readable (CSV, columns, dates, description)."),
    "CW-DU-CONTROL-NUMBER": issue("Not an Annex I control number such as 3A001 or 5A002a.1."),
    "CW-DU-CODE": issue("A correlated HS/CN code is missing or not 2 to 10 digits."),
    "CW-DU-DUPLICATE": issue("The control number appears twice in the dual-use list."),
    # Risk profiles (docs/profiles.md).
    "CW-PROFILE-YAML": issue("The profiles file is not readable YAML holding a list of profiles "
        "(413 when the console's profile form is larger than accepted).", also=(TOO_LARGE,)),
    "CW-PROFILE-ATTRIBUTE": issue("A profile attribute (code, name, area, weight, channel, dates, "
        "owner...) is missing, unknown or invalid."),
    "CW-PROFILE-FIELD": issue("A profile condition names a field that is not a risk field."),
    "CW-PROFILE-OPERATOR": issue("A profile condition's operator is unknown or does not fit the "
        "field's kind."),
    "CW-PROFILE-VALUE": issue("A profile condition's value is of the wrong type or shape (or a "
        "regular expression is invalid)."),
    "CW-PROFILE-DUPLICATE": issue("A profile code appears twice in one file."),
    "CW-PROFILE-EXISTS": answer(409, "A profile with this code (or version) exists already."),
    "CW-PROFILE-STATE": answer(409, "The action is not allowed in the profile version's status."),
    "CW-PROFILE-PERIOD": answer(422, "The back-test period is reversed or longer than 366 days."),
    "CW-PROFILE-HISTORY": answer(422, "The history folder given to a back-test holds no part "
        "files (`clearway profiles export-history` writes them)."),
    # Officers' training (docs/training.md).
    "CW-TRAINING-NOT-OFFICER": answer(422, "Training is recorded only for staff users with the "
        "officer or supervisor role."),
    "CW-TRAINING-DATE": answer(422, "The training's completion date is in the future."),
    "CW-TRAINING-SEATS": answer(422, "A training session is recorded with more attendees "
        "than it has seats."),
    "CW-TRAINING-SESSION-HELD": answer(409, "The training session is recorded as held "
        "already."),
    # Instructions officers acknowledge (docs/instructions.md).
    "CW-INSTRUCTION-VERSION": answer(409, "The version acknowledged is not the instruction's "
        "version in force: read the one in force and acknowledge it."),
    "CW-INSTRUCTION-RACE": answer(409, "Someone else published a version of the instruction "
        "at the same moment: read it and publish again."),
    # Control tasks (docs/controls.md).
    "CW-ROSTER-NOT-OFFICER": answer(422, "Only users with the officer or supervisor role are put "
        "on duty."),
    "CW-ROSTER-PERIOD": answer(422, "A duty shift must end after it starts and last at most 24 "
        "hours."),
    "CW-TASK-NOT-ASSIGNED": answer(403, "The control task is assigned to another officer."),
    "CW-TASK-STATE": answer(409, "The action is not allowed in the control task's current status."),
    "CW-TASK-INELIGIBLE": answer(422, "The officer is not eligible for the task (not on duty at "
        "its office, lacking a qualification, or already holding it)."),
    "CW-TASK-REQUIRED": answer(409, "The declaration's control is done through its control task, "
        "by the officer it is assigned to."),
    "CW-CONTROL-RESULT": answer(422, "The control result is incomplete or inconsistent; `errors` "
        "lists why."),
    "CW-EVIDENCE-SIZE": answer(413, "The evidence file is empty or larger than the accepted "
        "maximum."),
    "CW-CANCEL-SELECTED": answer(409, "A declaration selected for control (yellow or red) cannot "
        "be cancelled by the trader before its control ends; customs approve a cancellation "
        "(four eyes)."),
    # Four-eyes overrides (docs/four-eyes.md).
    "CW-OVERRIDE-REASON": answer(422, "A four-eyes request (or rejection) needs a written reason "
        "of 10 to 2000 characters."),
    "CW-OVERRIDE-KIND": answer(422, "The request's kind and channel do not fit: a channel change "
        "names to_channel, a waiver or cancellation names none."),
    "CW-OVERRIDE-NO-DECISION": answer(409, "The declaration has no risk decision yet; nothing to "
        "override."),
    "CW-OVERRIDE-NOOP": answer(409, "The request would change nothing (same channel, no open "
        "control)."),
    "CW-OVERRIDE-PENDING": answer(409, "A request for this declaration is already waiting for "
        "approval."),
    "CW-OVERRIDE-DECIDED": answer(409, "The request is already approved or rejected."),
    "CW-FOUR-EYES": answer(403, "The person who asked cannot approve or reject their own request."),
    # Safety and security of summary declarations (ENS, EXS: docs/ens.md).
    "CW-OVERRIDE-SECURITY": answer(409, "The ENS or EXS holds a do-not-load or high-risk-screening "
        "result: no four-eyes override may lower, waive or cancel it; only a security risk "
        "officer clears it (security clearance)."),
    "CW-SECURITY-CLEAR": answer(409, "Nothing to clear: the filing is not an ENS or EXS holding "
        "a do-not-load or high-risk-screening result, its goods have moved on, or the outcome "
        "asked for is not lower than the one held."),
    "CW-SECURITY-REASON": answer(422, "A security clearance needs a written reason of 10 to 2000 "
        "characters."),
    "CW-RFI-NOT-OPEN": answer(409, "The filing has no open request for information to answer "
        "(only an ENS or EXS gets one)."),
    "CW-NOT-SUMMARY": answer(409, "The filing is not a summary declaration (ENS or EXS)."),
    "CW-RFI-ANSWER": answer(422, "The answer to a request for information is empty or longer "
        "than 4000 characters."),
    "CW-EXS-OFFICE-EXIT": issue("An EXS names no customs office of exit (DE 5/12), or one that is "
        "unknown or not an office of exit on the date."),
    "CW-EXS-FIRST-ENTRY": issue("An EXS names an office of first entry: an exit summary names the "
        "office of exit; goods arriving are declared in an ENS."),
    # Audit trail and integrity register (docs/audit.md, docs/integrity.md).
    "CW-AUDIT-KEY": answer(422, "An audit signing or public key file is missing, unreadable or not "
        "Ed25519."),
    "CW-AUDIT-WITNESS": answer(422, "The audit witness file cannot be read or written, the witness "
        "URL refused a record, or `clearway audit witness` ran with no witness configured."),
    "CW-INTEGRITY-VALUE": answer(422, "An integrity case field is missing or not in its vocabulary "
        "(allegation, source, status, sanction), or its date is in the future."),
    "CW-INTEGRITY-TRANSITION": answer(409, "The case cannot move to that status (open, then "
        "investigating, then substantiated or unfounded)."),
    "CW-INTEGRITY-SANCTION": answer(422, "A sanction is recorded once, and only on a substantiated "
        "case."),
    "CW-INTEGRITY-OFFICER": answer(422, "The officer named in an integrity case is not a member of "
        "staff."),
    # Integrated border management (docs/border.md).
    "CW-BORDER-POINT": answer(422, "A border crossing point is malformed: the code is 2 to 20 "
        "letters, digits or dashes, the office one of this administration's, the neighbouring "
        "country a two-letter code, the modes and agencies known codes."),
    "CW-BORDER-POINT-NOT-FOUND": answer(404, "No such border crossing point (or not one at the "
        "booth's office)."),
    "CW-BORDER-DRIVER": answer(422, "The driver is given by name and document number (the "
        "country optional), and a border pseudonym key must be valid today: the name and "
        "number are never stored, only their keyed pseudonym."),
    "CW-BORDER-WATCH": answer(422, "A watch-list entry is malformed: its kind, value, reason, "
        "validity or the services it is shared with (person entries are never shared with an "
        "agency)."),
    "CW-BORDER-WATCH-NOT-FOUND": answer(404, "No such watch-list entry among those your "
        "service may see."),
    "CW-BORDER-WATCH-OWNER": answer(403, "Only the service that owns a watch-list entry may "
        "end it."),
    "CW-BORDER-WATCH-ENDED": answer(409, "The watch-list entry was already ended."),
    "CW-BORDER-ALERT-NOT-FOUND": answer(404, "No such alert among those raised for your "
        "service."),
    "CW-BORDER-ALERT-CLOSED": answer(409, "The alert is already closed."),
}
# The licence register (docs/licences.md): its codes are kept in their own file.
WITHIN.update(LICENCES)
# Corruption prevention (docs/integrity-prevention.md): its codes are kept in their own file.
WITHIN.update(PREVENTION)
WITHIN.update(PROGRESS)
