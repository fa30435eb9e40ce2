"""A rejected filing is stored once: identical rejected filings sent at the same time answer
the one stored rejection (one row, one event pair, one notification), as identical accepted
ones answer the one declaration. Threads on SQLite and PostgreSQL (where their transactions
overlap: before the fix 17 of 50 concurrent copies were stored)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select

from clearway.bootstrap import prepare
from clearway.clearance import lodging
from clearway.context import Context
from clearway.identity import Role, User
from clearway.storage.orm import DeclarationRow, NotificationRow
from helpers import TRADER, import_doc

TRADER_USER = User(id=1, name="t", role=Role.TRADER, trader_id=TRADER)


def count(ctx: Context, table: Any) -> int:
    with ctx.uow(read_only=True) as uow:
        return int(uow.session.execute(select(func.count()).select_from(table)).scalar_one())


def test_concurrent_identical_rejected_filings_store_one_rejection(ctx: Context) -> None:
    prepare(ctx)
    data = json.dumps(import_doc(lrn="REJ-1", item_count=9)).encode()  # refused: 9 != 2

    def lodge(_: int) -> tuple[int, int]:
        outcome = lodging.submit(ctx, data, "application/json", TRADER_USER)
        return outcome.kind, outcome.row.id

    first = json.dumps(import_doc(lrn="REJ-0", item_count=9)).encode()
    # The first audit entry alone: it creates the chain's head.
    assert lodging.submit(ctx, first, "application/json", TRADER_USER).kind == "rejected"
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lodge, range(40)))
    assert {status for status, _ in answers} == {"rejected"}
    assert len({row_id for _, row_id in answers}) == 1
    assert count(ctx, DeclarationRow) == 2
    assert count(ctx, NotificationRow) == 2
