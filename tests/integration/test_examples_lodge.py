"""The declarations in docs/examples/ are accepted by the demo: a database prepared as `make
demo` prepares it (reference data, its staff and traders, the risk rooms' knowledge; no
history), each file lodged by the demo trader docs/examples/README.md names, through the
lodging use case, and the README's own command (`clearway submit`, over HTTP in-process)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearway.clearance.lodging import submit
from clearway.cli.main import app
from clearway.composition import build_context
from clearway.config import Settings, get_settings
from clearway.context import Context
from clearway.declarations.formats.detect import sniff
from clearway.declarations.lifecycle import DeclarationStatus
from clearway.declarations.validation import MRN
from clearway.demo.run import prepare_side
from clearway.identity import User
from helpers import REPO

EXAMPLES = REPO / "docs" / "examples"
DECLARATION_FILES = ("*.json", "*.xml", "*.edi")
CASES = [  # file, demo user who lodges it, declaration type, declarant
    ("import.json", "trader1", "IM", "RS100234567"),
    ("export.json", "trader3", "EX", "RS102678903"),
    ("import-wco.xml", "trader4", "IM", "RS103890124"),
    ("import-cusdec.edi", "trader5", "IM", "RS101456782"),  # as its indirect representative
    ("ens.json", "trader5", "ENS", "RS104012345"),
    ("exs.json", "trader5", "EXS", "RS104012345"),
]


@dataclass
class Prepared:
    path: Path
    settings: Settings
    users: dict[str, tuple[str, User]]  # name -> (token, user)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """One demo database for the module; each test works on its own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    side = prepare_side(path, 0, "RS")
    side.ctx.engine.dispose()
    return Prepared(path, side.ctx.settings,
                    {name: (token, user) for name, (token, _t, user) in side.users.items()})


@pytest.fixture
def demo_db(prepared: Prepared, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.db"
    for sibling in prepared.path.parent.glob(f"{prepared.path.name}*"):  # -wal, witness
        shutil.copy(sibling, tmp_path / sibling.name)
    return copy


@pytest.fixture
def demo(prepared: Prepared, demo_db: Path) -> Iterator[Context]:
    ctx = build_context(prepared.settings.model_copy(
        update={"database_url": f"sqlite:///{demo_db}"}))
    yield ctx
    ctx.engine.dispose()


def test_every_example_declaration_is_tested_and_documented() -> None:
    files = {p.name for pattern in DECLARATION_FILES for p in EXAMPLES.glob(pattern)}
    assert files == {file for file, *_ in CASES}
    readme = (EXAMPLES / "README.md").read_text()
    for file, user, *_ in CASES:
        row = next(line for line in readme.splitlines() if line.startswith(f"| [{file}]"))
        assert row.rstrip(" |").split("|")[-1].strip().startswith(user), row


@pytest.mark.parametrize(("file", "user", "kind", "declarant"), CASES,
                         ids=[case[0] for case in CASES])
def test_the_example_is_accepted_for_its_demo_trader(
        demo: Context, prepared: Prepared, file: str, user: str, kind: str,
        declarant: str) -> None:
    data = (EXAMPLES / file).read_bytes()
    out = submit(demo, data, sniff(data), prepared.users[user][1])
    assert [(i.code, i.pointer, i.message) for i in out.errors] == []
    assert out.kind == "created"
    row = out.row
    assert row.status != DeclarationStatus.REJECTED
    assert row.mrn is not None and MRN.match(row.mrn), row.mrn
    assert (row.declaration_type, row.declarant_id) == (kind, declarant)
    assert row.item_count >= 2  # each example shows more than one goods item


@pytest.mark.parametrize("file", ["import.json", "import-cusdec.edi"])
def test_clearway_submit_lodges_the_example_over_http(
        prepared: Prepared, demo_db: Path, monkeypatch: pytest.MonkeyPatch,
        file: str) -> None:
    # The README's command, pointed at the demo's database by the environment.
    monkeypatch.setenv("CLEARWAY_ENV_FILE", "off")
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", f"sqlite:///{demo_db}")
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "development")
    monkeypatch.setenv("CLEARWAY_COUNTRY_CODE", "RS")
    monkeypatch.setenv("CLEARWAY_MODEL_DIR", str(prepared.settings.model_dir))
    get_settings.cache_clear()
    user = next(user for name, user, *_ in CASES if name == file)
    args = ["submit", str(EXAMPLES / file), "--token", prepared.users[user][0]]
    try:
        first, again = CliRunner().invoke(app, args), CliRunner().invoke(app, args)
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    answer = json.loads(first.stdout)
    assert MRN.match(answer["mrn"]) and answer["status"] != "rejected", answer
    assert json.loads(again.stdout)["mrn"] == answer["mrn"]  # a retry: the same declaration
