"""Control 1: nothing leaves without agreement id, legal article, purpose and sender; each
missing is refused before the outbox, and the outbox stays empty. (The rules themselves:
tests/unit/exchange/test_policy.py; the agreement's type, purpose and parties:
tests/integration/test_exchange_delivery.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, update

from clearway.context import Context
from clearway.exchange import outbox, service, signing
from clearway.exchange.model import ExchangeRefused
from clearway.storage.orm_exchange import AgreementRow, OutboxRow
from exchange_world import AGREEMENT, AGREEMENT_FILE


def _no_article(ctx: Context) -> None:
    """An agreement stored without its article (a hand-edited row): no legal basis."""
    with ctx.uow() as uow:
        row = uow.session.get_one(AgreementRow, AGREEMENT)
        uow.session.execute(update(AgreementRow).where(AgreementRow.id == AGREEMENT).values(
            document={**row.document, "legal_basis": " "}))
        uow.commit()


def _nothing(ctx: Context) -> None:
    pass


# (missing, how the message is sent, what is changed first, code)
CASES: list[tuple[str, dict[str, Any], Callable[[Context], None], str]] = [
    ("agreement id", {"agreement_id": ""}, _nothing, "CW-EXCH-AGREEMENT-MISSING"),
    ("legal article", {}, _no_article, "CW-EXCH-BASIS"),
    ("purpose", {"purpose": ""}, _nothing, "CW-EXCH-BASIS"),
    ("sender", {"country_code": ""}, _nothing, "CW-EXCH-BASIS"),
]


@pytest.mark.parametrize(("missing", "changes", "before", "code"), CASES,
                         ids=[c[0] for c in CASES])
def test_nothing_leaves_without_its_basis(ctx: Context, missing: str, changes: dict[str, Any],
                                          before: Callable[[Context], None],
                                          code: str) -> None:
    partner_key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    service.add_partner(ctx, "MK", "Customs MK", "https://mk.example/api/v1/exchange/inbox",
                        signing.public_pem(partner_key), "administrator:test")
    service.import_agreements(ctx, AGREEMENT_FILE.read_text(), "administrator:test")
    before(ctx)
    changes = dict(changes)  # the table's own dict serves every backend's run
    settings = ctx.settings.model_copy(
        update={"country_code": changes.pop("country_code", ctx.settings.country_code)})
    values = {"agreement_id": AGREEMENT, "purpose": "risk-analysis", **changes}
    with ctx.uow() as uow, pytest.raises(ExchangeRefused) as refused:
        outbox.send_in(uow.session, settings, signing.exchange_key(ctx.settings), to="MK",
                       action="ping", payload={"note": "x"}, now=ctx.clock.now(), **values)
        uow.commit()
    assert refused.value.code == code
    with ctx.uow(read_only=True) as uow:
        assert uow.session.execute(select(func.count()).select_from(OutboxRow)
                                   ).scalar_one() == 0
