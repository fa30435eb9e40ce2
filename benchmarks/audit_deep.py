"""How long `clearway audit verify --deep` takes, and how much memory it holds, on a large
database. Lodging 100k declarations through the use cases takes an hour, so this writes
what they would have written, batch by batch: per declaration its row, first version (raw
bytes), four events, a risk decision, and the three audit entries accepted / risk_assessed
/ released through the real chain writer (hashes, checkpoints, witness). Then it times a
plain verify and a deep one, which must report the database intact.

    uv run python benchmarks/audit_deep.py [--declarations 100000] [--db var/audit-deep.db]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src")]

from clearway.audit import repository as audit  # noqa: E402
from clearway.audit.service import verify_report  # noqa: E402
from clearway.bootstrap import prepare  # noqa: E402
from clearway.composition import build_context  # noqa: E402
from clearway.config import Settings  # noqa: E402
from clearway.context import Context  # noqa: E402
from clearway.declarations.canonical import canonical_dict, content_hash  # noqa: E402
from clearway.declarations.mrn import make_mrn  # noqa: E402
from clearway.demo.generator import DeclarationGenerator  # noqa: E402
from clearway.storage.orm import DeclarationRow, DeclarationVersionRow, EventRow  # noqa: E402
from clearway.storage.orm_risk import RiskDecisionRow  # noqa: E402
from clearway.storage.unit_of_work import insert_rows  # noqa: E402

TRADER = "RS100234567"
BATCH = 1000


def fill(ctx: Context, n: int) -> None:
    gen = DeclarationGenerator(ctx.refdata.get(), random.Random(1), date(2026, 11, 20), "RS")
    template = gen.declaration("BENCH", declarant=TRADER, items=3)
    now = ctx.clock.now()
    summary = {"channel": "green", "random": False, "capacity_limited": False,
               "expected_value": 0.01, "hits": [], "ens_outcome": None}
    for start in range(1, n + 1, BATCH):
        ids = range(start, min(start + BATCH, n + 1))
        rows: list[dict[str, Any]] = []
        versions, events, decisions = [], [], []
        with ctx.uow() as uow:
            for i in ids:
                doc = template.model_copy(update={"lrn": f"BENCH{i:08d}"})
                digest, document = content_hash(doc), canonical_dict(doc)
                raw = json.dumps(document).encode()
                at = now + timedelta(microseconds=i)
                mrn = make_mrn(year=at.year, country="RS", serial=i, kind=doc.declaration_type)
                rows.append(dict(id=i, mrn=mrn, lrn=doc.lrn, declarant_id=TRADER,
                                 submitted_by=TRADER, declaration_type=doc.declaration_type,
                                 status="released", version=1, format="json",
                                 content_hash=digest, item_count=3, document=document,
                                 envelope={}, errors=[], created_at=at, updated_at=at))
                versions.append(dict(declaration_id=i, version=1, format="json",
                                     content_hash=digest, document=document, raw=raw,
                                     created_at=at))
                trail = [("lodged", None, "lodged", "trader:t", {}),
                         ("accepted", "lodged", "accepted", "system", {"mrn": mrn}),
                         ("risk_assessed", "accepted", "risk_assessed", "risk-engine", summary),
                         ("released", "risk_assessed", "released", "risk-engine",
                          {"channel": "green"})]
                events += [dict(declaration_id=i, at=at, kind=k, from_status=f, to_status=t,
                                actor=a, detail=d) for k, f, t, a, d in trail]
                decisions.append(dict(declaration_id=i, decided_at=at, office=None,
                                      day=at.date(), channel="green", fiscal_score=0.01,
                                      security_score=0.0, probability=None,
                                      expected_value=0.01, random_selected=False,
                                      ens_outcome=None, model_version=None,
                                      decision={"channel": "green"}))
                for action, actor, detail in (
                        ("accepted", "trader:t", {"lrn": doc.lrn, "hash": digest,
                                                  "format": "json", "raw_sha256":
                                                  hashlib.sha256(raw).hexdigest()}),
                        ("risk_assessed", "risk-engine", summary),
                        ("released", "risk-engine", {"channel": "green", "automatic": True})):
                    audit.append(uow.session, at=at, actor=actor, action=f"declaration.{action}",
                                 object_type="declaration", object_id=mrn, detail=detail)
            insert_rows(uow.session, DeclarationRow, rows)
            insert_rows(uow.session, DeclarationVersionRow, versions)
            insert_rows(uow.session, EventRow, events)
            insert_rows(uow.session, RiskDecisionRow, decisions)
            uow.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=100_000)
    parser.add_argument("--db", default="var/audit-deep.db")
    args = parser.parse_args()
    path = Path(args.db)
    for suffix in ("", "-wal", "-shm", ".audit-witness"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    ctx = build_context(Settings(database_url=f"sqlite:///{path}", environment="test"))
    prepare(ctx)
    began = time.perf_counter()
    fill(ctx, args.declarations)
    print(f"filled {args.declarations} declarations in {time.perf_counter() - began:.0f} s")
    for deep in (False, True):
        began = time.perf_counter()
        report = verify_report(ctx, deep=deep)
        took = time.perf_counter() - began
        assert report.broken is None, report.broken
        print(f"verify{' --deep' if deep else ''}: {took:.1f} s, {report.entries} entries, "
              f"{report.records} records, intact")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
