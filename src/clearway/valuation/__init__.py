"""Valuation: reference unit values per HS6 x origin from regular controls, and the rule that
flags items declared far below them (`model`); storage (`repository`), use cases
(`service`); `clearway valuation ...` is `cli/valuation.py`, `/api/v1/valuation` is
`api/valuation.py`.
See docs/valuation.md.
"""
