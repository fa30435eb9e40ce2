"""Learned risk model: mapping of source data, as-of features, LightGBM model, registry, evaluation.

Pure library (no HTTP, no database). `mapping` turns a source CSV into canonical columns,
`features.build_features` computes history features as of each declaration's date,
`model.RiskModel` trains and explains a LightGBM classifier (and revenue regressor),
`registry.ModelRegistry` stores versioned models, `evaluation` measures them against random
selection and a plain baseline, and `cli.model_app` is the `clearway model` command group.
`scoring` scores live declarations (item frame in) against a `snapshot.HistorySnapshot` of
the history precomputed once; `history_store` (the one module here that reads the database)
loads that history and the traders' records.
See docs/risk-model.md.
"""
