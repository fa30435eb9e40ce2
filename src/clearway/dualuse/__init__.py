"""The dual-use control list (Regulation (EU) 2021/821, Annex I) with correlated HS/CN codes.

`model` (entries, CSV format), `matcher.DualUseList` (unlicensed exports over the item frame),
`repository`, `service` (routes: `api/dualuse.py`, commands: `cli/dualuse.py`); `data/`
holds an illustrative list.
See docs/ipr-and-dual-use.md.
"""
