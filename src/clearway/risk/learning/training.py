"""Training the risk model on Clearway's own label store (`clearway model train-store`,
`clearway model retrain`, demo).

Every accepted goods declaration before the context's clock is history; the controlled ones,
with their outcome, are the training rows. The features are those the live history snapshot
produces (`risk.scoring`), so the engine can use the model as soon as it is promoted.

`retrain` trains a candidate (never promoted) and reports drift: PSI per feature between the
promoted model's training window and the recent window (`risk.drift`), the label-rate
change, and old vs new model on the recent holdout. The "new" model of that comparison is
the candidate's recipe refitted on the rows before the recent window, so both are scored out
of time (the saved candidate itself saw the recent rows). The promoted model may have been
trained on part of the recent window; its figures are then optimistic, and the report says
how many holdout days its training window covers.
"""

from __future__ import annotations

import math
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from clearway.context import Context
from clearway.risk.learning.drift import band, psi_categorical, psi_numeric
from clearway.risk.learning.evaluation import holdout_metrics, label_rate, mapped_features, metrics
from clearway.risk.learning.features import KEEP, FeatureConfig
from clearway.risk.learning.features_scan import scan_features
from clearway.risk.learning.history_files import export_history, scan
from clearway.risk.learning.history_store import history_frame
from clearway.risk.learning.mapping import Mapping
from clearway.risk.learning.model import RiskModel
from clearway.risk.learning.registry import ModelRecord, ModelRegistry, RegistryError

# The canonical columns the label store gives (clearway.risk.learning.history_store.history_frame).
STORE_COLUMNS = ("declaration_id", "date", "importer_id", "declarant_id", "seller_id",
                 "office_id", "commodity_code", "origin_country", "departure_country",
                 "transport_mode", "net_mass", "value", "tax_rate")


MAX_LABELS = 200_000  # training rows at most (a sample above: `_sample`)


class TrainingError(Exception):
    """The label store cannot give a model (too few outcomes, one class only...); the
    command line reports it as CW-RISK-TRAIN, like its other training errors."""


