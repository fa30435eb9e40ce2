"""Modules that must stand alone: domain models and the pure risk engine import no storage,
and migrations import nothing of the application (a migration is frozen history: what it
does must not change when the application's code does). Imports inside functions count."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "clearway"
PURE = sorted([*SRC.glob("**/model.py"), *(SRC / "risk" / "engine").glob("*.py"),
               *(SRC / "declarations" / name for name in ("field_types.py", "lifecycle.py"))])
FORBIDDEN = ("clearway.storage", "sqlalchemy")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_there_are_pure_modules_to_check() -> None:
    assert len(PURE) > 15 and SRC / "declarations" / "model.py" in PURE


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(SRC)))
def test_pure_modules_import_no_storage(path: Path) -> None:
    bad = {m for m in imported_modules(path)
           if any(m == f or m.startswith(f"{f}.") for f in FORBIDDEN)}
    assert bad == set(), f"{path.relative_to(SRC)} imports {sorted(bad)}"


MIGRATIONS = SRC / "storage" / "migrations" / "versions"
VERSIONS = sorted(MIGRATIONS.glob("*.py"))


def test_there_are_migrations_to_check() -> None:
    assert len(VERSIONS) >= 9 and any(p.name.startswith("0005_") for p in VERSIONS)


@pytest.mark.parametrize("path", VERSIONS, ids=lambda p: p.name)
def test_no_migration_imports_the_application(path: Path) -> None:
    application = {m for m in imported_modules(path) if m.split(".")[0] == "clearway"}
    assert application == set(), f"{path.name} imports {sorted(application)}"
