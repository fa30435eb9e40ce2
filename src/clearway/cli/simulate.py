"""`clearway simulate balance`: Clearway's selection against random, rules and an oracle,
replayed week by week on a labelled history (docs/balance.md).

Contract (scripts depend on it): with `--json`, stdout is exactly one JSON object with at
least `weeks`, `strategies.{clearway,random,rules,oracle}.{caught,precision,recall}`,
`estimate.{rate,low,high}` and `truth.rate`; progress goes to stderr.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from clearway.cli.progress import Phases

if TYPE_CHECKING:  # Polars and LightGBM load in the command: `--help` stays fast
    import polars as pl

    from clearway.profiles.matcher import ProfileSet
    from clearway.risk.learning.mapping import Mapping

simulate_app = typer.Typer(help="Simulations: the balance of selection strategies.",
                           no_args_is_help=True)
out = Console()
err = Console(stderr=True)
# Command-line diagnostics, as `clearway model` prints them (no HTTP answer carries these).
NO_MAPPING, NO_REPLAY = "[red]CW-RISK-MAPPING[/red]", "[red]CW-BALANCE[/red]"
_RULE = re.compile(r"^\s*(.+?)\s*(>=|<=|==|!=|>|<)\s*(.+?)\s*$")


def _fail(tag: str, message: str) -> typer.Exit:
    err.print(f"{tag}: {escape(message)}", highlight=False, soft_wrap=True)  # paths whole
    return typer.Exit(2)


def _share(value: float) -> float:
    """A fraction (0..1), or a percentage above 1 (10 = 10 %)."""
    if not 0 <= value <= 100:
        raise typer.BadParameter("the random share is a fraction 0..1 or a percentage")
    return value if value <= 1 else value / 100


def _critical(text: str | None) -> tuple[str, str, float | str] | None:
    if text is None:
        return None
    found = _RULE.match(text)
    if not found:
        raise typer.BadParameter(f"{text!r}: write COLUMN OP VALUE, e.g. 'Critical Fraud==2'")
    column, op, raw = found.groups()
    try:
        return column, op, float(raw)
    except ValueError:
        return column, op, raw


def _frame(files: list[Path], mapping: Mapping,
           critical: tuple[str, str, float | str] | None) -> pl.DataFrame:
    import polars as pl

    from clearway.risk.learning.mapping import LabelRule, MappingError, read_source

    parts = []
    for path in files:
        try:
            frame = read_source(path, mapping)
            if critical is not None:  # an outcome, read beside the rows: never a feature
                rule = LabelRule(*critical)
                raw = pl.read_csv(path, infer_schema_length=0, columns=[rule.column],
                                  encoding="utf8-lossy")
                frame = frame.with_columns(
                    raw.select(rule.expression().fill_null(0).cast(pl.Int8)
                               .alias("label_critical")).to_series())
        except (MappingError, pl.exceptions.PolarsError) as exc:
            raise _fail(NO_MAPPING, f"{path}: {exc}") from None
        parts.append(frame)
    return pl.concat(parts, how="vertical_relaxed")


def _profiles(path: Path | None) -> ProfileSet | None:
    if path is None:
        return None
    from clearway.errors import DocumentInvalid
    from clearway.profiles.matcher import ProfileSet
    from clearway.profiles.yaml_io import load_profiles

    try:
        return ProfileSet(load_profiles(path.read_bytes(), default_owner="simulation"))
    except DocumentInvalid as exc:
        detail = "; ".join(i.message for i in exc.errors) or exc.message
        raise _fail("[red]CW-PROFILE-YAML[/red]", f"{path}: {detail}") from None


def _mapping(path: Path) -> Mapping:
    from clearway.risk.learning.mapping import MappingError, load_mapping

    try:
        return load_mapping(path)
    except MappingError as exc:
        raise _fail(NO_MAPPING, str(exc)) from None


FileOpt = dict(exists=True, dir_okay=False)


@simulate_app.command("balance")
def balance(
    data: Annotated[list[Path], typer.Option("--data", help="CSV of declarations with "
                                             "outcomes; repeat to join files into one "
                                             "stream", **FileOpt)],
    mapping_file: Annotated[Path, typer.Option("--mapping", help="TOML mapping of its "
                                               "columns", **FileOpt)],
    start: Annotated[str, typer.Option(help="First day replayed (YYYY-MM-DD); earlier rows "
                                       "are the labelled history")],
    rate: Annotated[float, typer.Option(min=0.01, max=100, help="Percent of each week's "
                                        "items inspected")] = 5.0,
    random_share: Annotated[float, typer.Option(
        help="Share of Clearway's inspections drawn at random (0.1 or 10 = 10 %)")] = 0.1,
    seed: int = 7,
    retrain_weeks: Annotated[int, typer.Option(min=1, help="Retrain the model every N "
                                               "weeks")] = 4,
    rounds: Annotated[int | None, typer.Option(min=1, help="Fixed boosting rounds "
                                               "(default: early stopping)")] = None,
    profiles: Annotated[Path | None, typer.Option(help="Profiles YAML Clearway applies "
                                                  "beside its model", **FileOpt)] = None,
    rules: Annotated[Path | None, typer.Option(help="Profiles YAML of the rules-only "
                                               "strategy (default: the best single-feature "
                                               "rule of the history)", **FileOpt)] = None,
    critical: Annotated[str | None, typer.Option(help="Critical cases: COLUMN OP VALUE, "
                                                 "e.g. 'Critical Fraud==2'")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    html: Annotated[Path | None, typer.Option(help="Write an HTML report with charts")] = None,
) -> None:
    """Replay the labelled history week by week: Clearway, random, rules, oracle."""
    try:
        first = date.fromisoformat(start)
    except ValueError:
        raise typer.BadParameter(f"{start!r} is not a date YYYY-MM-DD") from None
    share, critical_rule = _share(random_share), _critical(critical)
    from clearway.balance.learner import LearnerSettings
    from clearway.balance.simulation import Settings, run
    from clearway.balance.stream import BalanceError

    mapping = _mapping(mapping_file)
    settings = Settings(start=first, rate=rate, random_share=share, seed=seed,
                        learner=LearnerSettings(retrain_every=retrain_weeks, rounds=rounds,
                                                seed=seed),
                        profiles=_profiles(profiles), rules=_profiles(rules))
    with Phases("simulate balance") as progress:
        progress(f"reading {', '.join(p.name for p in data)}")
        frame = _frame(data, mapping, critical_rule)
        try:
            result = run(frame, mapping, settings, progress=progress)
        except (BalanceError, ValueError) as exc:
            raise _fail(NO_REPLAY, str(exc)) from None
        if html is not None:
            from clearway.balance.charts import html as render

            progress(f"writing {html.name}")
            html.write_text(render(result), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(result))
        return
    print_result(result)


def print_result(result: dict[str, Any]) -> None:
    table = Table("strategy", "inspections", "caught", "precision", "recall",
                  title=f"Balance: {result['weeks']} weeks from {result['start']}, "
                        f"{result['rate']:g} % inspected",
                  caption=f"retrained every {result['retrain_every_weeks']} weeks; rules: "
                          f"{result['rules']}")
    for name, s in result["strategies"].items():
        table.add_row(name, str(s["inspections"]), str(s["caught"]),
                      _pct(s["precision"]), _pct(s["recall"]))
    out.print(table)
    e = result["estimate"]
    out.print(f"estimated irregularity {_pct(e['rate'])} (95 % {_pct(e['low'])} to "
              f"{_pct(e['high'])}, {e['random_inspections']} random inspections); "
              f"true {_pct(result['truth']['rate'])}; "
              f"{'covered' if result['covered'] else 'NOT covered'}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"
