"""The top-level `clearway` group: command groups imported only when used, the running
demo's settings file, and one coded line instead of a traceback for the failures an operator
meets first (no database, an unmigrated one, an invalid setting).

Importing a command group's module pulls in SQLAlchemy, Polars, LightGBM or FastAPI (up to
8 s on 2 CPUs); `clearway --help` needs none of them, so the listing is drawn from the names
and help lines below and a group's module is imported only when a command line names it.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from clearway.cli import envfile

# Exit codes shared by every command (docs/operations.md, "Exit codes").
EXIT_NO_DATABASE = 4
EXIT_BAD_SETTINGS = 5
EXIT_UNREACHABLE = 6  # `submit`: no server answers at --url

# name: (module, Typer attribute, help). tests/unit/cli checks each help against the module.
LAZY_GROUPS: dict[str, tuple[str, str, str]] = {
    "audit": ("clearway.cli.audit", "audit_app",
              "Audit trail: verify, signed checkpoints, public key."),
    "model": ("clearway.cli.model", "model_app",
              "Learned risk model: train, evaluate, promote."),
    "screening": ("clearway.cli.screening", "screening_app",
                  "Restricted-party lists and screening."),
    "reports": ("clearway.cli.reports", "reports_app", "Performance reports (release times)."),
    "valuation": ("clearway.cli.valuation", "valuation_app",
                  "Valuation reference unit values (HS6 x origin)."),
    "ipr": ("clearway.cli.ipr", "ipr_app", "IPR applications for action."),
    "dual-use": ("clearway.cli.dualuse", "dualuse_app", "Dual-use control list."),
    "licences": ("clearway.cli.licences", "licences_app", "Licence register: import, list."),
    "profiles": ("clearway.cli.profiles", "profiles_app",
                 "Risk profiles (common risk criteria): import, export, list."),
    "integrity": ("clearway.cli.integrity", "integrity_app",
                  "Integrity indicators and cases (R4)."),
    "feedback": ("clearway.cli.feedback", "feedback_app",
                 "What controls found: trader records, profile effectiveness, "
                 "non-compliance estimate, KPIs."),
    "overrides": ("clearway.cli.overrides", "overrides_app",
                  "Four-eyes requests: channel changes, waivers, cancellations after "
                  "selection."),
    "controls": ("clearway.cli.controls", "controls_app",
                 "Control tasks: duty roster, tasks, assignment."),
    "risk": ("clearway.cli.risk", "risk_app",
             "Risk decisions: control capacity per office and day, selectivity report, the "
             "traders' records."),
    "exchange": ("clearway.cli.exchange", "exchange_app",
                 "Signed messages with partner administrations."),
    "partners": ("clearway.cli.partners", "partners_app", "Partner administrations."),
    "agreements": ("clearway.cli.agreements", "agreements_app",
                   "Agreements with partner administrations."),
    "assistance": ("clearway.cli.assistance", "assistance_app",
                   "Mutual assistance with partner administrations."),
    "privacy": ("clearway.cli.privacy", "privacy_app",
                "Data protection of exchanged personal data."),
    "arrivals": ("clearway.cli.arrivals", "arrivals_app",
                 "Pre-arrival exchange with partner administrations."),
    "mirror": ("clearway.cli.mirror", "mirror_app",
               "Mirror analysis: monthly aggregates exchanged with partners."),
    "agencies": ("clearway.cli.agencies", "agencies_app",
                 "Single window: agencies and the regulatory matrix."),
    "border": ("clearway.cli.border", "border_app",
               "Integrated border management: crossing points."),
    "simulate": ("clearway.cli.simulate", "simulate_app",
                 "Simulations: the balance of selection strategies."),
    "conference": ("clearway.cli.conference", "conference_app",
                   "Regional conferences and the progress reports to them."),
}


# `clearway demo` writes var/clearway.env for the others; it must not start from the
# previous run's values (another port, another database).
OWN_SETTINGS = frozenset({"demo"})


def load_group(name: str) -> typer.Typer:
    module, attr, _ = LAZY_GROUPS[name]
    sub: typer.Typer = getattr(importlib.import_module(module), attr)
    return sub


class LazyGroup(TyperGroup):
    """Lists the lazy groups from LAZY_GROUPS; imports one when a command line names it."""

    _added: dict[str, str] = {}  # what envfile.apply put into the environment for this run

    def list_commands(self, ctx: Any) -> list[str]:
        eager = super().list_commands(ctx)
        return eager + [n for n in LAZY_GROUPS if n not in eager]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = self.commands.get(cmd_name)
        if found is None and cmd_name in LAZY_GROUPS:
            # A stand-in for the listing (help, completion): its name and help line only.
            return TyperGroup(name=cmd_name, help=LAZY_GROUPS[cmd_name][2])
        return found

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in OWN_SETTINGS and not self._added:
            # Before the command parses its options: some read CLEARWAY_* (--registry).
            self._added = envfile.apply()
        if args and args[0] in LAZY_GROUPS and args[0] not in self.commands:
            command = typer.main.get_group(load_group(args[0]))
            command.name = args[0]
            self.commands[args[0]] = command
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        self._added = {}
        try:
            return super().invoke(ctx)
        except Exception as exc:
            code = _coded_exit(exc, from_file=envfile.source() if self._added else None)
            if code is None:
                raise
            raise typer.Exit(code) from None
        finally:
            envfile.restore(self._added)
            self._added = {}


def _coded_exit(exc: Exception, *, from_file: str | None) -> int | None:
    """Print one line for a failure an operator can fix by configuration; its exit code."""
    from clearway.cli.failures import database_problem, settings_problem

    problem = settings_problem(exc)
    if problem is not None:
        _say(f"CW-SETTINGS: {problem}", from_file)
        return EXIT_BAD_SETTINGS
    problem = database_problem(exc)
    if problem is not None:
        _say(f"CW-DATABASE: {problem}", from_file)
        return EXIT_NO_DATABASE
    return None


def _say(line: str, from_file: str | None) -> None:
    suffix = f" (settings from {from_file})" if from_file else ""
    typer.echo(line + suffix, err=True)
