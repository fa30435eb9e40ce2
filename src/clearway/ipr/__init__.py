"""Applications for action by right holders (EU Regulation No 608/2013): store, match, explain.

`model` (the application and its rules), `folding` (text folding for whole-word matching),
`matcher.IprRegister` (hits over the item frame), `repository`, `service` (routes:
`api/ipr.py`, commands: `cli/ipr.py`).
See docs/ipr-and-dual-use.md.
"""
