"""Masking secrets in log records: bearer tokens, Clearway access tokens, the console's
token cookie, password/secret/token key-values, credentials in URLs and the configured
secret key. Applied to the message, its arguments, exception text and known extras."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "[REDACTED]"

# Tokens are "cw_" + secrets.token_urlsafe(32) (clearway.users.model.new_token): 43 URL-safe
# base64 characters. A few more or fewer are masked too, in case the length ever changes.
_ACCESS_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])cw_[A-Za-z0-9_-]{32,64}")
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Authorization: Bearer x", "authorization=Basic x", {'authorization': 'x'}
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?:(?:bearer|basic|token)\s+)?"
                r"[^\s,;\"'}&]+"), rf"\1{MASK}"),
    (re.compile(r"(?i)\b(bearer\s+)[^\s,;\"'}&]+"), rf"\1{MASK}"),
    # password=x, "client_secret": "x", cw_token=x (the cookie), secret_key: x, api-key=x
    (re.compile(r"(?i)\b([\w-]*(?:password|passwd|secret|token|api[_-]?key)[\w-]*"
                r"[\"']?\s*[:=]\s*[\"']?)[^\s,;\"'}&]+"), rf"\1{MASK}"),
    # postgresql+psycopg://user:password@host/db
    (re.compile(r"(://[^/\s:@]+:)[^@\s/]+@"), rf"\1{MASK}@"),
    (_ACCESS_TOKEN, MASK),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every secret-looking part masked; `secrets` are literal values to mask."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


# Extras set by the access log (and anything a caller adds under these names) are masked too.
_EXTRA_FIELDS = ("path", "actor")


class RedactingFilter(logging.Filter):
    """Rewrites each record in place so that no handler after it sees a secret. Installed on
    the root handler by `clearway.ops.logs.configure_logging`."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Very short "secrets" would mask ordinary words; the settings refuse short keys
        # outside development anyway.
        self.secrets = tuple(s for s in secrets if len(s) >= 8)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not hide the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        for name in _EXTRA_FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, redact(value, self.secrets))
        return True
