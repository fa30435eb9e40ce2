"""The audit chain's witness: every signed checkpoint is also written outside the database,
to an append-only file and optionally to a URL (a partner administration, a log service).
Whoever rewrites the tables can cut the chain's tail, rewind its head and delete the
checkpoints that named the cut entries; the witness still holds them, and `verify` compares.
One JSON object a line: the checkpoint, the signature before it (so it verifies alone) and
when it was witnessed."""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from clearway.audit.model import Checkpoint, WitnessRecord
from clearway.config import Settings
from clearway.errors import ClearwayError

log = logging.getLogger(__name__)
_AT = "%Y-%m-%dT%H:%M:%S.%f"
POST_TIMEOUT_SECONDS = 5.0
OFF = ("off", "none", "")


class AuditWitnessError(ClearwayError):
    def __init__(self, message: str) -> None:
        super().__init__(code="CW-AUDIT-WITNESS", message=message)


def path_of(settings: Settings) -> Path | None:
    """The witness file: the setting, else beside a SQLite database file; None: no file
    (PostgreSQL without the setting, an in-memory database, or "off")."""
    configured = settings.audit_witness_file
    if configured is not None:
        return None if configured.strip().lower() in OFF else Path(configured)
    url = make_url(settings.database_url)
    database = url.database or ""
    if not url.drivername.startswith("sqlite") or database in ("", ":memory:") \
            or database.startswith("file:"):
        return None
    return Path(f"{database}.audit-witness")


def as_json(record: WitnessRecord) -> dict[str, Any]:
    cp = record.checkpoint
    return {"v": 2, "number": cp.id, "entry_id": cp.entry_id, "entry_hash": cp.entry_hash,
            "at": cp.at.strftime(_AT), "key_id": cp.key_id, "signature": cp.signature,
            "previous": record.previous, "witnessed_at": record.witnessed_at}


def of_json(data: dict[str, Any]) -> WitnessRecord:
    cp = Checkpoint(id=int(data["number"]), entry_id=int(data["entry_id"]),
                    entry_hash=str(data["entry_hash"]),
                    at=datetime.strptime(str(data["at"]), _AT), key_id=str(data["key_id"]),
                    signature=str(data["signature"]))
    previous = data.get("previous")
    return WitnessRecord(cp, None if previous is None else str(previous),
                         str(data.get("witnessed_at") or ""))


def append(path: Path, records: list[WitnessRecord]) -> None:
    """Append with O_APPEND (writers in several processes never overwrite each other; the
    file may also carry the filesystem's append-only attribute) and fsync."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(as_json(r), sort_keys=True) + "\n" for r in records)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, lines.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def post(url: str, records: list[WitnessRecord]) -> None:
    for record in records:
        httpx.post(url, json=as_json(record), timeout=POST_TIMEOUT_SECONDS).raise_for_status()


def publish(settings: Settings, made: list[WitnessRecord], *, wait: bool = False,
            to_file: bool = True) -> bool:
    """Witness checkpoints just committed. Runs after the commit, outside any transaction or
    lock: a failure is logged and never undoes the use case (verify then warns that the
    witness lags). The POST runs in a thread unless `wait` (the `audit witness` command).
    True when the records are in the witness file (fsynced)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    records = [WitnessRecord(r.checkpoint, r.previous, r.witnessed_at or now) for r in made]
    path = path_of(settings) if to_file else None
    written = False
    if path is not None:
        try:
            append(path, records)
            written = True
        except OSError as exc:
            if wait:
                raise AuditWitnessError(f"Cannot write the witness file {path}: {exc}") from None
            log.error("audit witness file %s not written: %s", path, exc)
    url = settings.audit_witness_url
    if not url:
        return written
    if wait:
        try:
            post(url, records)
        except httpx.HTTPError as exc:
            raise AuditWitnessError(f"The witness {url} did not take the record: {exc}"
                                    ) from None
        return written
    threading.Thread(target=_post_logged, args=(url, records), daemon=True,
                     name="audit-witness").start()
    return written


def _post_logged(url: str, records: list[WitnessRecord]) -> None:
    try:
        post(url, records)
    except httpx.HTTPError as exc:
        log.error("audit witness %s did not take checkpoint %s: %s", url,
                  records[-1].checkpoint.id, exc)


def read(path: Path) -> tuple[list[WitnessRecord], list[str]]:
    """The records of a witness file and what is wrong with it: a line that is not a
    record (a torn last line after a power cut reads the same: verify names it)."""
    try:
        text = path.read_text() if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditWitnessError(f"Cannot read the witness file {path}: {exc}") from None
    records: list[WitnessRecord] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(of_json(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(f"line {number} of {path} is not a witness record ({exc})")
    return records, problems


def lacking(path: Path, records: list[WitnessRecord], mark: int) -> list[int]:
    """The checkpoints up to `mark` (the database records that the file held them all) that
    the file lacks. Read again before concluding: the mark may have advanced, in another
    process, after `records` were read."""
    def gaps(found: list[WitnessRecord]) -> list[int]:
        have = {r.checkpoint.id for r in found}
        return [n for n in range(1, mark + 1) if n not in have]
    missing = gaps(records)
    return gaps(read(path)[0]) if missing else missing


def lost_reason(path: Path, mark: int, missing: list[int]) -> str:
    held = ("it holds none of them (deleted or emptied)" if len(missing) == mark else
            f"it lacks {missing[0]}" if len(missing) == 1 else
            f"it lacks {len(missing)} of them, from {missing[0]} to {missing[-1]}")
    return (f"the database records that the witness {path} held checkpoints 1 to {mark}, "
            f"but {held}: the witness was deleted, cut or replaced")
