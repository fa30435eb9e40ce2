"""The table of stable error codes. Codes never change meaning; new ones are only added.

`docs/api.md` lists this table; a test checks that every code raised is listed here.
"""

from __future__ import annotations

ERROR_CODES: dict[str, str] = {
    "CW-DOC-INVALID": "The document is refused; `errors` lists every problem found.",
    # Transport and syntax: the bytes could not be read as a declaration.
    "CW-DOC-MISSING": "No document was given (empty body, or no file chosen).",
    "CW-SYN-SIZE": "The document or request body is larger than the accepted maximum (413 "
    "when the body is refused before it is read).",
    "CW-SYN-TEXT": "The request holds text that cannot be accepted: a NUL or (in the path or a "
    "query parameter) another control character, a lone UTF-16 surrogate, or bytes that are "
    "not UTF-8; in a declaration, any text holding a C0 or C1 control character (tab, CR and "
    "LF allowed in descriptions, marks and free text) or a bidi override U+202D/U+202E; "
    "`errors` names where.",
    "CW-SYN-MEDIA": "The content type is not one of JSON, XML or EDIFACT.",
    "CW-SYN-ENCODING": "The document is not valid UTF-8 (or the declared character set).",
    "CW-SYN-JSON": "The body is not well-formed JSON.",
    "CW-SYN-SCHEMA": "A field is missing, unknown, or of the wrong type for the canonical model.",
    "CW-SYN-XML": "The body is not well-formed XML.",
    "CW-SYN-XML-FORBIDDEN": "The XML uses a DTD, entity declaration or external reference.",
    "CW-SYN-XML-DEPTH": "The XML is nested deeper than the accepted maximum.",
    "CW-SYN-XML-DOCTYPE": "The XML is not a WCO DEC-DMS declaration (wrong root, namespace or "
    "message type).",
    "CW-SYN-XML-VALUE": "An XML element holds a value that cannot be read (number, date, code).",
    "CW-SYN-EDI": "The EDIFACT interchange cannot be parsed.",
    "CW-SYN-EDI-MESSAGE": "The EDIFACT interchange holds no CUSDEC message, or more than one.",
    "CW-SYN-EDI-SEGMENT": "A CUSDEC segment is malformed or holds a value that cannot be read.",
    "CW-SYN-EDI-COUNT": "The segment or message count in UNT/UNZ does not match.",
    "CW-SYN-DEPTH": "The JSON is nested deeper than the accepted maximum (32 levels).",
    "CW-SYN-NUMBER": "A number has more digits than accepted (40 characters).",
    "CW-SYN-NUMBER-RANGE": "A JSON number has an exponent beyond ±18 (such as 1E-1000000), "
    "or is NaN or Infinity, which JSON does not have.",
    "CW-SYN-DUPLICATE-KEY": "A JSON object names the same member twice (which one counts "
    "would be a guess); the pointer names the member.",
    "CW-SYN-REFERENCE": "The LRN or another reference is blank, or holds control, invisible or "
    "bidirectional-override characters; an LRN is 1 to 35 ASCII letters and digits with "
    "single `-`, `_`, `.` or `/` between them.",
    "CW-SYN-ELEMENTS": "The document holds more XML elements, attributes on one element, or "
    "EDIFACT segments, data elements or components (or a longer EDIFACT value) than "
    "accepted; refused before it is read.",
    # Code lists from reference data, valid on the declaration's date.
    "CW-CODE-COUNTRY": "Unknown country code (ISO 3166 alpha-2).",
    "CW-CODE-CURRENCY": "Unknown currency code (ISO 4217), or an ISO 4217 code that is no "
    "money to invoice in (XXX, XTS, metals, units of account).",
    "CW-CODE-COMMODITY": "The commodity code is not in the nomenclature on that date.",
    "CW-CODE-OFFICE": "Unknown customs office, or an office without the needed role.",
    "CW-CODE-PROCEDURE": "Unknown requested/previous or additional procedure code.",
    "CW-CODE-TRANSPORT": "Unknown mode of transport code.",
    "CW-CODE-PACKAGE": "Unknown kind of package code.",
    "CW-CODE-DOCUMENT": "Unknown document, certificate or authorisation code.",
    "CW-CODE-PARTY-ID": "The party identification number is malformed.",
    "CW-CODE-TRADER": "The trader is not in the traders register.",
    "CW-CODE-DECLARATION-TYPE": "Unknown additional declaration type (DE 1/2) for this "
    "declaration type.",
    "CW-CODE-TRANSACTION": "Unknown nature of transaction (DE 8/5): one digit, or the EU's "
    "two-digit codes.",
    "CW-CODE-INCOTERM": "Unknown delivery terms code (DE 4/1): an Incoterms 2020 rule, DAT or "
    "XXX.",
    "CW-CODE-CONTAINER": "The container identification is blank, not printable ASCII, longer "
    "than 17 characters or listed twice, or reads as an ISO 6346 number without being one in "
    "its written form (upper case, no spaces, category U, J or Z, valid check digit).",
    # Cross-field rules.
    "CW-RULE-MASS": "Net mass is greater than gross mass.",
    "CW-RULE-TOTAL-MASS": "The total gross mass is less than the sum of the items' gross masses.",
    "CW-RULE-ZERO": "A mass, value, amount, quantity or exchange rate is zero where a positive "
    "one is needed (leave the element out when it does not apply).",
    "CW-RULE-ITEM-DUPLICATE": "Two goods items carry the same goods item number (DE 1/6).",
    "CW-RULE-ITEM-LIMIT": "The declaration holds more than 999 goods items; refused before "
    "they are read.",
    "CW-RULE-ITEM-COUNT": "The declared number of items differs from the items present.",
    "CW-RULE-ITEM-SEQUENCE": "Goods item numbers are not 1, 2, 3... in order.",
    "CW-RULE-PACKAGES": "The declared total packages differs from the sum over items.",
    "CW-RULE-INVOICE-TOTAL": "The invoice total differs from the sum of item prices.",
    "CW-RULE-RATE": "No exchange rate is known for the currency on the declaration's date, "
    "or the exchange rate given is implausible (more than a factor 10 from the reference "
    "rate, or outside 0.00001-100000).",
    "CW-RULE-AEO": "An AEO authorisation is claimed that the trader does not hold on that date.",
    "CW-RULE-DATE": "A date is implausible (in the future, or too far in the past).",
    "CW-RULE-REQUIRED": "An element required for this declaration type or procedure is missing.",
    "CW-RULE-NO-ITEMS": "A declaration must carry at least one goods item.",
    # Life cycle and submission.
    "CW-LRN-CONFLICT": "The LRN is already used by this declarant for a different document.",
    "CW-NOT-DECLARANT": "The submitting trader is neither the declarant nor its representative.",
    "CW-NOT-REPRESENTATIVE": "The trader names itself the declarant's representative but holds "
    "no registered authorisation (reference list `representations`) for this declaration type "
    "on that date, of the kind DE 3/21 states; or its authorisation has ended since it lodged.",
    "CW-PARTY-READ-ONLY": "The trader is named on the declaration and may read it; only the "
    "declarant, or the representative that lodged it, may amend or cancel it.",
    "CW-AMEND-IMMUTABLE": "An amendment tries to change the LRN, the declaration type or the "
    "declarant; lodge a new declaration instead.",
    "CW-STATE": "The action is not allowed in the declaration's current status.",
    "CW-REASON-REQUIRED": "The action needs a written reason.",
    "CW-OUTCOME-REQUIRED": "Ending a control needs its outcome (regular or irregular).",
    "CW-AMEND-NOT-FOUND": "An amendment or cancellation names a declaration that does not exist.",
    # Access.
    "CW-AUTH-REQUIRED": "A valid bearer token is required.",
    "CW-FORBIDDEN": "The role or trader may not see or do this.",
    "CW-THROTTLED": "Too many failed sign-ins from this address; wait the seconds given in "
    "Retry-After.",
    "CW-USER-INVALID": "A user cannot be created as asked: a trader user without a trader "
    "id, a staff user with one, an unknown role or a malformed name (command line).",
    "CW-USER-EXISTS": "A user with this name exists already.",
    "CW-WEBHOOK-URL": "The webhook URL is refused: not http(s), malformed, with a user name "
    "or password, a host that does not resolve, or one that resolves to a loopback, private, "
    "link-local, metadata or other non-public address the administrator has not allowed.",
    "CW-NOT-FOUND": "No such object (or not visible to you).",
    "CW-REQUEST-INVALID": "Query, path or body parameters are invalid.",
    "CW-METHOD": "The HTTP method is not allowed on this path.",
    "CW-INTERNAL": "An unexpected error; nothing was changed. Please report it.",
    "CW-NOT-READY": "The service is not ready: its database is unreachable or not migrated "
    "to the code's schema (readiness probe; the failing checks are listed).",
    # Risk rooms.
    "CW-LIST-FORMAT": "A restricted-party list file cannot be read (format, columns, rows).",
    "CW-VALUATION-INPUT": "Valuation references cannot be computed from the input given "
    "(period, mapped columns, values, control outcomes).",
    "CW-IPR-FIELD": "An IPR application field is missing, unknown, or of the wrong shape.",
    "CW-IPR-VALIDITY": "The period of action is reversed or longer than one year.",
    "CW-IPR-TERMS": "An IPR application needs a brand or keyword that can match a description.",
    "CW-IPR-CODE": "An HS/CN code prefix is not 2 to 10 digits.",
    "CW-IPR-FILE": "The IPR applications file is not YAML holding a list of applications.",
    "CW-IPR-EXISTS": "An IPR application with this reference already exists.",
    "CW-IPR-WITHDRAWN": "The IPR application is withdrawn and can no longer change.",
    "CW-DU-FILE": "The dual-use list is not readable (CSV, columns, dates, description).",
    "CW-DU-CONTROL-NUMBER": "Not an Annex I control number such as 3A001 or 5A002a.1.",
    "CW-DU-CODE": "A correlated HS/CN code is missing or not 2 to 10 digits.",
    "CW-DU-DUPLICATE": "The control number appears twice in the dual-use list.",
    # Risk profiles (docs/profiles.md).
    "CW-PROFILE-YAML": "The profiles file is not readable YAML holding a list of profiles.",
    "CW-PROFILE-ATTRIBUTE": "A profile attribute (code, name, area, weight, channel, dates, "
    "owner...) is missing, unknown or invalid.",
    "CW-PROFILE-FIELD": "A profile condition names a field that is not a risk field.",
    "CW-PROFILE-OPERATOR": "A profile condition's operator is unknown or does not fit the "
    "field's kind.",
    "CW-PROFILE-VALUE": "A profile condition's value is of the wrong type or shape (or a "
    "regular expression is invalid).",
    "CW-PROFILE-DUPLICATE": "A profile code appears twice in one file.",
    "CW-PROFILE-EXISTS": "A profile with this code (or version) exists already.",
    "CW-PROFILE-STATE": "The action is not allowed in the profile version's status.",
    "CW-PROFILE-PERIOD": "The back-test period is reversed or longer than 366 days.",
    # Officers' training (docs/training.md).
    "CW-TRAINING-NOT-OFFICER": "Training is recorded only for staff users with the officer "
    "or supervisor role.",
    "CW-TRAINING-DATE": "The training's completion date is in the future.",
    # Control tasks (docs/controls.md).
    "CW-ROSTER-NOT-OFFICER": "Only users with the officer or supervisor role are put on duty.",
    "CW-ROSTER-PERIOD": "A duty shift must end after it starts and last at most 24 hours.",
    "CW-TASK-NOT-ASSIGNED": "The control task is assigned to another officer.",
    "CW-TASK-STATE": "The action is not allowed in the control task's current status.",
    "CW-TASK-INELIGIBLE": "The officer is not eligible for the task (not on duty at its "
    "office, lacking a qualification, or already holding it).",
    "CW-TASK-REQUIRED": "The declaration's control is done through its control task, by the "
    "officer it is assigned to.",
    "CW-CONTROL-RESULT": "The control result is incomplete or inconsistent; `errors` lists why.",
    "CW-EVIDENCE-SIZE": "The evidence file is empty or larger than the accepted maximum.",
    "CW-CANCEL-SELECTED": "A declaration selected for control (yellow or red) cannot be "
    "cancelled by the trader before its control ends; customs approve a cancellation "
    "(four eyes).",
    # Four-eyes overrides (docs/four-eyes.md).
    "CW-OVERRIDE-REASON": "A four-eyes request (or rejection) needs a written reason of 10 to "
    "2000 characters.",
    "CW-OVERRIDE-KIND": "The request's kind and channel do not fit: a channel change names "
    "to_channel, a waiver or cancellation names none.",
    "CW-OVERRIDE-NO-DECISION": "The declaration has no risk decision yet; nothing to override.",
    "CW-OVERRIDE-NOOP": "The request would change nothing (same channel, no open control).",
    "CW-OVERRIDE-PENDING": "A request for this declaration is already waiting for approval.",
    "CW-OVERRIDE-DECIDED": "The request is already approved or rejected.",
    "CW-FOUR-EYES": "The person who asked cannot approve or reject their own request.",
    # Audit trail and integrity register (docs/audit.md, docs/integrity.md).
    "CW-AUDIT-KEY": "An audit signing or public key file is missing, unreadable or not Ed25519.",
    "CW-AUDIT-WITNESS": "The audit witness file cannot be read or written, the witness URL "
    "refused a record, or `clearway audit witness` ran with no witness configured.",
    "CW-INTEGRITY-VALUE": "An integrity case field is missing or not in its vocabulary "
    "(allegation, source, status, sanction), or its date is in the future.",
    "CW-INTEGRITY-TRANSITION": "The case cannot move to that status (open, then investigating, "
    "then substantiated or unfounded).",
    "CW-INTEGRITY-SANCTION": "A sanction is recorded once, and only on a substantiated case.",
    "CW-INTEGRITY-OFFICER": "The officer named in an integrity case is not a member of staff.",
}

