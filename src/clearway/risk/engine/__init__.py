"""The pure risk engine: declarations and reference data in, decisions with reasons out.

`frame` flattens declarations into an item frame (columns named in `fields`); rule sets
(the `RuleSet` protocol in `assess`, with ENS rules in `ens`) return hits with their reasons;
`assess` combines hits and an optional learned `Scorer` into assessments, `batch` does it for
many declarations at once, and `selectivity` turns an assessment and the office's capacity into
a channel (`decision`). `report` summarises stored decisions. Nothing here touches storage,
HTTP or another domain's use cases (checked by the import contracts in pyproject.toml).
"""
