"""Training the risk model on Clearway's own label store (`clearway model train-store`, demo).

Every accepted goods declaration before the context's clock is history; the controlled ones,
with their outcome, are the training rows. The features are those the live history snapshot
produces (`risk.scoring`), so the engine can use the model as soon as it is promoted.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl

from clearway.context import Context
from clearway.risk.evaluation import holdout_metrics, label_rate, mapped_features
from clearway.risk.features import FeatureConfig
from clearway.risk.history_store import history_frame
from clearway.risk.mapping import Mapping
from clearway.risk.model import RiskModel
from clearway.risk.registry import ModelRecord, ModelRegistry

# The canonical columns the label store gives (clearway.risk.history_store.history_frame).
STORE_COLUMNS = ("declaration_id", "date", "importer_id", "declarant_id", "seller_id",
                 "office_id", "commodity_code", "origin_country", "departure_country",
                 "transport_mode", "net_mass", "value", "tax_rate")


class TrainingError(Exception):
    """The label store cannot give a model (too few outcomes, one class only...); the
    command line reports it as CW-RISK-TRAIN, like its other training errors."""


def _clean(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def train_on_store(ctx: Context, registry_dir: str | Path, *, promote: bool = False,
                   seed: int = 7, rounds: int | None = None,
                   min_labels: int = 200) -> ModelRecord:
    """Train on the label store as of `ctx.clock.now()` and save a new version (made active
    when `promote`). The record's metadata holds `labels` (control outcomes trained on) and
    `rows` (item rows of history) besides the holdout metrics."""
    with ctx.uow(read_only=True) as uow:
        rows = history_frame(uow.session, until=ctx.clock.now(), refdata=ctx.refdata.get())
    labelled = rows.filter(pl.col("label_irregular").is_not_null())
    if labelled.height < min_labels or labelled["label_irregular"].n_unique() < 2:
        raise TrainingError(f"{labelled.height} control outcomes in the label store; at least "
                            f"{min_labels}, of both outcomes, are needed")
    mapping = Mapping(name="label-store", columns={c: c for c in STORE_COLUMNS
                                                   if c in rows.columns})
    config = FeatureConfig()
    first, last = rows.select(pl.col("date").min().alias("a"),
                              pl.col("date").max().alias("b")).row(0)
    try:
        metrics = holdout_metrics(rows, mapping, config=config, seed=seed, rounds=rounds)
        features = mapped_features(rows, None, mapping, prior=label_rate(labelled),
                                   config=config)
        model = RiskModel.train(features, seed=seed, num_boost_round=rounds)
    except ValueError as exc:
        raise TrainingError(str(exc)) from None
    store = ModelRegistry(registry_dir)
    record = store.save(model, created_at=ctx.clock.now(), train_from=first, train_to=last,
                        metrics={k: _clean(v) for k, v in metrics.items()},
                        extra={"feature_config": config.to_dict(), "mapping": mapping.name,
                               "labels": labelled.height, "rows": rows.height})
    if promote:
        record = store.promote(record.version)
        ctx.risk.invalidate()  # the engine picks the new model up at its next decision
    return record
