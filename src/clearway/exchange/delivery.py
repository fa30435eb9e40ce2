"""Delivering the outbox: a background thread in the server, or `clearway exchange deliver
--once`. A message stays in the outbox until the partner's signed receipt for that very
message (its envelope and payload; each attempt signs a fresh copy) is back; nothing is ever
dropped, and failures never stop the loop.

A round is three steps, with no transaction open while a partner is contacted (as webhook
delivery, `notifications/webhooks.py`): `claim_due` leases due messages in one short
transaction (SKIP LOCKED on PostgreSQL, so workers side by side never take the same one; a
worker killed after its claim leaves them to the next once the lease ends), the POSTs go out
(one thread per partner, its messages in order), and each partner's outcome is written in
another short transaction. A message delivered twice (a lease ran out mid-POST) is harmless:
the partner's inbox keeps it once and answers the same receipt.

The partner's URL passes the webhook SSRF guard at every connection: a partner on loopback or
a private network must be allowed by CLEARWAY_WEBHOOK_ALLOWED_NETWORKS / _HOSTS.
"""

from __future__ import annotations

import json
import logging
import random
import ssl
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from clearway.background import run_beside
from clearway.config import Settings
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.exchange import repository as repo
from clearway.exchange import signing
from clearway.exchange.model import Partner
from clearway.exchange.repository import Claim
from clearway.notifications.guard import Policy, WebhookUrlRefused, check_url

log = logging.getLogger("clearway.exchange")
MEDIA_TYPE = "application/jose"
MAX_RECEIPT_BYTES = 64 * 1024  # a receipt is well under 1 KiB
MAX_PARTNERS = 8  # partners contacted at once
MAX_ERRORS_SHOWN = 5  # of a round's failures, printed by `clearway exchange deliver`
TIMEOUT_SECONDS = 10.0

# url, body -> (HTTP status, answer body); raises on any transport failure.
Poster = Callable[[str, bytes], tuple[int, bytes]]


@dataclass
class Delivered:
    delivered: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    claim: Claim
    receipt: str | None    # the partner's verified receipt: delivered
    error: str | None = None
    hold: bool = False     # the partner is unreachable: its later messages wait too


def make_poster(settings: Settings) -> Poster:
    """POST to a checked address only (resolved and checked for this very connection, then
    pinned, the name kept for Host and TLS); no proxies, no redirects, a bounded answer."""
    policy = Policy.from_settings(settings)
    # One TLS context for every POST: building one loads the system's CA bundle (~0.1 s a
    # time, which was most of a delivery's cost).
    tls = ssl.create_default_context()

    def post(url: str, body: bytes) -> tuple[int, bytes]:
        target = check_url(url, policy)
        pinned = target.url.copy_with(host=target.address)
        headers = {"Content-Type": MEDIA_TYPE, "Accept": MEDIA_TYPE,
                   "Host": target.url.netloc.decode("ascii")}
        with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False,
                          trust_env=False, verify=tls) as client:
            request = client.build_request("POST", pinned, content=body, headers=headers,
                                           extensions={"sni_hostname":
                                                       target.url.raw_host.decode("ascii")})
            response = client.send(request, stream=True)
            try:
                answer = b""
                for chunk in response.iter_bytes():
                    answer += chunk
                    if len(answer) > MAX_RECEIPT_BYTES:
                        raise ValueError(f"answer longer than {MAX_RECEIPT_BYTES} bytes")
            finally:
                response.close()
            return response.status_code, answer

    return post


def backoff(attempts: int, settings: Settings, rng: random.Random) -> timedelta:
    """base, 2 x base, 4 x base... after the 1st, 2nd, 3rd failure, capped, with up to 20 %
    jitter so a partner coming back is not met by every message at once."""
    delay = min(settings.exchange_retry_base_seconds * 2 ** max(attempts - 1, 0),
                settings.exchange_retry_max_seconds)
    return timedelta(seconds=delay * (1 + 0.2 * rng.random()))


def deliver_once(ctx: Context, *, limit: int = 50, post: Poster | None = None) -> Delivered:
    """One round: claim due messages, POST them, record receipts and failures."""
    post = post or make_poster(ctx.settings)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        claims = repo.claim_due(uow.session, now=now, limit=limit, until=now + timedelta(
            seconds=ctx.settings.exchange_lease_seconds))
        partners = {c.to_party: repo.partner(uow.session, c.to_party) for c in claims}
        uow.commit()
    report = Delivered()
    if not claims:
        return report
    key = signing.exchange_key(ctx.settings)

    def fresh(token: str) -> tuple[str, str]:
        """The same message signed anew as it leaves now (the partner bounds the send time
        with its window; the envelope and payload are those stored), and the message's
        digest, which the partner's receipt must name."""
        envelope, payload = signing.peek(token)
        return (signing.sign(envelope, payload, key, sent_at=ctx.clock.now()),
                signing.message_digest(envelope, payload))

    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[claim.to_party].append(claim)
    # The claim is committed: partners are contacted with no lock and no transaction held.
    with ThreadPoolExecutor(max_workers=min(len(groups), MAX_PARTNERS),
                            thread_name_prefix="exchange") as pool:
        results = pool.map(lambda code: _record(ctx, *_send(partners[code], groups[code], post,
                                                                 fresh)),
                           list(groups))
        for part in results:
            report.delivered += part.delivered
            report.failed += part.failed
            report.errors += part.errors
    return report


