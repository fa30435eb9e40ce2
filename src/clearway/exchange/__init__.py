"""Exchange with partner administrations (issue 16): the partner register, agreements loaded
from YAML, the signed envelope of every message, and the rules a message meets going out
(only what the agreement allows, stripped to its fields) and coming in (refused by code,
with nothing stored). `model`, `agreements`, `policy` and `signing` are pure; storage,
delivery and the inbox build on them."""
