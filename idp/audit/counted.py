"""Audit events counted as Prometheus metrics: each login and consent fact where it is emitted,
once (subscribed to ``events`` in ``create_app``)."""

from __future__ import annotations

import re
from typing import Any

from ..ops.metrics import CONSENT_DECISIONS
from ..ops.metrics import LOGINS
from ..ops.metrics import UPSTREAM_ERRORS
from . import events

LOGIN_OUTCOMES = {
    events.LOGIN_SUCCEEDED: "succeeded",
    events.LOGIN_FAILED: "failed",
    events.LOGIN_CANCELLED: "cancelled",
}
CONSENT_EVENTS = {
    events.CONSENT_GRANTED: "granted",
    events.CONSENT_DECLINED: "declined",
    events.CONSENT_REVOKED: "revoked",
}
# A failure code that names the upstream's fault: unreachable or an error answer
# (`*_unavailable`, `*_error`), a token that failed a check (`*_token_*`), or a mix-up
# (`*_wrong_issuer`). Codes for the citizen's own doing (a stale answer, a cancel) do not count.
UPSTREAM_FAILURE = re.compile(r".+_(unavailable|error|wrong_issuer|token_\w+)")


def count_event(event: str, fields: dict[str, Any]) -> None:
    """The audit hook: each login and consent fact is counted where it is emitted, once."""
    if event in LOGIN_OUTCOMES:
        method = str(fields.get("method", "unknown"))
        LOGINS.labels(method, LOGIN_OUTCOMES[event]).inc()
        code = str(fields.get("code", ""))
        if event == events.LOGIN_FAILED and UPSTREAM_FAILURE.fullmatch(code):
            UPSTREAM_ERRORS.labels(method, code).inc()
    elif event in CONSENT_EVENTS:
        CONSENT_DECISIONS.labels(CONSENT_EVENTS[event]).inc()
