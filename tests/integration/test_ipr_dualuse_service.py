"""IPR applications and the dual-use list on a real database: every change audited, nothing
stored when any part fails; the CLI commands."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clearway.audit import repository as audit_repo
from clearway.audit.service import verify
from clearway.cli.main import app
from clearway.config import get_settings
from clearway.context import Context
from clearway.dualuse import service as dualuse
from clearway.errors import ClearwayError, DocumentInvalid
from clearway.identity import Role, User
from clearway.ipr import service as ipr
from clearway.storage.migrate import upgrade

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "ipr_applications.yaml"
ANALYST = User(id=1, name="ana", role=Role.RISK_ANALYST, trader_id=None)
HEADER = "control_number,description,codes,valid_from,valid_to\n"


def application(**changes: Any) -> dict[str, Any]:
    return {"reference": "AFA-1", "right_holder": "Holder", "contact": "c@x.eu",
            "goods_description": "shoes", "brands": ["Velotrax"], "hs_codes": ["6403"],
            "valid_from": date(2026, 1, 1), "valid_to": date(2026, 12, 31), **changes}


def terms(**changes: Any) -> dict[str, Any]:
    data = application(**changes)
    del data["reference"]
    return data


def audit_trail(ctx: Context) -> list[tuple[str, str, dict[str, Any]]]:
    with ctx.uow(read_only=True) as uow:
        return [(e.action, e.object_id, e.detail) for e in audit_repo.iter_entries(uow.session)]


def code_of(exc: ClearwayError) -> list[str]:
    return [exc.code, *(e.code for e in exc.errors)]


def test_create_update_withdraw_are_audited(ctx: Context) -> None:
    created = ipr.create(ctx, application(), ANALYST)
    assert created.application.status == "active"
    renewed = ipr.update(ctx, "AFA-1", terms(valid_from=date(2027, 1, 1),
                                             valid_to=date(2027, 12, 31)), ANALYST)
    assert renewed.application.valid_to == date(2027, 12, 31)
    ipr.update(ctx, "AFA-1", terms(valid_from=date(2027, 1, 1), valid_to=date(2027, 12, 31)),
               ANALYST)  # no change: no entry
    gone = ipr.withdraw(ctx, "AFA-1", ANALYST, reason="right holder's request")
    assert gone.application.status == "withdrawn"
    trail = audit_trail(ctx)
    assert [(a, o) for a, o, _ in trail] == [("ipr_application.created", "AFA-1"),
                                             ("ipr_application.updated", "AFA-1"),
                                             ("ipr_application.withdrawn", "AFA-1")]
    assert trail[1][2]["changed"] == ["valid_from", "valid_to"]
    assert trail[2][2]["reason"] == "right holder's request"
    assert [r.application.reference for r in ipr.list_records(ctx, status="withdrawn")] == [
        "AFA-1"]
    assert verify(ctx)[0] is None


@pytest.mark.parametrize(("action", "codes"), [
    (lambda ctx: ipr.create(ctx, application(), ANALYST), ["CW-IPR-EXISTS"]),
    (lambda ctx: ipr.create(ctx, application(reference="AFA-2", valid_to=date(2027, 1, 1)),
                            ANALYST), ["CW-DOC-INVALID", "CW-IPR-VALIDITY"]),
    (lambda ctx: ipr.update(ctx, "AFA-1", terms(brands=[]), ANALYST),
     ["CW-DOC-INVALID", "CW-IPR-TERMS"]),
    (lambda ctx: ipr.update(ctx, "NOPE", terms(), ANALYST), ["CW-NOT-FOUND"]),
    (lambda ctx: ipr.withdraw(ctx, "NOPE", ANALYST), ["CW-NOT-FOUND"]),
])
def test_refused_changes_leave_no_trace(ctx: Context, action: Any, codes: list[str]) -> None:
    ipr.create(ctx, application(), ANALYST)
    before = audit_trail(ctx)
    with pytest.raises(ClearwayError) as caught:
        action(ctx)
    assert code_of(caught.value) == codes
    assert audit_trail(ctx) == before
    assert [r.application.reference for r in ipr.list_records(ctx)] == ["AFA-1"]


def test_withdrawn_applications_no_longer_change(ctx: Context) -> None:
    ipr.create(ctx, application(), ANALYST)
    ipr.withdraw(ctx, "AFA-1", ANALYST)
    for action in (lambda: ipr.withdraw(ctx, "AFA-1", ANALYST),
                   lambda: ipr.update(ctx, "AFA-1", terms(), ANALYST)):
        with pytest.raises(ClearwayError) as caught:
            action()
        assert caught.value.code == "CW-IPR-WITHDRAWN" and caught.value.status == 409


def test_import_yaml_creates_updates_and_is_all_or_nothing(ctx: Context) -> None:
    text = EXAMPLE.read_text()
    first = ipr.import_yaml(ctx, text, ANALYST)
    assert len(first.created) == 3 and not first.updated
    again = ipr.import_yaml(ctx, text, ANALYST)
    assert again.unchanged == first.created and not again.created
    changed = ipr.import_yaml(ctx, text.replace("[Cardiovex]", "[Cardiovex, Cardiovex Plus]"),
                              ANALYST)
    assert changed.updated == ["AFA-RS-2026-0003"]
    before = audit_trail(ctx)
    broken = text.replace("valid_to: 2027-01-14", "valid_to: 2028-01-14")
    with pytest.raises(DocumentInvalid) as caught:
        ipr.import_yaml(ctx, broken + "\n  - reference: NEW-1\n", ANALYST)
    pointers = [(e.code, e.pointer) for e in caught.value.errors]
    assert ("CW-IPR-VALIDITY", "/applications/0/valid_to") in pointers
    assert ("CW-IPR-FIELD", "/applications/3/right_holder") in pointers
    assert audit_trail(ctx) == before
    assert len(ipr.list_records(ctx)) == 3


@pytest.mark.parametrize("text", ["", "a: [", "- 1\n- 2\n", "applications: {}",
                                  "- {reference: A}\n- {reference: A}\n"])
def test_bad_yaml_files(ctx: Context, text: str) -> None:
    with pytest.raises(DocumentInvalid) as caught:
        ipr.import_yaml(ctx, text, ANALYST)
    assert {e.code for e in caught.value.errors} <= {"CW-IPR-FILE", "CW-IPR-FIELD"}
    assert ipr.list_records(ctx) == []


def test_register_holds_active_applications(ctx: Context) -> None:
    with ctx.uow(read_only=True) as uow:
        assert ipr.register(uow.session) is None
    ipr.import_yaml(ctx, EXAMPLE.read_text(), ANALYST)
    ipr.withdraw(ctx, "AFA-RS-2026-0002", ANALYST)
    with ctx.uow(read_only=True) as uow:
        register = ipr.register(uow.session)
    assert register is not None
    assert [a.reference for a in register.applications] == ["AFA-RS-2026-0001",
                                                             "AFA-RS-2026-0003"]
    assert [a.reference for a in register.valid_on(date(2026, 2, 1))] == ["AFA-RS-2026-0001"]


def test_dual_use_packaged_load_replace_and_refusal(ctx: Context) -> None:
    with ctx.uow() as uow:
        assert dualuse.load_packaged_if_empty(uow.session, now=ctx.clock.now(), actor="system")
        uow.commit()
    with ctx.uow() as uow:
        assert not dualuse.load_packaged_if_empty(uow.session, now=ctx.clock.now(),
                                                  actor="system")
    packaged = len(dualuse.list_entries(ctx))
    assert packaged >= 12
    loaded = dualuse.load_csv(ctx, HEADER + "3A001,ICs,8542,,\n4A003,Computers,8471,,\n",
                              ANALYST, source="mine.csv")
    assert (loaded.entries, loaded.replaced) == (2, packaged)
    with pytest.raises(DocumentInvalid):
        dualuse.load_csv(ctx, HEADER + "3A001,ICs,85x2,,\n", ANALYST)
    assert [e.control_number for e in dualuse.list_entries(ctx)] == ["3A001", "4A003"]
    assert [e.control_number for e in dualuse.list_entries(ctx, "85423190")] == ["3A001"]
    trail = audit_trail(ctx)
    assert [(a, d["entries"], d["replaced"], d["source"]) for a, _, d in trail] == [
        ("dual_use_list.loaded", 2, packaged, "mine.csv")]  # installing is not a change
    with ctx.uow(read_only=True) as uow:
        control = dualuse.control_list(uow.session)
    assert control is not None and len(control.entries) == 2


@pytest.fixture
def cli_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    upgrade(db_url)
    yield db_url
    get_settings.cache_clear()


def test_cli_commands(cli_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["ipr", "import", str(EXAMPLE)])
    assert result.exit_code == 0 and "created 3" in result.stdout, result.output
    result = runner.invoke(app, ["ipr", "list", "--on", "2026-02-01"])
    assert "AFA-RS-2026-0001" in result.stdout and "AFA-RS-2026-0002" not in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {reference: X}\n")
    result = runner.invoke(app, ["ipr", "import", str(bad)])
    assert result.exit_code == 2 and "CW-IPR-FIELD" in result.output
    result = runner.invoke(app, ["dual-use", "load"])
    assert result.exit_code == 0 and "packaged" in result.stdout, result.output
    mine = tmp_path / "list.csv"
    mine.write_text(HEADER + "9A012,UAVs,8806,,\n")
    assert runner.invoke(app, ["dual-use", "load", str(mine)]).exit_code == 0
    result = runner.invoke(app, ["dual-use", "list"])
    assert "9A012" in result.stdout and "3A001" not in result.stdout
    mine.write_text(HEADER)
    result = runner.invoke(app, ["dual-use", "load", str(mine)])
    assert result.exit_code == 2 and "CW-DU-FILE" in result.output
