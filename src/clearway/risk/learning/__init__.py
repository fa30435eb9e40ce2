"""The learned risk model: source mapping, as-of features, LightGBM model, registry, scoring.

`mapping` turns a source CSV into canonical columns, `features.build_features` computes
history features as of each declaration's date, `model.RiskModel` trains and explains a
LightGBM classifier (and revenue regressor), `registry.ModelRegistry` stores versioned models,
`evaluation` measures them against random selection and a plain baseline, and `cli.model_app`
is the `clearway model` command group. `scoring` scores live declarations (item frame in)
against a `snapshot.HistorySnapshot` of the history precomputed once; `history_store` and
`labels` read that history and the control outcomes from the database, and `promoted` makes
the promoted model ready for the live decision. See docs/risk-model.md.
"""
