"""Back-testing a profile: what would it have hit, and were those declarations irregular?

The declarations accepted in the period are read back from their canonical JSON, flattened
into item frames as the engine does (`clearway.risk.engine.frame.flatten`, with today's valuation
references and each trader's record as it stood when the declaration was lodged: earlier
accepted filings naming the trader, and controls of those decided before), and run through
the profile. Control outcomes come from the label store (`clearway.risk.learning.labels`).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import polars as pl
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.declarations.model import AnyDeclaration, CancellationRequest
from clearway.errors import ClearwayError
from clearway.partnerships.repository import memberships as mou_members
from clearway.profiles.matcher import ProfileSet
from clearway.profiles.model import Profile
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.frame import RiskDoc, flatten, trader_of
from clearway.risk.learning.labels import outcomes
from clearway.storage.orm import DeclarationPartyRow, DeclarationRow
from clearway.valuation.repository import load_references

MAX_DAYS = 366
SAMPLE_SIZE = 20
BATCH = 2000
CHUNK = 500  # IN lists stay short on every backend
_DOC: TypeAdapter[Any] = TypeAdapter(AnyDeclaration)


@dataclass(frozen=True)
class SampleHit:
    mrn: str
    items: tuple[int, ...]
    outcome: str | None  # irregular / regular / None: not controlled


@dataclass(frozen=True)
class BacktestResult:
    start: date
    end: date  # inclusive
    declarations: int  # accepted in the period and read
    hits: int
    controlled: int  # hits with a recorded control outcome
    irregular: int
    sample: tuple[SampleHit, ...] = field(default=())

    @property
    def hit_rate(self) -> float | None:
        return self.hits / self.declarations if self.declarations else None

    @property
    def irregular_rate(self) -> float | None:
        return self.irregular / self.controlled if self.controlled else None

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "declarations": self.declarations, "hits": self.hits,
                "controlled": self.controlled, "irregular": self.irregular,
                "hit_rate": self.hit_rate, "irregular_rate": self.irregular_rate,
                "sample": [{"mrn": s.mrn, "items": list(s.items), "outcome": s.outcome}
                           for s in self.sample]}


def check_period(start: date, end: date) -> None:
    if end < start or (end - start).days >= MAX_DAYS:
        raise ClearwayError("CW-PROFILE-PERIOD", f"The test period must run forward and last "
                            f"at most {MAX_DAYS} days ({start} to {end} does not)")


def _accepted(session: Session, start: date, end: date) -> Iterator[Sequence[Any]]:
    """Accepted declarations lodged in [start, end], in batches (id, mrn, created, document)."""
    low = datetime.combine(start, time(), UTC)
    high = datetime.combine(end + timedelta(days=1), time(), UTC)
    stmt = (select(DeclarationRow.id, DeclarationRow.mrn, DeclarationRow.created_at,
                   DeclarationRow.document)
            .where(DeclarationRow.mrn.is_not(None), DeclarationRow.created_at >= low,
                   DeclarationRow.created_at < high, DeclarationRow.declaration_type != "INV")
            .order_by(DeclarationRow.id).execution_options(yield_per=BATCH))
    yield from session.execute(stmt).partitions(BATCH)


def _histories(session: Session, traders: list[str | None],
               lodged: list[datetime]) -> dict[str, list[Any]]:
    """Each declaration's trader record as it stood when it was lodged: earlier accepted
    filings naming the trader, and the controls of those decided before that moment."""
    wanted = sorted({t for t in traders if t})
    filed: dict[str, list[datetime]] = defaultdict(list)
    owner: dict[int, str] = {}
    for i in range(0, len(wanted), CHUNK):
        stmt = (select(DeclarationPartyRow.party_id, DeclarationRow.id, DeclarationRow.created_at)
                .join(DeclarationRow, DeclarationRow.id == DeclarationPartyRow.declaration_id)
                .where(DeclarationPartyRow.party_id.in_(wanted[i:i + CHUNK]),
                       DeclarationRow.mrn.is_not(None), DeclarationRow.created_at < max(lodged)))
        for party, decl_id, created in session.execute(stmt):
            filed[party].append(created)
            owner[decl_id] = party
    controls: dict[str, list[datetime]] = defaultdict(list)
    irregular: dict[str, list[datetime]] = defaultdict(list)
    for decl_id, label in outcomes(session, list(owner)).items():
        controls[owner[decl_id]].append(label.decided_at)
        if label.irregular:
            irregular[owner[decl_id]].append(label.decided_at)
    for table in (filed, controls, irregular):
        for times in table.values():
            times.sort()
    out: dict[str, list[Any]] = defaultdict(list)
    for trader, at in zip(traders, lodged, strict=True):
        before = bisect_left(filed.get(trader or "", []), at)
        done = bisect_left(controls.get(trader or "", []), at)
        bad = bisect_left(irregular.get(trader or "", []), at)
        first = filed[trader][0] if trader and before else None
        out["trader_declarations"].append(before)
        out["trader_controls"].append(done)
        out["trader_irregular"].append(bad)
        out["trader_irregular_rate"].append(bad / done if done else None)
        out["trader_days_known"].append((at.date() - first.date()).days if first else None)
    return out


def _frame(session: Session, batch: Sequence[Any], snapshot: RefDataSnapshot,
           refs: pl.DataFrame | None) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    docs: list[RiskDoc] = []
    dates, lodged, keys = [], [], []
    for decl_id, mrn, created, document in batch:
        try:
            doc = _DOC.validate_python(document)
        except ValidationError:  # stored before a model change: nothing to test it on
            continue
        if isinstance(doc, CancellationRequest):
            continue
        docs.append(doc)
        dates.append(doc.declaration_date or created.date())
        lodged.append(created)
        keys.append((decl_id, mrn))
    frame = flatten(docs, dates, snapshot, keys=[m for _i, m in keys], references=refs,
                    memberships=mou_members(session))  # each on its own date, like AEO
    if docs:
        history = _histories(session, [trader_of(d) for d in docs], lodged)
        rows = frame.get_column("_decl")
        frame = frame.with_columns(pl.Series(name, values, dtype=frame.schema[name]).gather(rows)
                                   for name, values in history.items())
    return frame, keys


@dataclass
class Tally:
    """A back-test's figures as batches come: counts, and the SAMPLE_SIZE newest hits (by
    declaration id). Memory holds one batch, never the list of hits."""

    scanned: int = 0
    hits: int = 0
    controlled: int = 0
    irregular: int = 0
    newest: list[tuple[int, SampleHit]] = field(default_factory=list)  # a min-heap

    def add(self, decl_id: int, mrn: str, items: tuple[int, ...], outcome: str | None) -> None:
        self.hits += 1
        self.controlled += outcome is not None
        self.irregular += outcome == "irregular"
        entry = (decl_id, SampleHit(mrn, items, outcome))
        if len(self.newest) < SAMPLE_SIZE:
            heapq.heappush(self.newest, entry)
        elif decl_id > self.newest[0][0]:
            heapq.heapreplace(self.newest, entry)

    def result(self, start: date, end: date) -> BacktestResult:
        sample = tuple(hit for _id, hit in sorted(self.newest, key=lambda e: -e[0]))
        return BacktestResult(start, end, self.scanned, self.hits, self.controlled,
                              self.irregular, sample)


def matched(matcher: ProfileSet, frame: pl.DataFrame) -> dict[int, tuple[int, ...]]:
    """`_decl` -> the items the profile hit, of each declaration of `frame` it hits."""
    return {decl: tuple(found.evidence.get("items", ())) for decl, found in matcher.hits(frame)}


def run(session: Session, snapshot: RefDataSnapshot, profile: Profile, start: date,
        end: date) -> BacktestResult:
    check_period(start, end)
    matcher = ProfileSet([profile])
    refs = load_references(session)  # as the engine sees them
    tally = Tally()
    for batch in _accepted(session, start, end):
        frame, keys = _frame(session, batch, snapshot, refs)
        tally.scanned += len(keys)
        hit = matched(matcher, frame)
        labels = outcomes(session, [keys[decl][0] for decl in hit])
        for decl, items in hit.items():
            decl_id, mrn = keys[decl]
            label = labels.get(decl_id)
            tally.add(decl_id, mrn, items, None if label is None
                      else "irregular" if label.irregular else "regular")
    return tally.result(start, end)


def frames(session: Session, snapshot: RefDataSnapshot, start: date,
           end: date) -> Iterator[pl.DataFrame]:
    """The item frames `run` tests, a batch at a time, each row with its declaration's
    `_declaration_id`, `_lodged` (date) and `_outcome` (1 irregular, 0 regular, null: not
    controlled): what `backtest_files.export_frames` writes for back-tests over years."""
    refs = load_references(session)
    for batch in _accepted(session, start, end):
        frame, keys = _frame(session, batch, snapshot, refs)
        if not keys:
            continue
        labels = outcomes(session, [decl_id for decl_id, _mrn in keys])
        lodged = {decl_id: created.date() for decl_id, _mrn, created, _doc in batch}
        ids = pl.Series([decl_id for decl_id, _mrn in keys], dtype=pl.Int64)
        rows = frame.get_column("_decl")
        yield frame.with_columns(
            ids.gather(rows).alias("_declaration_id"),
            pl.Series([lodged[i] for i, _m in keys], dtype=pl.Date).gather(rows).alias("_lodged"),
            pl.Series([None if i not in labels else int(labels[i].irregular) for i, _m in keys],
                      dtype=pl.Int8).gather(rows).alias("_outcome"))
