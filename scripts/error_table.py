"""Rewrite the error-code table at the end of docs/api.md from clearway.codes.

    uv run python scripts/error_table.py
"""

from __future__ import annotations

from pathlib import Path

from clearway.codes import CODES

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
HEADER = "| code | HTTP | meaning |"


def table() -> str:
    lines = [HEADER, "|---|---|---|"]
    lines += [f"| `{code}` | {c.http} | {c.meaning} |" for code, c in CODES.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    text = DOC.read_text()
    DOC.write_text(text[: text.index(HEADER)] + table())


if __name__ == "__main__":
    main()
