"""The JSON log line, the request ID on every record, and the settings that pick a format."""

from __future__ import annotations

import io
import json
import logging

import pytest

from clearway.config import Settings
from clearway.ops.logs import JsonFormatter, log_config, make_handler, resolved_format
from clearway.ops.request_id import bind_request_id, unbind_request_id


def _record(**extra: object) -> logging.LogRecord:
    record = logging.LogRecord("clearway.access", logging.INFO, __file__, 1,
                               "%s %s %s", ("GET", "/livez", 200), None)
    for name, value in extra.items():
        setattr(record, name, value)
    return record


def test_json_line_has_the_documented_keys() -> None:
    binding = bind_request_id("req-7")
    try:
        line = json.loads(JsonFormatter().format(_record(method="GET", path="/livez",
                                                         status=200, duration_ms=1.5)))
    finally:
        unbind_request_id(binding)
    assert line["message"] == "GET /livez 200" and line["level"] == "INFO"
    assert line["logger"] == "clearway.access" and line["request_id"] == "req-7"
    assert (line["method"], line["path"], line["status"], line["duration_ms"]) == \
        ("GET", "/livez", 200, 1.5)
    assert line["ts"].endswith("+00:00") and "actor" not in line


def test_outside_a_request_the_id_is_null() -> None:
    assert json.loads(JsonFormatter().format(_record()))["request_id"] is None


def test_every_line_is_one_json_object_even_with_newlines() -> None:
    stream = io.StringIO()
    handler = make_handler("json", [], stream)
    handler.handle(logging.makeLogRecord({"msg": "multi\nline", "levelno": 40,
                                          "levelname": "ERROR"}))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["message"] == "multi\nline"


@pytest.mark.parametrize(("environment", "configured", "expected"), [
    ("development", None, "text"),
    ("test", None, "text"),
    ("production", None, "json"),
    ("staging", None, "json"),
    ("development", "json", "json"),
    ("production", "text", "text"),
])
def test_format_follows_the_environment(environment: str, configured: str | None,
                                        expected: str) -> None:
    settings = Settings(environment=environment, log_format=configured,  # type: ignore[arg-type]
                        secret_key="k" * 40)
    assert resolved_format(settings) == expected


def test_log_config_silences_uvicorn_access_and_sets_the_level() -> None:
    settings = Settings(environment="test", log_level="WARNING")
    config = log_config(settings, access_log=False)
    assert config["root"]["level"] == "WARNING"
    assert config["loggers"]["uvicorn.access"]["propagate"] is False
    assert config["loggers"]["clearway.access"]["level"] == "WARNING"
    assert config["handlers"]["clearway"]["secrets"] == [settings.secret_key]
