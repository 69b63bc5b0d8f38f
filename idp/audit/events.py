"""Named audit events, ``noun.verb``, each emitted once per fact (docs/events.md lists them)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import after_this_request
from flask import has_request_context

from ..ops import logs

log = logging.getLogger("silta.audit")
_subscribers: list[Callable[[str, dict], None]] = []  # e.g. idp.ops.metrics counts logins, consents

LOGIN_SUCCEEDED = "login.succeeded"
LOGIN_FAILED = "login.failed"
LOGIN_CANCELLED = "login.cancelled"
CARD_VERIFIED = "card.verified"
CARD_REFUSED = "card.refused"
SESSION_STARTED = "session.started"
SESSION_ENDED = "session.ended"
CONSENT_GRANTED = "consent.granted"
CONSENT_DECLINED = "consent.declined"
CONSENT_REVOKED = "consent.revoked"
CODE_ISSUED = "code.issued"
CODE_REUSED = "code.reused"
TOKEN_ISSUED = "token.issued"
TOKEN_REVOKED = "token.revoked"
TOKEN_REUSED = "token.reused"
CLAIMS_RELEASED = "claims.released"
AUTHORIZATION_REJECTED = "authorization.rejected"
CLIENT_REGISTERED = "client.registered"
CLIENT_REMOVED = "client.removed"

ALL = tuple(
    v for k, v in dict(globals()).items() if k.isupper() and isinstance(v, str) and "." in v
)


def emit_on_success(event: str, **fields) -> None:
    """Emit once this request's response is a success, i.e. after the view committed the fact.

    For facts written inside a request whose view commits at the end: a request that fails
    and rolls back leaves no event behind for something that was never stored.
    """

    if not has_request_context():  # a command, not a request: its caller has committed
        emit(event, **fields)
        return

    @after_this_request
    def emit_if_stored(response):
        if response.status_code < 400:
            emit(event, **fields)
        return response


def emit(event: str, **fields) -> None:
    """Log one audit event on ``silta.audit``: the message is the event, the fields ride along."""
    if event not in ALL:
        raise ValueError(f"unknown audit event {event!r}")
    logs.info(log, event, {"event": event, **fields})
    for callback in _subscribers:
        callback(event, fields)


def subscribe(callback: Callable[[str, dict], None]) -> None:
    """Call ``callback(event, fields)`` after each emitted event; subscribing twice is once."""
    if callback not in _subscribers:
        _subscribers.append(callback)
