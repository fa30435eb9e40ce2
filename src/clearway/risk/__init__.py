"""Risk: from a declaration to a channel, and what the decision reads and leaves behind.

`engine/` is the pure engine (item frame, the `RuleSet` protocol, assessment, selectivity,
decisions, ENS rules; no storage, no HTTP); `learning/` is the learned model (features,
training, registry, scoring, evaluation). The stored side:
`knowledge.KnowledgeCache` keeps the engine's rule sets and model built from the database
(the components come from `clearway.composition`, so this package imports none of the
domains that hold the rule sources), `repository` the decisions and capacity budgets,
`trader_summary` the traders' records the decision reads, `service` the capacity and report
use cases. The decision on a declaration is taken by the clearance room
(`clearance.acceptance`); the routes are in `api/risk.py`, the commands in `cli/risk.py`
(`clearway risk`) and `cli/model.py` (`clearway model`).
See docs/risk-engine.md and docs/risk-model.md.
"""
