"""The register of licences, permits and certificates issued by agencies (CSW-CERTEX).

`model` (licences, lines, write-offs, the managed document codes), `check` (a declaration's
references against the register, pure), `repository`, `service` (routes: `api/licences.py`,
console: `web/licences.py`), `importing` (the administrator's CSV import, `cli/licences.py`).
The check and write-off on acceptance, amendment, cancellation and invalidation run in the
clearance room (`clearance/licences.py`). See docs/licences.md.
"""
