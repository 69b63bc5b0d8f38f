"""The JSON log lines (idp/logs.py)."""

from __future__ import annotations

import json
import logging

from idp import logs


def record(created: float, **extra) -> logging.LogRecord:
    made = logging.makeLogRecord(
        {"name": "silta.audit", "msg": "token.issued", "levelname": "INFO", **extra}
    )
    made.created = created
    return made


def test_a_line_is_one_json_object_with_the_records_extras():
    line = json.loads(logs.JsonFormatter().format(record(1_800_000_000.25, client_id="tax")))

    assert line["message"] == "token.issued"
    assert line["logger"] == "silta.audit" and line["level"] == "INFO"
    assert line["client_id"] == "tax"
    assert "request_id" not in line  # outside a request there is none


def test_the_time_is_what_logging_itself_would_write_even_across_seconds():
    formatter, reference = logs.JsonFormatter(), logging.Formatter()
    for created in (1_800_000_000.1, 1_800_000_000.9, 1_800_000_001.0, 1_799_999_999.5):
        line = json.loads(formatter.format(record(created)))
        assert line["time"] == reference.formatTime(record(created), "%Y-%m-%dT%H:%M:%S%z")
