"""Valuation use cases: rebuild the references from the system's own regular controls, or
seed them from a mapped history file. Each replaces the whole table in one unit of work,
audited."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import polars as pl
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.declarations.model import Declaration
from clearway.errors import ClearwayError
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.frame import flatten
from clearway.risk.learning.labels import outcomes_between
from clearway.storage.orm import DeclarationRow
from clearway.valuation import repository
from clearway.valuation.model import compute_references, usable_observations

_CHUNK = 500
_OBSERVATIONS: dict[str, pl.DataType] = {
    "hs6": pl.String(), "origin_country": pl.String(), "date": pl.Date(),
    "unit_value": pl.Float64()}
IMPORT_COLUMNS = ("commodity_code", "net_mass", "value", "label_irregular")


@dataclass(frozen=True)
class RebuildSummary:
    source: str
    period_from: date
    period_to: date
    declarations: int  # regular controlled declarations (rebuild) or regular rows (import)
    observations: int  # usable item unit values in the period
    references: int
    hs6: int

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["period_from"], data["period_to"] = str(self.period_from), str(self.period_to)
        return data


def _input_error(message: str) -> ClearwayError:
    return ClearwayError(code="CW-VALUATION-INPUT", message=message)


def _check_period(start: date, end: date, min_observations: int) -> None:
    if start > end:
        raise _input_error(f"the period starts ({start}) after it ends ({end})")
    if min_observations < 1:
        raise _input_error("min_observations must be at least 1")


def observations_from_controls(session: Session, ref: RefDataSnapshot, start: date,
                               end: date) -> tuple[int, pl.DataFrame]:
    """Unit values of the import items whose control, ended in [start, end], found them
    regular. Values come out of the item frame, so they are computed exactly as the ones
    the rule compares (statistical or customs value, else price at the rate of the day)."""
    since = datetime.combine(start, time(), UTC)
    until = datetime.combine(end + timedelta(days=1), time(), UTC)
    regular = {i: o for i, o in outcomes_between(session, since, until).items()
               if not o.irregular}
    ids = sorted(regular)
    parts: list[pl.DataFrame] = []
    for n in range(0, len(ids), _CHUNK):
        stmt = select(DeclarationRow.id, DeclarationRow.document, DeclarationRow.created_at) \
            .where(DeclarationRow.id.in_(ids[n:n + _CHUNK]),
                   DeclarationRow.declaration_type == "IM")
        docs: list[Declaration] = []
        dates: list[date] = []
        decided: list[date] = []
        for decl_id, document, created_at in session.execute(stmt):
            try:
                docs.append(Declaration.model_validate(document))
            except ValidationError:
                continue  # a document stored under an older model: no observation
            dates.append(created_at.date())
            decided.append(regular[decl_id].decided_at.date())
        if not docs:
            continue
        when = pl.DataFrame({"_decl": range(len(decided)), "date": decided},
                            schema={"_decl": pl.Int64(), "date": pl.Date()})
        parts.append(flatten(docs, dates, ref).join(when, on="_decl", how="left")
                     .select("hs6", "origin_country", "date", "unit_value"))
    if not parts:
        return len(ids), pl.DataFrame(schema=_OBSERVATIONS)
    return len(ids), pl.concat(parts)


def _store(ctx: Context, session: Session, references: pl.DataFrame, *, actor: str,
           action: str, summary: RebuildSummary) -> None:
    now = ctx.clock.now()
    repository.replace_all(session, references, now)
    audit.append(session, at=now, actor=actor, action=action,
                 object_type="valuation_references", object_id="all",
                 detail=summary.as_dict())


def _summary(source: str, start: date, end: date, declarations: int, usable: int,
             references: pl.DataFrame) -> RebuildSummary:
    return RebuildSummary(source=source, period_from=start, period_to=end,
                          declarations=declarations, observations=usable,
                          references=references.height,
                          hs6=references["hs6"].n_unique() if references.height else 0)


def rebuild(ctx: Context, *, start: date, end: date, actor: str = "system",
            min_observations: int = 5) -> RebuildSummary:
    """Recompute every reference from controls ended in [start, end] that found the
    declaration regular, and replace the stored table with them."""
    _check_period(start, end, min_observations)
    ref = ctx.refdata.get()
    with ctx.uow() as uow:
        count, observations = observations_from_controls(uow.session, ref, start, end)
        references = compute_references(observations, start=start, end=end,
                                        min_observations=min_observations)
        usable = usable_observations(observations, start, end).height
        summary = _summary("controls", start, end, count, usable, references)
        _store(ctx, uow.session, references, actor=actor, action="valuation.rebuild",
               summary=summary)
        uow.commit()
    return summary


def observations_from_mapped(frame: pl.DataFrame, *, value_factor: float = 1.0
                             ) -> pl.DataFrame:
    """Observations from a mapped history frame (`clearway.risk.learning.mapping`): rows controlled
    and found regular (label_irregular == 0; unlabelled rows were never checked)."""
    missing = [c for c in IMPORT_COLUMNS if c not in frame.columns]
    if missing:
        raise _input_error(f"the mapping must provide {', '.join(missing)}")
    digits = pl.col("commodity_code").cast(pl.String).str.replace_all(r"[^0-9]", "")
    mass = pl.col("net_mass").cast(pl.Float64)
    origin = (pl.col("origin_country") if "origin_country" in frame.columns
              else pl.lit(None, pl.String))
    return frame.filter(pl.col("label_irregular") == 0).select(
        digits.str.slice(0, 6).alias("hs6"), origin.cast(pl.String).alias("origin_country"),
        pl.col("date").cast(pl.Date),
        pl.when(mass > 0).then(pl.col("value").cast(pl.Float64) * value_factor / mass)
        .alias("unit_value"))


def import_observations(ctx: Context, frame: pl.DataFrame, *, actor: str = "system",
                        source: str = "file", value_factor: float = 1.0,
                        start: date | None = None, end: date | None = None,
                        min_observations: int = 5) -> RebuildSummary:
    """Replace the references with ones computed from a mapped history frame; `value_factor`
    turns its values into EUR (e.g. the rate of its currency). The period defaults to the
    dates of the regular rows."""
    if value_factor <= 0:
        raise _input_error("value_factor must be positive")
    observations = observations_from_mapped(frame, value_factor=value_factor)
    if observations.height == 0:
        raise _input_error("the file has no rows controlled and found regular "
                           "(label_irregular == 0)")
    start = start or observations["date"].min()  # type: ignore[assignment]
    end = end or observations["date"].max()  # type: ignore[assignment]
    assert start is not None and end is not None
    _check_period(start, end, min_observations)
    references = compute_references(observations, start=start, end=end,
                                    min_observations=min_observations)
    usable = usable_observations(observations, start, end).height
    summary = _summary(source, start, end, observations.height, usable, references)
    with ctx.uow() as uow:
        _store(ctx, uow.session, references, actor=actor, action="valuation.import",
               summary=summary)
        uow.commit()
    return summary


def references_for(ctx: Context, hs6: str | None, origin: str | None, *, limit: int = 100,
                   offset: int = 0) -> tuple[int, pl.DataFrame]:
    with ctx.uow(read_only=True) as uow:
        return repository.find(uow.session, hs6, origin, limit=limit, offset=offset)
