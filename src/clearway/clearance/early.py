"""The risk assessment of a new filing, made before its acceptance's unit of work.

The assessment is the costly pure part of a decision. It is made while the filing is checked
(`lodging.check`, in an API worker thread), on the trader's record as committed then, so that
the acceptance's transaction holds the write lock only for the capacity claim and the writes.
Checks arriving together are assessed in one engine call (`together.Together`): the engine's
cost on one declaration is mostly fixed, so a batch of four costs about what two single ones
do, and the decision of each is the same as alone (the engine assesses each declaration on
its own rows). `acceptance.assess_and_select` takes the early assessment only if what it read
still stands under the lock (`still_true`), and makes it again otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from clearway.clearance.together import Together
from clearway.context import Context
from clearway.risk import trader_summary
from clearway.risk.engine.assess import Assessment, assess
from clearway.risk.engine.frame import RiskDoc, TraderRecord, trader_of
from clearway.risk.knowledge import Built


def traders(session: Session, doc: RiskDoc) -> dict[str, TraderRecord]:
    """The trader's record before this declaration: the maintained summary, one key lookup
    (`trader_summary`; the declaration is counted there only after its decision)."""
    return trader_summary.read(session, trader_of(doc))


@dataclass(frozen=True)
class Early:
    """An assessment made before the acceptance's unit of work, with what it was made on."""

    assessment: Assessment
    record: dict[str, TraderRecord]
    built: Built
    day: date


@dataclass(frozen=True)
class _Job:
    ctx: Context
    doc: RiskDoc
    day: date
    record: dict[str, TraderRecord]
    built: Built


def assess_early(ctx: Context, doc: RiskDoc, day: date) -> Early:
    """Assess `doc` on the trader's record as committed now (a read-only unit of work: on
    SQLite it neither takes nor waits for the write lock), together with any other filing
    being checked at the same moment."""
    with ctx.uow(read_only=True) as uow:
        record = traders(uow.session, doc)
    built: Built = ctx.risk.get()
    return Early(_TOGETHER(_Job(ctx, doc, day, record, built)), record, built, day)


def _assess_jobs(jobs: Sequence[_Job]) -> list[Assessment]:
    """One engine call per group of jobs that share their inputs: the same context, day and
    knowledge, and no trader whose record two of them read differently."""
    out: list[Assessment | None] = [None] * len(jobs)
    groups: list[tuple[list[int], dict[str, TraderRecord]]] = []
    for i, job in enumerate(jobs):
        for members, records in groups:
            first = jobs[members[0]]
            if (job.ctx is first.ctx and job.day == first.day and job.built is first.built
                    and all(records.get(t, r) == r for t, r in job.record.items())):
                members.append(i)
                records.update(job.record)
                break
        else:
            groups.append(([i], dict(job.record)))
    for members, records in groups:
        first = jobs[members[0]]
        docs = [jobs[i].doc for i in members]
        found = assess(docs, [first.day] * len(docs), first.ctx.refdata.get(),
                       first.built.knowledge, keys=[str(i) for i in members],
                       traders=records, references=first.built.references)
        for i, assessment in zip(members, found, strict=True):
            out[i] = assessment
    return [a for a in out if a is not None]


_TOGETHER: Together[_Job, Assessment] = Together(_assess_jobs)


def still_true(read: dict[str, TraderRecord], now: dict[str, TraderRecord]) -> bool:
    """Whether the record an early assessment read still stands: the trader's controls and
    what they found are unchanged. Filings the trader lodged meanwhile (concurrent
    acceptances, committed first) may have been counted: a decision is made on the
    trader's record as committed when its filing was checked, not held back for the
    filings racing it; a control result recorded meanwhile always counts."""
    if read.keys() != now.keys():
        return not read and all(r.controls == r.irregular == 0 for r in now.values())
    return all(now[t].controls == r.controls and now[t].irregular == r.irregular
               and now[t].declarations >= r.declarations for t, r in read.items())
