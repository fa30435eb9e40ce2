"""Restricted-party screening: party names against sanctions and watch lists (issue 3, item 5).

The pure part (no HTTP, no database): `lists` loads OFAC SDN and generic CSV lists into
`model.ListEntry`s; `normalize` (with `transliterate`) turns a name in Latin, Cyrillic or
Greek script into comparable forms; `matcher.Screener` indexes the entries once and screens
names (`similarity` scores two names word by word), each `model.ScreeningHit` explaining
itself; `ruleset.PartyScreening` is the engine's rule set over
the parties of declarations. The stored side: `repository` (the loaded lists), `service`
(routes: `api/screening.py`, commands: `cli/screening.py`). See docs/screening.md.
"""