def _send(partner: Partner | None, claims: list[Claim], post: Poster,
          fresh: Callable[[str], tuple[str, str]]) -> tuple[list[Outcome], list[Claim]]:
    """The partner's messages in order, and those not tried: when the partner cannot be
    reached the rest wait with the first (one timeout per partner and round); a refusal of
    one message holds back none."""
    outcomes: list[Outcome] = []
    for claim in claims:
        outcomes.append(_attempt(partner, claim, post, fresh))
        if outcomes[-1].hold:
            break
    return outcomes, claims[len(outcomes):]


def _attempt(partner: Partner | None, claim: Claim, post: Poster,
             fresh: Callable[[str], tuple[str, str]]) -> Outcome:
    if partner is None or not partner.active:
        return Outcome(claim, None, f"{claim.to_party} is not an active partner", hold=True)
    try:
        copy, digest = fresh(claim.token)
        status, answer = post(partner.inbox_url, copy.encode("ascii"))
    except WebhookUrlRefused as exc:
        # The operator reads this (`clearway exchange status`): say which setting allows an
        # internal inbox (two installations on one network, loopback in a trial).
        return Outcome(claim, None, f"the partner's inbox URL is refused: {exc.message} "
                       "(internal addresses: CLEARWAY_WEBHOOK_ALLOWED_NETWORKS)"[:500], hold=True)
    except (httpx.HTTPError, OSError, ValueError, ClearwayError) as exc:
        return Outcome(claim, None, f"{type(exc).__name__}: {exc}"[:500], hold=True)
    if status != 200:
        return Outcome(claim, None, f"HTTP {status}{_code(answer)}"[:500], hold=status >= 500)
    try:
        token = answer.decode("ascii").strip()
        receipt = signing.verify_receipt(token, partner.public_key_pem)
    except (UnicodeDecodeError, ClearwayError) as exc:
        return Outcome(claim, None, f"the receipt is refused: {exc}"[:500])
    if (receipt.message_id, receipt.receiver, receipt.digest) != (
            claim.message_id, partner.code, digest):
        return Outcome(claim, None, "the receipt is for another message, receiver or content")
    return Outcome(claim, token)


def _code(answer: bytes) -> str:
    """The coded refusal in the partner's answer, when it gave one."""
    try:
        found = json.loads(answer)
    except ValueError:
        return ""
    return f" {found.get('code')}: {found.get('message')}" if isinstance(found, dict) else ""


def _record(ctx: Context, outcomes: list[Outcome], untried: list[Claim]) -> Delivered:
    """Write one partner's outcomes; the messages not tried wait as long as the failure."""
    report = Delivered()
    now = ctx.clock.now()
    with ctx.uow() as uow:
        for outcome in outcomes:
            if outcome.receipt is not None:
                repo.mark_delivered(uow.session, outcome.claim, outcome.receipt, now)
                report.delivered += 1
                continue
            error = outcome.error or "no receipt"
            retry_at = now + backoff(outcome.claim.attempts + 1, ctx.settings, ctx.rng)
            waiting = [outcome.claim, *(untried if outcome.hold else [])]
            repo.mark_failed(uow.session, waiting, error, retry_at, counted=outcome.claim.id)
            report.failed += 1
            report.errors.append(f"{outcome.claim.to_party} {outcome.claim.message_id}: {error}")
        uow.commit()
    return report


def run_delivery(ctx: Context, *, once: bool, interval: float,
                 say: Callable[[str], Any] = log.info,
                 stop: threading.Event | None = None) -> None:
    """Deliver in rounds until `stop` is set (or one round with `once`)."""
    stop = stop or threading.Event()
    post = make_poster(ctx.settings)
    while True:
        report = Delivered()
        try:
            report = deliver_once(ctx, post=post)
            if report.delivered or report.failed or once:
                say(f"exchange: {report.delivered} delivered, {report.failed} to retry")
                for error in report.errors[:MAX_ERRORS_SHOWN]:
                    say(f"  {error}")
        except Exception:  # keep the loop alive; the messages stay due and are retried
            log.exception("exchange delivery failed")
        if once or stop.is_set():
            return
        # Deliveries went through: more may be waiting, so go on at once; else rest.
        if not report.delivered and stop.wait(interval):
            return


def attach_delivery(app: FastAPI, ctx: Context, interval: float = 2.0) -> None:
    """Run delivery in a thread for the life of the server, around whatever lifespan the app
    has already (the webhook dispatcher's); stopped and joined when the server stops."""
    Policy.from_settings(ctx.settings)  # a malformed allow-list stops the server here
    run_beside(app, name="exchange-delivery", target=run_delivery,
               kwargs={"ctx": ctx, "once": False, "interval": interval},
               join_seconds=TIMEOUT_SECONDS + 5)
