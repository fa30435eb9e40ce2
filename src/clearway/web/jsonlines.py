"""A pasted JSON document as numbered lines, each knowing the JSON pointer it shows, so
that every error can be placed on the line of the field it names."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from clearway.errors import Issue

INDENT = "  "


@dataclass
class Line:
    number: int
    text: str
    pointer: str
    issues: list[Issue] = field(default_factory=list)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _emit(lines: list[Line], value: Any, pointer: str, depth: int, prefix: str,
          comma: str) -> None:
    pad = INDENT * depth
    if isinstance(value, dict | list) and value:
        opener, closer = ("{", "}") if isinstance(value, dict) else ("[", "]")
        lines.append(Line(len(lines) + 1, f"{pad}{prefix}{opener}", pointer))
        entries = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
        for index, (key, child) in enumerate(entries):
            child_prefix = f"{json.dumps(key)}: " if isinstance(value, dict) else ""
            _emit(lines, child, f"{pointer}/{_escape(str(key))}", depth + 1, child_prefix,
                  "," if index < len(entries) - 1 else "")
        lines.append(Line(len(lines) + 1, f"{pad}{closer}{comma}", pointer))
        return
    lines.append(Line(len(lines) + 1, f"{pad}{prefix}{json.dumps(value)}{comma}", pointer))


def lines_of(value: Any) -> list[Line]:
    """`value` laid out as `json.dumps(value, indent=2)` would, one Line per output line."""
    lines: list[Line] = []
    _emit(lines, value, "", 0, "", "")
    return lines


def first_lines(lines: list[Line]) -> dict[str, Line]:
    """Each pointer's first line (a container's opening line)."""
    found: dict[str, Line] = {}
    for line in lines:
        found.setdefault(line.pointer, line)
    return found


def line_for(index: dict[str, Line], pointer: str | None) -> Line | None:
    """The line of `pointer`, or of its closest ancestor present in the document."""
    probe = pointer or ""
    if probe == "/":
        probe = ""
    while True:
        if probe in index:
            return index[probe]
        if not probe:
            return None
        probe = probe.rsplit("/", 1)[0]


def annotate(text: str, issues: list[Issue]) -> list[Line] | None:
    """The pasted JSON as lines with each issue attached to its line, or None when the text
    is not JSON (then there are no fields to point at)."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    lines = lines_of(value)
    index = first_lines(lines)
    for issue in issues:
        line = line_for(index, issue.pointer)
        if line is not None:
            line.issues.append(issue)
    return lines
