"""The checks after a crash run: what the clients were told against what was stored.

Read straight from the database (SQLAlchemy, no application code in between), read back
through the API, and `clearway audit verify` run as the operator would run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import select

from clearway.storage.db import make_engine
from clearway.storage.orm import (
    AuditRow,
    DeclarationRow,
    DeclarationVersionRow,
    EventRow,
    NotificationRow,
)
from clearway.storage.orm_risk import RiskDecisionRow

if TYPE_CHECKING:
    from crash import Submission

# What one accepted submission writes in its single transaction.
ACCEPTED_EVENTS = ("lodged", "accepted", "risk_assessed")
ACCEPTED_AUDIT = ("declaration.accepted", "declaration.risk_assessed")


@dataclass
class Findings:
    stored: int = 0
    duplicates: int = 0
    lost: int = 0
    half_saved: int = 0
    ghosts: int = 0
    mismatches: int = 0
    server_errors: int = 0
    api_failures: int = 0
    audit_verify: str = "not run"
    problems: list[str] = field(default_factory=list)

    def flag(self, kind: str, message: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        self.problems.append(f"{kind}: {message}")


def check(url: str, base: str, token: str, subs: list[Submission]) -> Findings:
    found = Findings()
    by_lrn = _stored(url, found)
    sent = {s.lrn: s for s in subs}
    for lrn in by_lrn.keys() - sent.keys():
        found.flag("ghosts", f"{lrn} stored but never sent")
    for sub in subs:
        _check_submission(sub, by_lrn.get(sub.lrn, []), found)
    _check_api(base, token, subs, found)
    _audit_verify(url, found)
    return found


def _stored(url: str, found: Findings) -> dict[str, list[DeclarationRow]]:
    """Every declaration with what its transaction must have written next to it."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(DeclarationRow.id, DeclarationRow.mrn,
                                       DeclarationRow.lrn, DeclarationRow.status)).all()
            decided = set(conn.execute(select(RiskDecisionRow.declaration_id)).scalars())
            versions = set(conn.execute(select(DeclarationVersionRow.declaration_id)).scalars())
            notified = set(conn.execute(select(NotificationRow.declaration_id)).scalars())
            audit = Counter((a, o) for a, o in conn.execute(select(AuditRow.action,
                                                                     AuditRow.object_id)))
            events: dict[int, Counter[str]] = defaultdict(Counter)
            for decl, kind in conn.execute(select(EventRow.declaration_id, EventRow.kind)):
                events[decl][kind] += 1
    finally:
        engine.dispose()
    found.stored = len(rows)
    mrns = Counter(r.mrn for r in rows if r.mrn)
    for mrn, n in mrns.items():
        if n > 1:
            found.flag("duplicates", f"MRN {mrn} stored {n} times")
    by_lrn: dict[str, list[DeclarationRow]] = defaultdict(list)
    for r in rows:
        by_lrn[r.lrn].append(r)  # type: ignore[arg-type]
        if r.status == "rejected":
            missing = [] if audit[("declaration.rejected", str(r.id))] == 1 else ["audit"]
        else:
            missing = [k for k in ACCEPTED_EVENTS if events[r.id][k] != 1]
            missing += [a for a in ACCEPTED_AUDIT if audit[(a, r.mrn)] != 1]
            missing += [] if r.mrn else ["mrn"]
            missing += [] if r.id in decided else ["risk decision"]
            missing += [] if r.id in versions else ["version"]
        missing += [] if r.id in notified else ["notification"]
        if missing:
            found.flag("half_saved", f"{r.lrn} (id {r.id}) lacks {', '.join(missing)}")
    return by_lrn


def _check_submission(sub: Submission, rows: list[DeclarationRow], found: Findings) -> None:
    for status in sub.statuses:
        if status >= 500:
            found.flag("server_errors", f"{sub.lrn} answered {status}")
    if len(rows) > 1:
        found.flag("duplicates", f"{sub.lrn} stored {len(rows)} times")
    if not rows:
        if sub.mrns or sub.no_answer:  # told 2xx, or retried until answered: it must exist
            found.flag("lost", f"{sub.lrn} (answers {sub.statuses}) not stored")
        return
    mrn = rows[0].mrn
    if any(m != mrn for m in sub.mrns):
        found.flag("mismatches", f"{sub.lrn} told {sub.mrns}, stored {mrn}")
    if sub.resent and sub.statuses[-1] != 200:
        found.flag("mismatches", f"{sub.lrn} identical retry answered {sub.statuses[-1]}")


def _check_api(base: str, token: str, subs: list[Submission], found: Findings) -> None:
    """Every MRN a client was given reads back, with the client's LRN."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        for sub in subs:
            for mrn in set(sub.mrns):
                response = http.get(f"/api/v1/declarations/{mrn}")
                if response.status_code != 200 or response.json().get("lrn") != sub.lrn:
                    found.flag("api_failures", f"{mrn} read back {response.status_code}")


def _audit_verify(url: str, found: Findings) -> None:
    """`clearway audit verify`, the operator's command, against the crashed database."""
    cli = Path(sys.executable).with_name("clearway")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "clearway.cli"]
    done = subprocess.run([*command, "audit", "verify"], capture_output=True, text=True,
                          env={**os.environ, "CLEARWAY_DATABASE_URL": url,
                               "CLEARWAY_ENVIRONMENT": "test"}, timeout=300)
    line = " ".join((done.stdout or done.stderr).split())
    found.audit_verify = f"{'ok' if done.returncode == 0 else 'FAILED'}: {line}"
    if done.returncode != 0:
        found.problems.append(f"audit verify: exit {done.returncode}: {line}")
