"""Secret-bearing strings pass through the redaction filter with every secret masked."""

from __future__ import annotations

import io
import logging

import pytest

from clearway.ops.logs import make_handler
from clearway.ops.redaction import MASK, RedactingFilter, redact
from clearway.users.model import new_token

# Fixed tokens of the minted shape (test ids must be the same in every xdist worker);
# test_a_freshly_minted_token_is_masked covers new_token() itself.
TOKEN = "cw_" + "Ab3-_x9QzK" * 4 + "Lm0"
OTHER_TOKEN = "cw_" + "zY8_-Wq1pR" * 4 + "Tn7"
SECRET_KEY = "s3cr3t-key-of-this-deployment-0123456789"

# (text, the secrets it carries, a part that must survive)
CASES = [
    (f"Authorization: Bearer {TOKEN}", [TOKEN], "Authorization"),
    ("authorization=Basic dXNlcjpwYXNz", ["dXNlcjpwYXNz"], "authorization"),
    (f"{{'authorization': 'Bearer {TOKEN}', 'accept': 'json'}}", [TOKEN], "accept"),
    (f"sent bearer {OTHER_TOKEN} to the webhook", [OTHER_TOKEN], "webhook"),
    (f"token {TOKEN} is unknown", [TOKEN], "is unknown"),
    (f"cookie: cw_token={TOKEN}; theme=dark", [TOKEN], "theme=dark"),
    ("cw_token=plain-cookie-value", ["plain-cookie-value"], "cw_token"),
    ("password=hunter2 user=ana", ["hunter2"], "user=ana"),
    ('{"password": "hunter2", "name": "ana"}', ["hunter2"], '"name": "ana"'),
    ("client_secret: abc123xyz", ["abc123xyz"], "client_secret"),
    ("webhook secret=whsec_777 for RS1", ["whsec_777"], "for RS1"),
    ("GET /x?access_token=qwerty&page=2", ["qwerty"], "page=2"),
    ("api-key=K-998877 set", ["K-998877"], "set"),
    ("postgresql+psycopg://clearway:pg-pass-1@db:5432/cw", ["pg-pass-1"], "@db:5432/cw"),
    (f"key material {SECRET_KEY} leaked", [SECRET_KEY], "leaked"),
    (f"two tokens {TOKEN},{OTHER_TOKEN}", [TOKEN, OTHER_TOKEN], "two tokens"),
]


@pytest.mark.parametrize(("text", "secrets", "kept"), CASES,
                         ids=[f"case{i}" for i in range(len(CASES))])
def test_redact_masks_every_secret(text: str, secrets: list[str], kept: str) -> None:
    masked = redact(text, [SECRET_KEY])
    for secret in secrets:
        assert secret not in masked
    assert MASK in masked and kept in masked


@pytest.mark.parametrize("text", ["GET /api/v1/declarations/26RS000000000001R0 200",
                                  "token cache miss", "cw_token cookie set",
                                  "declaration LRN-0001 accepted"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text, [SECRET_KEY]) == text


def _emit(logger: logging.Logger) -> None:
    logger.warning("request with header %s", f"Authorization: Bearer {TOKEN}")
    logger.info("login %(user)s token=%(token)s", {"user": "ana", "token": OTHER_TOKEN})
    try:
        raise RuntimeError(f"upstream refused key {SECRET_KEY} and password=hunter2")
    except RuntimeError:
        logger.exception("call failed for %s", TOKEN)
    logger.warning("stack", stack_info=True, extra={"path": f"/x/{TOKEN}"})


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_handler_masks_message_args_and_exceptions(log_format: str) -> None:
    stream = io.StringIO()
    handler = make_handler(log_format, [SECRET_KEY], stream)
    logger = logging.getLogger(f"clearway.test.redaction.{log_format}")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        _emit(logger)
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    for secret in (TOKEN, OTHER_TOKEN, SECRET_KEY, "hunter2"):
        assert secret not in output
    assert "RuntimeError" in output and "call failed" in output


def test_short_secrets_are_not_masked_literally() -> None:
    assert RedactingFilter(["abc", SECRET_KEY]).secrets == (SECRET_KEY,)


def test_a_freshly_minted_token_is_masked() -> None:
    token = new_token()
    assert len(token) == len(TOKEN)
    assert redact(f"unknown token {token}!") == f"unknown token {MASK}!"
