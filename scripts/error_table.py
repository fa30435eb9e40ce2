"""Rewrite the error-code table at the end of docs/api.md from clearway.declarations.codes.

    uv run python scripts/error_table.py
"""

from __future__ import annotations

from pathlib import Path

from clearway.declarations.codes import ERROR_CODES, HTTP_STATUS

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
HEADER = "| code | HTTP | meaning |"


def table() -> str:
    lines = [HEADER, "|---|---|---|"]
    for code, meaning in ERROR_CODES.items():
        status = HTTP_STATUS.get(code, "422 (in `errors`)")
        lines.append(f"| `{code}` | {status} | {meaning} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    text = DOC.read_text()
    DOC.write_text(text[: text.index(HEADER)] + table())


if __name__ == "__main__":
    main()
