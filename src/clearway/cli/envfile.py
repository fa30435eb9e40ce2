"""The running demo's settings file, read by the command line only.

`make demo` writes `var/clearway.env` (dotenv lines: the demo's database, model folder,
public URL...). Every `clearway` command run from the same folder reads it, so the README's
everyday commands reach the demo without flags. The real environment wins over the file,
and the file over `.env`. CLEARWAY_ENV_FILE names another file; empty or `off`: none (the
test suite sets `off`, so that a demo running in the checkout never leaks into tests).
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT = Path("var") / "clearway.env"


def source() -> str | None:
    """The settings file to read, or None."""
    named = os.environ.get("CLEARWAY_ENV_FILE")
    if named is not None:
        return None if named.strip().lower() in ("", "off") else named
    return str(DEFAULT) if DEFAULT.is_file() else None


def apply() -> dict[str, str]:
    """Put the file's values that the environment lacks into it; what was added."""
    path = source()
    if path is None or not Path(path).is_file():
        return {}
    from dotenv import dotenv_values

    added = {key: value for key, value in dotenv_values(path).items()
             if value is not None and key not in os.environ}
    os.environ.update(added)
    if added:
        _forget_settings()
    return added


def restore(added: dict[str, str]) -> None:
    """Take the added values out again (in-process callers such as tests live on)."""
    for key in added:
        os.environ.pop(key, None)
    if added:
        _forget_settings()


def _forget_settings() -> None:
    import sys

    config = sys.modules.get("clearway.config")
    if config is not None:
        config.get_settings.cache_clear()
