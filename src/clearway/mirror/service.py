"""Mirror analysis use cases: send a month's exports to a partner, list the gaps between the
partner's exports and our imports, and promote a gap's unit value to a valuation reference.
Each writes in one unit of work, audited. Receiving the partner's message is `receiving.py`
(a handler inside the exchange's receiving transaction)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import polars as pl
from pydantic import ValidationError
from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.declarations.model import Declaration
from clearway.errors import ClearwayError, reason_required
from clearway.exchange import outbox, signing
from clearway.exchange import repository as exchange_repo
from clearway.exchange.model import Agreement, ExchangeRefused
from clearway.identity import User
from clearway.mirror import aggregate, compare
from clearway.mirror import repository as repo
from clearway.mirror.model import (
    ACTION,
    PURPOSE,
    MirrorAggregates,
    label,
    month,
    partner_code,
    previous_month,
)
from clearway.periods import Period
from clearway.refdata.model import RefDataSnapshot
from clearway.valuation import repository as valuation_repo
from clearway.valuation.model import MIN_SPREAD


@dataclass(frozen=True)
class Sent:
    message_id: str
    partner: str
    period: str
    rows: int
    value_eur: float


@dataclass(frozen=True)
class GapList:
    partner: str
    period: str
    order: str
    received: dict[str, Any] | None  # the partner's message for the month, if any arrived
    gaps: pl.DataFrame  # compare.GAP_COLUMNS, ranked


def trade(session: Session, ref: RefDataSnapshot, declaration_type: str, partner: str,
          period: Period) -> pl.DataFrame:
    """This administration's exports to (EX) or imports from (IM) `partner` released in
    `period`, by HS6 (`aggregate.AGGREGATE_SCHEMA`), read in batches."""
    parts: list[pl.DataFrame] = []
    for batch in repo.released_filings(session, declaration_type, partner, period):
        docs, days, keys = [], [], []
        for decl_id, day, document in batch:
            try:
                docs.append(Declaration.model_validate(document))
            except ValidationError:
                continue  # a document stored under an older model: not counted
            days.append(day)
            keys.append(str(decl_id))
        parts.append(aggregate.items(docs, days, keys, ref))
    return aggregate.aggregate(aggregate.combine(parts))


def _agreement_for(session: Session, me: str, partner: str, period: Period) -> Agreement:
    """The agreement that lets this month's aggregates go to `partner` (valid on the day
    the month ends)."""
    for found in exchange_repo.agreements(session):
        if (found.binds(me, partner) and found.valid_on(period.last)
                and ACTION in found.message_types and PURPOSE in found.purposes):
            return found
    raise ExchangeRefused("CW-EXCH-AGREEMENT-MISSING",
                          f"No agreement with {partner} allows {ACTION} for {PURPOSE}: "
                          "nothing was sent")


def send_aggregates(ctx: Context, partner: str, period: str | None = None, *,
                    actor: str = "system") -> Sent:
    """Put this administration's exports to `partner` for the month `period` (default: the
    month before today) in the outbox as one "mirror-aggregates" message, audited."""
    settings, now = ctx.settings, ctx.clock.now()
    partner = partner_code(partner, settings.country_code)
    span = month(period or previous_month(now))
    ref = ctx.refdata.get()
    with ctx.uow() as uow:
        session = uow.session
        agreement = _agreement_for(session, settings.country_code, partner, span)
        exports = trade(session, ref, "EX", partner, span)
        payload = MirrorAggregates(period=label(span),
                                   rows=aggregate.payload_rows(exports)).as_payload()
        message_id = outbox.send_in(session, settings, signing.exchange_key(settings),
                                    to=partner, action=ACTION, purpose=PURPOSE,
                                    agreement_id=agreement.id, payload=payload, now=now)
        total = float(exports["value_eur"].sum()) if exports.height else 0.0
        sent = Sent(message_id, partner, label(span), exports.height, round(total, 2))
        audit.append(session, at=now, actor=actor, action="mirror.sent",
                     object_type="exchange_message", object_id=message_id,
                     detail={"partner": partner, "period": sent.period, "rows": sent.rows,
                             "value_eur": sent.value_eur, "agreement": agreement.id})
        uow.commit()
    return sent


def gap_list(ctx: Context, partner: str, period: str | None = None, *, order: str = "value",
             top: int | None = 20) -> GapList:
    """The partner's exports to us next to our imports from it for the month, largest gaps
    first (see `compare`)."""
    partner = partner_code(partner, ctx.settings.country_code)
    span = month(period or previous_month(ctx.clock.now()))
    if order not in compare.ORDERS:
        raise ClearwayError("CW-MIRROR-INPUT",
                            f"order must be one of {', '.join(compare.ORDERS)}")
    if top is not None and not 1 <= top <= 10_000:
        raise ClearwayError("CW-MIRROR-INPUT", "top must lie between 1 and 10000")
    ref = ctx.refdata.get()
    with ctx.uow(read_only=True) as uow:
        session = uow.session
        theirs = repo.partner_exports(session, partner, label(span))
        received = repo.received_period(session, partner, label(span))
        ours = trade(session, ref, "IM", partner, span)
    return GapList(partner, label(span), order, received,
                   compare.gaps(theirs, ours, order=order, top=top))


def promote_gap(ctx: Context, analyst: User, partner: str, period: str, hs6: str,
                reason: str) -> dict[str, Any]:
    """Make the partner's export unit value of `hs6` in `period` the valuation reference for
    goods of that HS6 from `partner` (source "mirror:PARTNER:PERIOD"), audited with both
    sides' figures; the risk engine's valuation rule set reads it at its next check."""
    partner = partner_code(partner, ctx.settings.country_code)
    span = month(period)
    if not isinstance(hs6, str) or not re.fullmatch(r"[0-9]{6}", hs6):
        raise ClearwayError("CW-MIRROR-INPUT", f"{hs6!r} is not a six-digit HS code")
    if not reason or not reason.strip():
        raise reason_required("A promoted reference needs the analyst's reason")
    now, ref = ctx.clock.now(), ctx.refdata.get()
    with ctx.uow() as uow:
        session = uow.session
        theirs = repo.partner_exports(session, partner, label(span))
        row = compare.gaps(theirs, trade(session, ref, "IM", partner, span)).filter(
            pl.col("hs6") == hs6)
        if row.height == 0 or row["their_count"][0] is None:
            raise ClearwayError("CW-MIRROR-NOT-FOUND",
                                f"{partner} reported no exports of HS {hs6} in {label(span)}")
        figures = row.drop("rank").row(0, named=True)
        centre = figures["their_unit_value"]
        if centre is None or centre <= 0:
            raise ClearwayError("CW-MIRROR-NO-UNIT-VALUE",
                                f"{partner}'s HS {hs6} row has no value per kg to promote")
        source = f"mirror:{partner}:{label(span)}"
        # One month's aggregate has no spread of its own: the floor leaves the decision to
        # the rule's ratio test (declared below half the partner's unit value).
        valuation_repo.put_reference(
            session, hs6=hs6, origin_country=partner, period_from=span.first,
            period_to=span.last, centre=centre, spread=MIN_SPREAD,
            observations=int(figures["their_count"]), computed_at=now, source=source)
        detail = {"source": source, "reason": reason.strip(), "figures": figures}
        audit.append(session, at=now, actor=analyst.actor, action="mirror.promoted",
                     object_type="valuation_reference", object_id=f"{hs6}/{partner}",
                     detail=detail)
        uow.commit()
    ctx.risk.invalidate()  # this process's next decision sees it at once
    return {"hs6": hs6, "origin_country": partner, "centre": centre, **detail}
