"""Mirror analysis: partners exchange monthly export aggregates (HS6 x month: value, mass,
count; no trader data), compared with this administration's imports from them to find the
largest value and unit-value gaps (`model`, `aggregate`, `compare` pure; `repository`,
`service`, `receiving`). See docs/exchange.md, "Mirror analysis"."""