# The HTTP status of codes that are the answer itself (others appear inside `errors` of a 422).
HTTP_STATUS: dict[str, int] = {
    "CW-DOC-INVALID": 422, "CW-DOC-MISSING": 422, "CW-SYN-MEDIA": 415,
    "CW-SYN-TEXT": 422, "CW-SYN-SIZE": 413,
    "CW-LRN-CONFLICT": 409, "CW-STATE": 409, "CW-NOT-DECLARANT": 403,
    "CW-NOT-REPRESENTATIVE": 403, "CW-PARTY-READ-ONLY": 403, "CW-AMEND-IMMUTABLE": 409,
    "CW-AMEND-NOT-FOUND": 404, "CW-AUTH-REQUIRED": 401, "CW-FORBIDDEN": 403,
    "CW-NOT-FOUND": 404, "CW-REQUEST-INVALID": 422, "CW-METHOD": 405, "CW-INTERNAL": 500,
    "CW-NOT-READY": 503,
    "CW-THROTTLED": 429, "CW-USER-INVALID": 422, "CW-USER-EXISTS": 409,
    "CW-WEBHOOK-URL": 422,
    "CW-REASON-REQUIRED": 422, "CW-VALUATION-INPUT": 422,
    "CW-OUTCOME-REQUIRED": 422, "CW-LIST-FORMAT": 422,
    "CW-IPR-EXISTS": 409, "CW-IPR-WITHDRAWN": 409,
    "CW-PROFILE-EXISTS": 409, "CW-PROFILE-STATE": 409, "CW-PROFILE-PERIOD": 422,
    "CW-TRAINING-NOT-OFFICER": 422, "CW-TRAINING-DATE": 422,
    "CW-OVERRIDE-REASON": 422, "CW-OVERRIDE-KIND": 422, "CW-OVERRIDE-NO-DECISION": 409,
    "CW-OVERRIDE-NOOP": 409, "CW-OVERRIDE-PENDING": 409, "CW-OVERRIDE-DECIDED": 409,
    "CW-FOUR-EYES": 403,
    "CW-ROSTER-NOT-OFFICER": 422, "CW-ROSTER-PERIOD": 422, "CW-TASK-NOT-ASSIGNED": 403,
    "CW-TASK-STATE": 409, "CW-TASK-INELIGIBLE": 422, "CW-TASK-REQUIRED": 409,
    "CW-CONTROL-RESULT": 422, "CW-EVIDENCE-SIZE": 413, "CW-CANCEL-SELECTED": 409,
    "CW-AUDIT-KEY": 422, "CW-AUDIT-WITNESS": 422, "CW-INTEGRITY-VALUE": 422,
    "CW-INTEGRITY-TRANSITION": 409,
    "CW-INTEGRITY-SANCTION": 422, "CW-INTEGRITY-OFFICER": 422,
}
