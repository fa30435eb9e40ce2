"""Restricted-party screening: party names against sanctions and watch lists (issue 3, item 5).

A pure library (no HTTP, no database): `lists` loads OFAC SDN and generic CSV lists into
`model.ListEntry`s; `normalize` turns a name in Latin, Cyrillic or Greek script into
comparable forms; `matcher.Screener` indexes the entries once and screens names, each
`model.ScreeningHit` explaining itself. See docs/screening.md.
"""
