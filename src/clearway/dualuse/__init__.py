"""The dual-use control list (Regulation (EU) 2021/821, Annex I) with correlated HS/CN codes.

`model` (entries, CSV format), `matcher.DualUseList` (unlicensed exports over the item frame),
`repository`, `service`, `views`, `cli`; `data/` holds an illustrative list.
See docs/ipr-and-dual-use.md.
"""
