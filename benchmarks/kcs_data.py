"""Where the KCS synthetic declarations are: beside the checkout (`../shared/data`), or the
workplace's shared folder; the benchmarks that replay them read their files from here."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def kcs_folder() -> Path:
    for base in (ROOT.parent / "shared", Path("/work/shared")):
        folder = base / "data" / "kcs-customs-declarations"
        if folder.is_dir():
            return folder
    return ROOT.parent / "shared" / "data" / "kcs-customs-declarations"
