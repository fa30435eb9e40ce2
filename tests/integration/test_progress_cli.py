"""`clearway conference` on a real database: a conference added (its deadline computed, bad
terms refused with their code), listed, the due reminder shown, a report written to PDF and
HTML, and a submitted report exported and refused when imported here as its own."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from clearway.cli.main import app
from clearway.context import Context
from clearway.identity import Role, User
from clearway.progress import service, workflow
from clearway.progress.model import SECTION_KEYS, add_months

SUP = User(id=1, name="sup", role=Role.SUPERVISOR, trader_id=None)
SUP2 = User(id=2, name="sup2", role=Role.SUPERVISOR, trader_id=None)
HEAD = User(id=3, name="head", role=Role.HEAD_OF_ADMINISTRATION, trader_id=None)


def test_conferences_reminders_documents_and_export(run: CliRunner, ctx: Context,
                                                    tmp_path: Path) -> None:
    def cli(*args: str) -> tuple[int, str]:
        done = run.invoke(app, ["conference", *args], terminal_width=200)
        return done.exit_code, done.output

    # The command line runs on the system clock: a deadline three days from today.
    held = add_months(date.today() + timedelta(days=3), 1)
    deadline = add_months(held, -1)   # today + 3 days, earlier near a month's end
    left = (deadline - date.today()).days
    code, said = cli("add", "SEE-2027", "--name", "SEE", "--held-on", held.isoformat(),
                     "--administrations", "RS,MK", "--period-start", "2026-01-01")
    assert code == 0 and f"reports due {deadline}" in said, said
    code, said = cli("add", "SEE-BAD", "--name", "x", "--held-on", "2026-02-10",
                     "--administrations", "RS", "--period-start", "2026-01-20")
    assert code == 2 and "CW-PROGRESS-CONFERENCE" in said
    assert "SEE-2027" in cli("list")[1]
    assert f"SEE-2027: deadline {deadline} ({left} days left)" in cli("reminders")[1]
    report = service.create_report(ctx, SUP, "SEE-2027").id
    assert cli("document", str(report), str(tmp_path / "r.pdf"))[0] == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert cli("document", str(report), str(tmp_path / "r.html"))[0] == 0
    assert "Single window" in (tmp_path / "r.html").read_text()
    assert "CW-PROGRESS-STATE" in cli("export", str(report), str(tmp_path / "x.json"))[1]
    for key in SECTION_KEYS:
        service.write_section(ctx, SUP, report, key, "Done.", True)
    workflow.review(ctx, SUP2, report)
    workflow.approve(ctx, HEAD, report)
    workflow.submit(ctx, HEAD, report)
    assert "no reminder due" in cli("reminders")[1]
    assert cli("export", str(report), str(tmp_path / "x.json"))[0] == 0
    code, said = cli("import", str(tmp_path / "x.json"))
    assert code == 2 and "CW-PROGRESS-IMPORT" in said
