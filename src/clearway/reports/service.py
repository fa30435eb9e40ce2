"""Report use cases (read only)."""

from __future__ import annotations

from typing import Any

from clearway.context import Context
from clearway.periods import Period
from clearway.reports.release_time import GROUPINGS, summarize
from clearway.reports.repository import timelines


def release_time_report(ctx: Context, span: Period) -> dict[str, Any]:
    with ctx.uow(read_only=True) as uow:
        found = timelines(uow.session, span.start, span.end)
    return {**span.as_dict(), **summarize(found, GROUPINGS)}
