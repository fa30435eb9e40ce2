"""What `make demo` leaves for its user: seeding progress on any output, the settings file the
CLI reads to act on the running demo (var/clearway.env), the tokens file
(var/demo-tokens.txt) and the closing lines: tokens and console address, printed last."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from clearway.config import Settings
from clearway.identity import User
from clearway.ops.logs import make_handler

ENV_FILE = "clearway.env"
TOKENS_FILE = "demo-tokens.txt"
LOG_FILE = "demo.log"
# Settings the demo gives its home administration, written for the CLI; the key and
# witness files only when set (else the CLI derives the same from the secret key).
ALWAYS = ("database_url", "model_dir", "public_url", "country_code", "environment",
          "secret_key", "pseudonym_keys_file", "webhook_allowed_networks")
IF_SET = ("audit_signing_key_file", "audit_trusted_keys_file", "audit_witness_file",
          "exchange_key_file", "refdata_dir", "ens_rules_file")


class DemoSide(Protocol):
    """One administration as the closing lines show it (clearway.demo.region.Side)."""

    code: str
    url: str
    users: dict[str, tuple[str, str | None, User]]


@contextmanager
def seeding_progress(console: Console, label: str,
                     total: int) -> Iterator[Callable[[int, int], None]]:
    """A callback `(done, total)`: a live bar on a terminal; otherwise (a pipe, a log file,
    CI) a plain line at every tenth, since a live bar there shows nothing until the end."""
    if console.is_terminal:
        columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("seed", total=total)
            yield lambda done, _total: progress.update(task, completed=done)
        return
    shown = [-1]

    def report(done: int, whole: int) -> None:
        tenth = done * 10 // max(whole, 1)
        if tenth > shown[0]:
            shown[0] = tenth
            console.print(f"{label}: {done}/{whole} ({tenth * 10}%)", highlight=False)

    report(0, total)
    yield report


def logs_to_file(folder: Path, settings: Settings) -> Path:
    """From now on, log lines below WARNING go to var/demo.log rather than the terminal:
    the servers' routine lines (deliveries, witnessed heads, sweeps) would bury the tokens.
    The file's handler masks secrets like the terminal's."""
    path = folder / LOG_FILE
    root = logging.getLogger()
    for handler in root.handlers:
        handler.setLevel(max(handler.level, logging.WARNING))
    stream = path.open("a", encoding="utf-8")  # open while the demo runs
    root.addHandler(make_handler("text", [settings.secret_key], stream=stream))
    return path


def _private(path: Path, text: str) -> Path:
    """Write `text` readable by its owner only (tokens and the secret key are in it)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    path.chmod(0o600)  # an older file keeps its mode through O_TRUNC
    return path


def _value(value: object) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return text.replace("\n", " ")


def write_env_file(folder: Path, settings: Settings, partner: str | None = None) -> Path:
    """var/clearway.env: dotenv lines the `clearway` CLI reads, so that its commands act on
    the running demo without flags."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# Written by `make demo` at {now}: the settings of the demo at "
             f"{settings.public_url},",
             "# so that `uv run clearway ...` commands act on it without flags. Delete this "
             "file to stop using it",
             "# (the CLI then reads CLEARWAY_* variables and its defaults again); the next "
             "`make demo` rewrites it."]
    if partner:
        lines.append(f"# The partner administration runs beside it: {partner}.")
    for name in ALWAYS + IF_SET:
        value = getattr(settings, name)
        if value is not None and (name in ALWAYS or value != ""):
            lines.append(f"CLEARWAY_{name.upper()}={_value(value)}")
    return _private(folder / ENV_FILE, "\n".join(lines) + "\n")


def _user_lines(side: DemoSide) -> list[str]:
    """A header and one aligned line per user: name, trader (or -), token."""
    width = max(len(name) for name in [*side.users, "user"])
    rows = [("user", "trader", "token")]
    rows += [(name, trader or "-", token) for name, (token, trader, _u) in side.users.items()]
    return [f"  {name:<{width}}  {trader:<16}  {token}" for name, trader, token in rows]


def write_tokens_file(folder: Path, sides: Sequence[DemoSide]) -> Path:
    """var/demo-tokens.txt: every demo user's token and where to sign in with it."""
    lines = ["# Demo users of `make demo` (sign in at the console with a token). "
             "Readable by you only."]
    for side in sides:
        lines += ["", f"{side.code}: {side.url}/console", *_user_lines(side)]
    return _private(folder / TOKENS_FILE, "\n".join(lines) + "\n")


def announce(console: Console, sides: Sequence[DemoSide], files: Sequence[Path]) -> None:
    """The closing lines, once every server listens: tokens, then the addresses."""
    for side in sides:
        console.rule(f"{side.code}: demo users (sign in with a token)")
        for line in _user_lines(side):
            console.print(line, soft_wrap=True, highlight=False, markup=False)
    console.print(f"Kept in {files[0]} (tokens) and {files[1]} (settings the `clearway` "
                  "CLI reads; delete it to stop); the servers' log: "
                  f"{files[0].with_name(LOG_FILE)}.", soft_wrap=True, highlight=False)
    for side in sides:
        console.print(f"{side.code} console: [bold]{side.url}/console[/bold]   API docs: "
                      f"{side.url}/api/docs", soft_wrap=True, highlight=False)
