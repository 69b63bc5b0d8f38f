"""The JSON log lines (idp/ops/logs.py)."""

from __future__ import annotations

import io
import json
import logging

import pytest

from idp.ops import logs


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


@pytest.fixture
def configured():
    """The ``silta`` logger as ``logs.configure`` sets it up, writing into a string."""
    logger = logging.getLogger("silta")
    saved = (logger.handlers[:], logger.level, logger.propagate, logs._line_handler)
    stream = io.StringIO()
    logs.configure(stream=stream)
    yield stream
    logger.handlers[:], logger.level, logger.propagate, logs._line_handler = saved


def test_the_direct_line_is_the_line_the_logging_module_writes(configured):
    audit = logging.getLogger("silta.audit")
    fields = {"event": "token.issued", "client_id": "tax", "claims": ["name"], "n": 3}
    logs.info(audit, "token.issued", fields)  # the direct path
    audit.info("token.issued", extra=fields)  # the logging module's
    direct, reference = (json.loads(line) for line in configured.getvalue().splitlines())
    assert direct.pop("time")[:10] == reference.pop("time")[:10]  # a second may tick between
    assert direct == reference
    assert list(direct) == list(reference)  # the same order of keys too


def test_a_line_goes_through_logging_when_anything_else_listens(configured):
    audit = logging.getLogger("silta.audit")
    seen: list[logging.LogRecord] = []
    recorder = logging.Handler()
    recorder.emit = seen.append
    audit.addHandler(recorder)
    try:
        logs.info(audit, "code.issued", {"event": "code.issued", "client_id": "tax"})
    finally:
        audit.removeHandler(recorder)
    assert [r.client_id for r in seen] == ["tax"]  # the record, with its extras
    assert json.loads(configured.getvalue())["client_id"] == "tax"  # and the line all the same


def test_a_level_above_info_silences_the_direct_path_too(configured):
    logging.getLogger("silta").setLevel(logging.WARNING)
    logs.info(logging.getLogger("silta.access"), "request.served", {"status": 200})
    assert configured.getvalue() == ""