def _clean(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def store_rows(ctx: Context) -> pl.DataFrame:
    """The label store's history as of the context's clock (one row per goods item)."""
    with ctx.uow(read_only=True) as uow:
        return history_frame(uow.session, until=ctx.clock.now(), refdata=ctx.refdata.get())


def store_mapping(rows: pl.DataFrame | pl.LazyFrame) -> Mapping:
    names = rows.collect_schema().names()
    return Mapping(name="label-store", columns={c: c for c in STORE_COLUMNS if c in names})


def train_on_store(ctx: Context, registry_dir: str | Path, *, promote: bool = False,
                   seed: int = 7, rounds: int | None = None, min_labels: int = 200,
                   max_labels: int = MAX_LABELS) -> ModelRecord:
    """Train on the label store as of `ctx.clock.now()` and save a new version (made active
    when `promote`). The record's metadata holds `labels` (control outcomes trained on) and
    `rows` (item rows of history) besides the holdout metrics. The history goes through
    Parquet part files in a temporary folder (`history_files`), never held whole."""
    with tempfile.TemporaryDirectory(prefix="clearway-history-") as folder:
        if not export_store(ctx, folder):
            raise TrainingError(f"0 control outcomes in the label store; at least "
                                f"{min_labels}, of both outcomes, are needed")
        return train_on_history(ctx, scan(folder), registry_dir, promote=promote, seed=seed,
                                rounds=rounds, min_labels=min_labels, max_labels=max_labels)


def export_store(ctx: Context, folder: str | Path) -> int:
    """The label store's history as of the context's clock, as Parquet part files in
    `folder` (`clearway risk export-history`; `model train-store --history` reads them)."""
    with ctx.uow(read_only=True) as uow:
        return export_history(uow.session, folder, until=ctx.clock.now(),
                              refdata=ctx.refdata.get())


def train_on_rows(ctx: Context, rows: pl.DataFrame, registry_dir: str | Path, *,
                  promote: bool = False, seed: int = 7, rounds: int | None = None,
                  min_labels: int = 200) -> ModelRecord:
    """`train_on_store` on rows already read from the label store."""
    return train_on_history(ctx, rows.lazy(), registry_dir, promote=promote, seed=seed,
                            rounds=rounds, min_labels=min_labels)


def train_on_history(ctx: Context, history: pl.LazyFrame, registry_dir: str | Path, *,
                     promote: bool = False, seed: int = 7, rounds: int | None = None,
                     min_labels: int = 200, max_labels: int = MAX_LABELS) -> ModelRecord:
    """Train on canonical rows read lazily (a `history_files.scan`, or a frame's `lazy()`):
    the labelled rows, or above `max_labels` a sample of them (`_sample`), are the training
    rows; every row counts in their histories (`features_scan`)."""
    label = pl.col("label_irregular")
    rows, labels, positives, first, last = history.select(
        pl.len().alias("rows"), label.count().alias("labels"),
        (label == 1).sum().alias("positives"), pl.col("date").min().alias("first"),
        pl.col("date").max().alias("last")).collect(engine="streaming").row(0)
    if labels < min_labels or positives in (0, labels):
        raise TrainingError(f"{labels} control outcomes in the label store; at least "
                            f"{min_labels}, of both outcomes, are needed")
    chosen, weight = _sample(labels, positives, max_labels, seed)
    if weight is not None:
        history = history.with_columns(weight.alias("sample_weight"))
    mapping, config = store_mapping(history), FeatureConfig()
    try:
        scores = holdout_metrics(history.filter(chosen).collect(engine="streaming"), mapping,
                                 config=config, seed=seed, rounds=rounds)
        features = scan_features(history, chosen, prior=positives / labels, config=config,
                                 extra_categorical=list(mapping.categorical),
                                 extra_numeric=list(mapping.numeric))
        model = RiskModel.train(features, seed=seed, num_boost_round=rounds)
    except ValueError as exc:
        raise TrainingError(str(exc)) from None
    extra: dict[str, Any] = {"feature_config": config.to_dict(), "mapping": mapping.name,
                             "labels": labels, "rows": rows}
    if weight is not None:
        extra["sample"] = {"rows": features.height, "max_labels": max_labels}
    store = ModelRegistry(registry_dir)
    record = store.save(model, created_at=ctx.clock.now(), train_from=first, train_to=last,
                        metrics={k: _clean(v) for k, v in scores.items()}, extra=extra)
    if promote:
        record = store.promote(record.version)
        ctx.risk.invalidate()  # the engine picks the new model up at its next decision
    return record


def _sample(labels: int, positives: int, max_labels: int,
            seed: int) -> tuple[pl.Expr, pl.Expr | None]:
    """Which rows train, and their weights. Up to `max_labels` outcomes: every labelled row,
    unweighted. Above: every irregular row and a seeded share of the regular ones (whole
    declarations, by a hash of their id), each kept regular row weighing 1/share, so the
    model's rates stay those of the full store; the booster then needs memory for
    `max_labels` rows whatever the history holds (docs/operations.md, national scale)."""
    label = pl.col("label_irregular")
    if labels <= max_labels:
        return label.is_not_null(), None
    share = min(1.0, max(0.01, (max_labels - positives) / (labels - positives)))
    drawn = pl.col("declaration_id").cast(pl.String).hash(seed=seed) < int(share * 2.0 ** 64)
    chosen = label.is_not_null() & ((label == 1) | drawn)
    return chosen, pl.when(label == 1).then(1.0).otherwise(1.0 / share)


def retrain(ctx: Context, registry_dir: str | Path, *, recent_days: int = 30, seed: int = 7,
            rounds: int | None = None, min_labels: int = 200) -> dict[str, Any]:
    """Train a candidate on the label store (not promoted) and report drift (module doc)."""
    rows = store_rows(ctx)
    candidate = train_on_rows(ctx, rows, registry_dir, seed=seed, rounds=rounds,
                              min_labels=min_labels)
    store = ModelRegistry(registry_dir)
    active = store.active_version()
    recent_from = ctx.clock.now().date() - timedelta(days=recent_days)
    window = store.record(active).metadata["training_window"] if active else None
    ref_from = date.fromisoformat(window["from"]) if window else date.min
    ref_to = date.fromisoformat(window["to"]) if window else recent_from - timedelta(days=1)
    in_ref = pl.col("date").is_between(ref_from, ref_to)
    in_recent = pl.col("date") >= recent_from
    mapping, config = store_mapping(rows), FeatureConfig()
    labelled = rows.filter(pl.col("label_irregular").is_not_null())
    features = mapped_features(rows, None, mapping, prior=label_rate(labelled), config=config)
    before, after = labelled.filter(~in_recent), labelled.filter(in_recent)
    return {
        "candidate": candidate.version, "promoted": active,
        "reference_window": {"from": None if ref_from == date.min else ref_from.isoformat(),
                             "to": ref_to.isoformat()},
        "recent_window": {"from": recent_from.isoformat(),
                          "to": ctx.clock.now().date().isoformat()},
        "label_rate": {"reference": _rate(labelled.filter(in_ref)), "recent": _rate(after)},
        "psi": _psi(features.filter(in_ref), features.filter(in_recent)),
        "holdout": _compare(store, active, rows.filter(~in_recent), before, after, mapping,
                            config, seed, rounds),
    }


def _rate(labelled: pl.DataFrame) -> dict[str, Any]:
    return {"labels": labelled.height,
            "rate": None if labelled.height == 0 else round(label_rate(labelled), 6)}


def _psi(reference: pl.DataFrame, recent: pl.DataFrame) -> list[dict[str, Any]]:
    out = []
    for name, dtype in reference.schema.items():
        if name in KEEP:
            continue
        if dtype == pl.String:
            value = psi_categorical(reference[name].to_list(), recent[name].to_list())
        else:
            value = psi_numeric(reference[name].cast(pl.Float64).fill_null(float("nan"))
                                .to_numpy(), recent[name].cast(pl.Float64)
                                .fill_null(float("nan")).to_numpy())
        out.append({"feature": name, "psi": None if value is None else round(value, 4),
                    "band": band(value)})
    return sorted(out, key=lambda f: -(f["psi"] or 0.0))


def _compare(store: ModelRegistry, active: str | None, history: pl.DataFrame,
             before: pl.DataFrame, after: pl.DataFrame, mapping: Mapping,
             config: FeatureConfig, seed: int, rounds: int | None) -> dict[str, Any]:
    """ROC-AUC and precision@k of the promoted model and of the candidate's recipe refitted
    on `before`, both on the labelled recent rows `after` (history: the earlier rows)."""
    if after.height == 0 or after["label_irregular"].n_unique() < 2:
        return {"rows": after.height, "note": "the recent window needs both outcomes"}
    y = after["label_irregular"].cast(pl.Int64).to_numpy()
    out: dict[str, Any] = {"rows": after.height}

    def score(model: RiskModel, prior: float, cfg: FeatureConfig) -> dict[str, float | None]:
        test = mapped_features(after, history, mapping, frame_labels=False, prior=prior,
                               config=cfg)
        found = metrics(y, model.predict(test))
        return {k: _clean(v) for k, v in found.items()
                if k == "roc_auc" or k.startswith("precision@")}

    try:
        prior = label_rate(before)
        new = RiskModel.train(mapped_features(before, None, mapping, prior=prior, config=config),
                              seed=seed, num_boost_round=rounds)
        out["new"] = score(new, prior, config)
    except ValueError as exc:
        out["new"] = {"error": str(exc)}
    if active is not None:
        record = store.record(active)
        try:
            old = store.load(active, expected_features=record.features)
            cfg = FeatureConfig.from_dict(record.metadata.get("feature_config", {}))
            out["old"] = score(old, old.prior, cfg)
        except (RegistryError, ValueError, KeyError) as exc:
            out["old"] = {"error": str(exc)}
    return out
