"""Controls 4 and 5 between two installations: every listing of received data is logged with
the reader and purpose; the access log is readable only by the data protection officer and
auditors; another use or an onward transfer is blocked and logged without the originator's
consent, allowed with it, and never under an agreement that forbids it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.errors import ClearwayError
from clearway.exchange.service import import_agreements
from clearway.identity import Role
from clearway.privacy import service
from conftest import NOW
from exchange_world import AGREEMENT_FILE, Pair, open_pair
from helpers import make_token
from privacy_world import ANALYST, DPO, keys_file, send_about


@pytest.fixture
def pair(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[Pair]:
    yield from open_pair(db_url, tmp_path, sqlite_template, NOW,
                         pseudonym_keys_file=keys_file(tmp_path))


# Who reads the access log: only the data protection officer and auditors.
READERS = [(Role.DPO, 200), (Role.AUDITOR, 200), (Role.ADMINISTRATOR, 403),
           (Role.SUPERVISOR, 403), (Role.OFFICER, 403), (Role.RISK_ANALYST, 403),
           (Role.TRADER, 403)]


@pytest.mark.parametrize(("role", "status"), READERS, ids=[r[0].value for r in READERS])
def test_listing_received_data_is_logged_and_the_log_is_the_dpos_and_auditors(
        pair: Pair, role: Role, status: int) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date())
    mk = pair.mk.ctx
    supervisor = make_token(mk, "sup", "supervisor")
    reader = make_token(mk, f"u-{role.value}", role.value,
                        "RS123456789" if role is Role.TRADER else None)
    with TestClient(create_app(mk), raise_server_exceptions=False) as client:
        listed = client.get("/api/v1/exchange/received?purpose=transit-control",
                            headers={"Authorization": f"Bearer {supervisor}"})
        assert listed.status_code == 200 and listed.json()[0]["message_id"] == message_id
        client.get("/api/v1/exchange/received",
                   headers={"Authorization": f"Bearer {supervisor}"})
        answer = client.get("/api/v1/privacy/access-log?action=list",
                            headers={"Authorization": f"Bearer {reader}"})
    assert answer.status_code == status
    (default, given) = service.access_log(mk, action="list")
    assert (given["actor"], given["purpose"]) == ("supervisor:sup", "transit-control")
    assert given["detail"]["message_ids"] == [message_id]
    assert default["purpose"] == "risk-analysis"  # none given: the documented default
    if status == 200:
        assert [e["id"] for e in answer.json()] == [default["id"], given["id"]]
    else:
        assert answer.json()["code"] == "CW-FORBIDDEN"


def test_another_purpose_is_blocked_and_logged_without_consent_and_allowed_with_it(
        pair: Pair) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date())
    mk = pair.mk.ctx
    same = service.request_use(mk, ANALYST, message_id, purpose="risk-analysis",
                               reason="profile check")
    assert same["payload"]["note"] == "about a consignee"
    with pytest.raises(ClearwayError) as blocked:
        service.request_use(mk, ANALYST, message_id, purpose="statistics", reason="yearly")
    assert (blocked.value.code, blocked.value.status) == ("CW-PRIV-PURPOSE", 403)

    service.record_consent(mk, DPO, message_id, granted_by="RS", reference="RS letter 7",
                           purpose="statistics")
    allowed = service.request_use(mk, ANALYST, message_id, purpose="statistics",
                                  reason="yearly")
    assert allowed["consent"] == "RS letter 7"
    log = service.access_log(mk, message_id=message_id)
    assert [(e["action"], e["purpose"]) for e in reversed(log)] == [
        ("read", "risk-analysis"), ("blocked", "statistics"), ("read", "statistics")]
    assert log[1]["detail"]["code"] == "CW-PRIV-PURPOSE"
    assert all(e["actor"] == "supervisor:sup" for e in log)


def test_onward_transfer_needs_consent_and_only_the_originator_gives_it(pair: Pair) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date())
    mk = pair.mk.ctx
    with pytest.raises(ClearwayError, match="CW-PRIV-ONWARD"):
        service.request_use(mk, ANALYST, message_id, recipient="police:MK-MVR",
                            reason="smuggling case")
    with pytest.raises(ClearwayError, match="CW-PRIV-INVALID"):
        service.record_consent(mk, DPO, message_id, granted_by="AL", reference="AL letter",
                               recipient="police:MK-MVR")
    service.record_consent(mk, DPO, message_id, granted_by="RS", reference="RS letter 9",
                           recipient="police:MK-MVR")
    done = service.request_use(mk, ANALYST, message_id, recipient="police:MK-MVR",
                               reason="smuggling case")
    assert done["consent"] == "RS letter 9"
    actions = [(e["action"], e["recipient"]) for e in service.access_log(mk)]
    assert ("blocked", "police:MK-MVR") in actions and ("disclose", "police:MK-MVR") in actions


def test_an_agreement_that_forbids_onward_transfer_blocks_it_even_with_consent(
        pair: Pair) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date())
    mk = pair.mk.ctx
    forbidding = AGREEMENT_FILE.read_text().replace("onward_transfer: with-consent",
                                                    "onward_transfer: forbidden")
    import_agreements(mk, forbidding, "administrator:test")
    service.record_consent(mk, DPO, message_id, granted_by="RS", reference="RS letter 10",
                           recipient="AL")
    with pytest.raises(ClearwayError, match="CW-PRIV-ONWARD"):
        service.request_use(mk, ANALYST, message_id, recipient="AL", reason="regional case")
    (entry,) = service.access_log(mk, action="blocked")
    assert entry["recipient"] == "AL" and entry["detail"]["code"] == "CW-PRIV-ONWARD"


@pytest.mark.parametrize(("purpose", "recipient", "reason", "code"), [
    ("statistics", None, " ", "CW-REASON-REQUIRED"),
    (None, None, "why", "CW-PRIV-INVALID"),
    ("statistics", "AL", "why", "CW-PRIV-INVALID"),
])
def test_a_use_request_without_its_reason_or_target_is_refused_and_logs_nothing(
        pair: Pair, purpose: str | None, recipient: str | None, reason: str,
        code: str) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date())
    with pytest.raises(ClearwayError) as refused:
        service.request_use(pair.mk.ctx, ANALYST, message_id, purpose=purpose,
                            recipient=recipient, reason=reason)
    assert refused.value.code == code
    assert service.access_log(pair.mk.ctx) == []
