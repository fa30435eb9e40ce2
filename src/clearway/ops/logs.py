"""Structured logs: one JSON object per line (or readable text in development), each
record stamped with the request ID, secrets masked before any handler writes them."""

from __future__ import annotations

import json
import logging
import logging.config
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from clearway.config import Settings
from clearway.ops.redaction import RedactingFilter
from clearway.ops.request_id import current_request_id

ACCESS_LOGGER = "clearway.access"
# Fields the access log adds to its records (`extra=`); written as JSON keys when present.
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "actor")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Stamps each record with the ID of the request being served (or "-")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: ts, level, logger, message, request_id, the access
    fields when set, and exc_info (the traceback text) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None) or current_request_id()
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "request_id": None if request_id == "-" else request_id}
        for name in ACCESS_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc_info"] = record.exc_text
        if record.stack_info:
            line["stack_info"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


def resolved_format(settings: Settings) -> str:
    """The configured format, or JSON where logs are collected (staging, production)."""
    if settings.log_format:
        return settings.log_format
    return "json" if settings.environment in ("staging", "production") else "text"


def make_handler(log_format: str = "json", secrets: Iterable[str] = (),
                 stream: TextIO | None = None) -> logging.Handler:
    """A handler writing to `stream` (stderr) as JSON or text, with the redaction and
    request ID filters (redaction first: the formatter only ever sees masked text).
    `secrets` are literal values to mask (the configured secret key)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RedactingFilter(secrets))
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json"
                         else logging.Formatter(TEXT_FORMAT))
    return handler


def log_config(settings: Settings, *, access_log: bool = True) -> dict[str, Any]:
    """A logging.config.dictConfig document: every logger (uvicorn's included) writes through
    one root handler made by `make_handler`. Given to uvicorn as its `log_config` (each worker
    process applies it; uvicorn's own access log and formats are replaced).
    `access_log=False` keeps only the warnings of our access logger."""
    return {
        "version": 1, "disable_existing_loggers": False,
        "handlers": {"clearway": {"()": "clearway.ops.logs.make_handler",
                                  "log_format": resolved_format(settings),
                                  "secrets": [settings.secret_key]}},
        "root": {"handlers": ["clearway"], "level": settings.log_level},
        "loggers": {"uvicorn": {"handlers": [], "propagate": True},
                    "uvicorn.error": {"handlers": [], "propagate": True},
                    # Ours replaces uvicorn's: it carries the request ID, route and actor.
                    "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
                    ACCESS_LOGGER: {"level": "NOTSET" if access_log else "WARNING"}},
    }


def configure_logging(settings: Settings, *, access_log: bool = True) -> None:
    """Apply `log_config` to this process."""
    logging.config.dictConfig(log_config(settings, access_log=access_log))
