"""Log lines as JSON objects, one per line, for operators and their log shippers."""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import has_request_context

from . import request_id

_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_encode = json.JSONEncoder(default=str, ensure_ascii=False).encode


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, then the record's extras.

    Every request writes several lines (its access line and its audit events), so the
    timestamp, which only changes once a second, is formatted once a second.
    """

    _stamp: tuple[int, str] = (-1, "")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self._time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if "request_id" not in entry and has_request_context():
            entry["request_id"] = request_id.current()  # every line of a request carries it
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _encode(entry)

    def _time(self, created: float) -> str:
        second, text = self._stamp
        if int(created) != second:
            second = int(created)
            text = time.strftime("%Y-%m-%dT%H:%M:%S%z", self.converter(second))
            self._stamp = (second, text)  # one assignment: threads see either pair, never half
        return text


def configure(level: int = logging.INFO, stream=None) -> None:
    """Send the broker's own loggers (`silta.*`) to standard error (or ``stream``) as JSON lines.

    The lines name no thread, process or source line, so the logging module is told not to
    look them up for each record (the "Optimization" table of the Python logging HOWTO).
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("silta")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # no sys._getframe walk per record
