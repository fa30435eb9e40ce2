"""`clearway model train|evaluate|promote`: the risk model from the command line.

Registered in `clearway.cli` as the `model` group; also runs on its own:
`python -m clearway.cli.model evaluate --data ... --mapping ... --train-until ...`.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from clearway.cli.progress import Phases, phase

if TYPE_CHECKING:  # Polars and LightGBM load in the commands: `clearway model --help` is fast
    import polars as pl

    from clearway.risk.learning.mapping import Mapping

model_app = typer.Typer(help="Learned risk model: train, evaluate, promote.",
                        no_args_is_help=True)
out = Console()
err = Console(stderr=True)

DataOpt = Annotated[Path, typer.Option("--data", help="CSV of declarations with outcomes",
                                       exists=True, dir_okay=False)]
MappingOpt = Annotated[Path, typer.Option("--mapping", help="TOML mapping of its columns",
                                          exists=True, dir_okay=False)]
RoundsOpt = Annotated[int | None, typer.Option(
    "--rounds", min=1, help="Fixed boosting rounds (default: early stopping on the latest "
    "dates of the training window)")]
RegistryOpt = Annotated[Path, typer.Option("--registry", envvar="CLEARWAY_MODEL_DIR",
                                           help="Model registry folder")]


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD") from None


def _rates(text: str) -> list[float]:
    try:
        rates = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(f"{text!r}: rates are percentages like 1,2,5,10") from None
    if not rates or any(not 0 < r <= 100 for r in rates):
        raise typer.BadParameter("rates must be percentages in (0, 100]")
    return rates


def _read(path: Path, mapping: Mapping) -> pl.DataFrame:
    from clearway.risk.learning.mapping import MappingError, read_source

    try:
        frame = read_source(path, mapping)
    except MappingError as exc:
        err.print(f"[red]CW-RISK-MAPPING[/red]: {exc}")
        raise typer.Exit(2) from None
    if "label_irregular" not in frame.columns:
        err.print("[red]CW-RISK-MAPPING[/red]: the mapping has no label_irregular")
        raise typer.Exit(2)
    return frame


def _mapping(path: Path) -> Mapping:
    from clearway.risk.learning.mapping import MappingError, load_mapping

    try:
        return load_mapping(path)
    except MappingError as exc:
        err.print(f"[red]CW-RISK-MAPPING[/red]: {exc}")
        raise typer.Exit(2) from None


def _clean(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


@model_app.command("evaluate")
def evaluate_command(
    data: DataOpt, mapping_file: MappingOpt,
    train_until: Annotated[str, typer.Option("--train-until", help="Last training date")],
    test_data: Annotated[Path | None, typer.Option(
        "--test-data", help="Score this file instead of the rows after --train-until",
        exists=True, dir_okay=False)] = None,
    rates: Annotated[str, typer.Option(help="Selection rates in percent")] = "1,2,5,10",
    online: Annotated[bool, typer.Option(
        "--online", help="Reveal test labels day by day (control results flow back)")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    seed: int = 7, rounds: RoundsOpt = None,
) -> None:
    """Train on rows up to --train-until; compare model, random selection and baseline."""
    import polars as pl

    from clearway.risk.learning.evaluation import evaluate, split_until

    mapping = _mapping(mapping_file)
    until = _date(train_until)
    assert until is not None
    with Phases("model evaluate") as progress:
        progress(f"reading {data.name}")
        frame = _read(data, mapping)
        if test_data is not None:
            progress(f"reading {test_data.name}")
            train, test = frame.filter(pl.col("date") <= until), _read(test_data, mapping)
        else:
            train, test = split_until(frame, until)
        try:
            result = evaluate(train, test, mapping, rates=_rates(rates), online=online,
                              seed=seed, rounds=rounds, progress=progress)
        except ValueError as exc:
            err.print(f"[red]CW-RISK-EVALUATE[/red]: {exc}")
            raise typer.Exit(2) from None
    report = {name: {k: _clean(v) for k, v in values.items()}
              for name, values in result.report.items()}
    if as_json:
        typer.echo(json.dumps(report))
        return
    print_report(report, f"{result.train_rows} training rows, {result.test_rows} test rows"
                         f"{' (online labels)' if online else ''}")


def print_report(report: dict[str, dict[str, Any]], caption: str = "") -> None:
    """The evaluation as a Rich table: one row per metric, one column per scorer."""
    table = Table("metric", *report, title="Risk model evaluation", caption=caption)
    for metric in next(iter(report.values())):
        cells = [report[name].get(metric) for name in report]
        table.add_row(metric, *("-" if c is None else f"{c:.4f}" for c in cells))
    out.print(table)


@model_app.command("train")
def train_command(
    data: DataOpt, mapping_file: MappingOpt, registry: RegistryOpt = Path("var/models"),
    train_until: Annotated[str | None, typer.Option(
        "--train-until", help="Last training date (default: all rows)")] = None,
    promote: Annotated[bool, typer.Option(help="Make the new version active")] = False,
    seed: int = 7, rounds: RoundsOpt = None,
) -> None:
    """Train on the labelled rows (up to --train-until) and store a new version."""
    import polars as pl

    mapping = _mapping(mapping_file)
    with Phases("model train") as progress:
        progress(f"reading {data.name}")
        frame = _read(data, mapping).filter(pl.col("label_irregular").is_not_null())
        record, metrics, (first, last, rows) = _train(frame, mapping, registry,
                                                      _date(train_until), promote, seed,
                                                      rounds, progress)
    out.print(f"model {record.version} trained on {rows} rows "
              f"({first} .. {last}), holdout ROC-AUC "
              f"{metrics['roc_auc']:.4f}{', active' if promote else ''}")
    typer.echo(record.version)


def _train(frame: pl.DataFrame, mapping: Mapping, registry: Path, until: date | None,
           promote: bool, seed: int, rounds: int | None,
           progress: Phases) -> tuple[Any, dict[str, float], tuple[date, date, int]]:
    import polars as pl

    from clearway.risk.learning.evaluation import holdout_metrics, label_rate, mapped_features
    from clearway.risk.learning.features import FeatureConfig
    from clearway.risk.learning.model import RiskModel
    from clearway.risk.learning.registry import ModelRegistry

    if until is not None:
        frame = frame.filter(pl.col("date") <= until)
    if frame.height == 0:
        err.print("[red]CW-RISK-TRAIN[/red]: no labelled rows to train on")
        raise typer.Exit(2)
    config = FeatureConfig()
    first, last = frame.select(pl.col("date").min().alias("a"),
                               pl.col("date").max().alias("b")).row(0)
    try:
        metrics = holdout_metrics(frame, mapping, config=config, seed=seed, rounds=rounds,
                                  progress=lambda phase: progress(f"holdout: {phase}"))
        progress(f"histories of all {frame.height} rows")
        features = mapped_features(frame, None, mapping, prior=label_rate(frame), config=config)
        progress("training the model (LightGBM)")
        model = RiskModel.train(features, seed=seed, num_boost_round=rounds)
    except ValueError as exc:
        err.print(f"[red]CW-RISK-TRAIN[/red]: {exc}")
        raise typer.Exit(2) from None
    progress("storing the new version")
    store = ModelRegistry(registry)
    record = store.save(model, created_at=datetime.now(UTC), train_from=first, train_to=last,
                        metrics={k: _clean(v) for k, v in metrics.items()},
                        extra={"feature_config": config.to_dict(), "mapping": mapping.name})
    if promote:
        store.promote(record.version)
    return record, metrics, (first, last, frame.height)


@model_app.command("promote")
def promote_command(version: str, registry: RegistryOpt = Path("var/models")) -> None:
    """Make VERSION the active model (after checking its files)."""
    from clearway.risk.learning.registry import ModelRegistry, RegistryError

    try:
        record = ModelRegistry(registry).promote(version)
    except RegistryError as exc:
        err.print(f"[red]CW-RISK-REGISTRY[/red]: {exc}")
        raise typer.Exit(2) from None
    out.print(f"model {record.version} is active")


@model_app.command("list")
def list_command(registry: RegistryOpt = Path("var/models")) -> None:
    """The stored versions, their training window and holdout metrics."""
    from clearway.risk.learning.registry import ModelRegistry

    table = Table("version", "active", "created", "window", "roc_auc", "precision@5")
    for rec in ModelRegistry(registry).records():
        window = rec.metadata["training_window"]
        table.add_row(rec.version, "yes" if rec.active else "", rec.metadata["created_at"][:19],
                      f"{window['from']} .. {window['to']}", str(rec.metrics.get("roc_auc")),
                      str(rec.metrics.get("precision@5")))
    out.print(table)



@model_app.command("train-store")
def train_store_command(
    registry: RegistryOpt = Path("var/models"),
    promote: Annotated[bool, typer.Option(help="Make the new version active")] = False,
    min_labels: Annotated[int, typer.Option(help="Fewest control outcomes to train on")] = 200,
    seed: int = 7, rounds: RoundsOpt = None,
    history: Annotated[Path | None, typer.Option(
        "--history", exists=True, file_okay=False,
        help="Train on this `risk export-history` folder instead of the database")] = None,
    max_labels: Annotated[int, typer.Option(
        min=1000, help="Training rows at most (above: all irregular outcomes and a "
        "weighted sample of the regular ones)")] = 200_000,
) -> None:
    """Train on Clearway's own label store: every accepted declaration as history, the
    controlled ones (with their outcome) as training rows. The live engine can use the
    result: its features are those the live history snapshot produces."""
    from clearway import bootstrap
    from clearway.risk.learning.history_files import scan
    from clearway.risk.learning.training import TrainingError, train_on_history, train_on_store

    ctx = bootstrap.context()
    train = partial(train_on_store, ctx, registry) if history is None else \
        partial(train_on_history, ctx, scan(history), registry)
    try:
        with phase("model train-store", "histories, training and holdout"):
            record = train(promote=promote, seed=seed, rounds=rounds, min_labels=min_labels,
                           max_labels=max_labels)
    except TrainingError as exc:
        err.print(f"[red]CW-RISK-TRAIN[/red]: {exc}")
        raise typer.Exit(2) from None
    meta, window = record.metadata, record.metadata["training_window"]
    auc = record.metrics.get("roc_auc")
    out.print(f"model {record.version} trained on {meta['labels']} outcomes among "
              f"{meta['rows']} item rows ({window['from']} .. {window['to']}), holdout ROC-AUC "
              f"{'-' if auc is None else f'{auc:.4f}'}{', active' if promote else ''}")
    typer.echo(record.version)


@model_app.command("retrain")
def retrain_command(
    registry: RegistryOpt = Path("var/models"),
    recent_days: Annotated[int, typer.Option(min=1, help="Days of the recent window")] = 30,
    min_labels: Annotated[int, typer.Option(help="Fewest control outcomes to train on")] = 200,
    seed: int = 7, rounds: RoundsOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Train a candidate on the label store and print a drift report: PSI per feature between
    the promoted model's training window and the recent window, the label-rate change, and
    old vs new ROC-AUC / precision@k on the recent holdout. Never promotes (`model promote`
    does, after review)."""
    from clearway import bootstrap
    from clearway.risk.learning.evaluation import DEFAULT_RATES
    from clearway.risk.learning.training import TrainingError, retrain

    try:
        with phase("model retrain", "candidate, drift and holdout"):
            report = retrain(bootstrap.context(), registry, recent_days=recent_days, seed=seed,
                             rounds=rounds, min_labels=min_labels)
    except TrainingError as exc:
        err.print(f"[red]CW-RISK-TRAIN[/red]: {exc}")
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    rates = report["label_rate"]
    out.print(f"candidate {report['candidate']} (not promoted); promoted: "
              f"{report['promoted'] or '-'}")
    out.print(f"label rate: {rates['reference']['rate']} on {rates['reference']['labels']} "
              f"(reference) -> {rates['recent']['rate']} on {rates['recent']['labels']} (recent)")
    table = Table("feature", "PSI", "band")
    for f in report["psi"]:
        table.add_row(f["feature"], "-" if f["psi"] is None else f"{f['psi']:.4f}",
                      f["band"] or "-")
    out.print(table)
    names = ["roc_auc", *(f"precision@{r:g}" for r in DEFAULT_RATES)]
    holdout = Table("model", *names)
    for name in ("old", "new"):
        found = report["holdout"].get(name)
        if found is not None:
            holdout.add_row(name, *(str(found.get(m, found.get("error", "-"))) for m in names))
    out.print(f"recent holdout: {report['holdout']['rows']} labelled rows")
    out.print(holdout)


if __name__ == "__main__":  # pragma: no cover
    model_app()
