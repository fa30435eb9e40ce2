"""Use cases of the balance room (read only): the live selection's balance report."""

from __future__ import annotations

from typing import Any

from clearway.balance.live import summarize
from clearway.balance.repository import decision_counts
from clearway.context import Context
from clearway.periods import Period

METHOD = ("precision: irregular / inspected (Wilson 95%); estimate: irregular share among "
          "the randomly selected declarations with an outcome (Wilson 95%); unseen: the "
          "estimate applied to the declarations not inspected")


def balance_report(ctx: Context, span: Period) -> dict[str, Any]:
    """The selection of the declarations decided in the period, by month and office: what
    was inspected, what it found, and the random sample's estimate of what was not seen."""
    with ctx.uow(read_only=True) as uow:
        counts = decision_counts(uow.session, span.first, span.last)
    return {**span.as_dict(), "method": METHOD, **summarize(counts)}
