"""The house in figures: top-level packages of `clearway` caught in an import cycle (imports
inside functions count), cycles between modules of one folder, files over 300 lines and
functions over 60 lines. Run `uv run python scripts/structure.py` (optionally a path to another
checkout's `src`); `make lint` holds the import rules themselves (import-linter contracts).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

import grimp

MAX_FILE_LINES, MAX_FUNCTION_LINES = 300, 60


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one member (Kosaraju, iterative)."""
    nodes = set(edges) | {b for targets in edges.values() for b in targets}
    order: list[str] = []
    seen: set[str] = set()
    for start in sorted(nodes):
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(sorted(edges.get(start, ()))))]
        while stack:
            node, rest = stack[-1]
            step = next((n for n in rest if n not in seen), None)
            if step is None:
                order.append(node)
                stack.pop()
            else:
                seen.add(step)
                stack.append((step, iter(sorted(edges.get(step, ())))))
    back: dict[str, set[str]] = defaultdict(set)
    for a, targets in edges.items():
        for b in targets:
            back[b].add(a)
    found, done = [], set()
    for node in reversed(order):
        if node in done:
            continue
        group, todo = set(), [node]
        while todo:
            n = todo.pop()
            if n not in done:
                done.add(n)
                group.add(n)
                todo.extend(back[n] - done)
        if len(group) > 1:
            found.append(group)
    return found


def import_cycles(src: Path) -> tuple[list[set[str]], list[set[str]]]:
    sys.path.insert(0, str(src))
    graph = grimp.build_graph("clearway", cache_dir=None)
    top: dict[str, set[str]] = defaultdict(set)
    folder: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        if ".migrations." in module:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = module.split(".")[:2], imported.split(".")[:2]
            if a != b and len(a) == len(b) == 2:
                top[a[1]].add(b[1])
            if module.rsplit(".", 1)[0] == imported.rsplit(".", 1)[0] and module != imported:
                folder[module].add(imported)
    return cycles(top), cycles(folder)


def sizes(package: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    files, functions = [], []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text()
        name = str(path.relative_to(package.parent))
        if len(text.splitlines()) > MAX_FILE_LINES:
            files.append((len(text.splitlines()), name))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    functions.append((length, f"{name}:{node.name}"))
    return files, functions


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "src").resolve()
    top, folders = import_cycles(src)
    print(f"top-level packages in import cycles: {sum(map(len, top))}")
    for group in top:
        print("  ", " ".join(sorted(group)))
    print(f"cycles inside a folder: {len(folders)}")
    for group in folders:
        print("  ", " ".join(sorted(group)))
    files, functions = sizes(src / "clearway")
    print(f"files over {MAX_FILE_LINES} lines: {len(files)}")
    for n, name in files:
        print(f"   {n:5d} {name}")
    print(f"functions over {MAX_FUNCTION_LINES} lines: {len(functions)}")
    for n, name in sorted(functions, reverse=True):
        print(f"   {n:5d} {name}")


if __name__ == "__main__":
    main()
