"""A declaration's status is written in one place: `clearance.moves.move`. No other module of
the package checks a transition, writes a status or builds a status-change event itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "src" / "clearway"
MOVES = PACKAGE / "clearance" / "moves.py"
# Where the writing primitives are defined (and the life cycle they check).
DEFINED = {PACKAGE / "declarations" / "repository.py", PACKAGE / "declarations" / "lifecycle.py"}
ONLY_IN_MOVE = ("check_transition", "set_status")
REPOSITORY = "clearway.declarations.repository"


def calls(path: Path) -> list[tuple[str, int]]:
    """Calls of the declaration's transition check or status writer in `path`."""
    tree = ast.parse(path.read_text())
    repos, direct = set(), set()  # names bound to the repository module, or to the functions
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "clearway.declarations":
            repos |= {a.asname or a.name for a in node.names if a.name == "repository"}
        elif isinstance(node, ast.ImportFrom) and node.module and \
                node.module.startswith("clearway.declarations"):
            direct |= {a.asname or a.name for a in node.names if a.name in ONLY_IN_MOVE}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in direct:
            found.append((func.id, node.lineno))
        elif (isinstance(func, ast.Attribute) and func.attr in ONLY_IN_MOVE
              and isinstance(func.value, ast.Name) and func.value.id in repos):
            found.append((func.attr, node.lineno))
    return found


def test_the_move_function_writes_and_checks_statuses() -> None:
    assert {name for name, _ in calls(MOVES)} == set(ONLY_IN_MOVE)


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py")
                                        if p != MOVES and p not in DEFINED),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_other_module_moves_a_declaration(path: Path) -> None:
    assert calls(path) == []
