"""OpenID Connect Back-Channel Logout 1.0: tell each service of an ended session, reliably.

An ended session owes a logout token to every service it released data to. The debt is a row in
an outbox, written with the session's end; the broker delivers at once and, on failure, again
with backing-off retries (from `silta sweep` and each serving process), so a broker restart loses
nothing. Every call is bounded by a timeout.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import requests
from flask import Response
from flask import after_this_request
from flask import current_app
from joserfc import jwt

from .. import accounts
from ..extensions import db
from ..storage import codes
from ..storage import logout_deliveries
from ..storage import people
from ..storage import transaction
from ..storage.models import Client
from ..storage.models import LoginSession
from ..storage.models import LogoutDelivery
from ..storage.models import now
from . import keys

EVENT = "http://schemas.openid.net/event/backchannel-logout"
TIMEOUT = 2  # seconds per delivery attempt
BACKOFF = (10, 30, 60, 300, 900, 1800, 3600)  # seconds before attempts 2, 3, …
MAX_ATTEMPTS = len(BACKOFF) + 1


def owe_logouts(_sender: Any, session: LoginSession) -> None:
    """The receiver of ``sessions.session_ended``, connected when the server is set up."""
    enqueue(session)


def enqueue(session: LoginSession) -> list[LogoutDelivery]:
    """Owe a logout to each service that got a code in this session; the caller commits."""
    clients = [
        c
        for c in (db.session.get(Client, cid) for cid in codes.clients_of_session(session.sid))
        if c is not None and c.backchannel_logout_uri
    ]
    person = people.facts(session.person_id) if clients else None
    if person is None:
        return []
    owed = [
        LogoutDelivery(
            client_id=c.client_id,
            session_sid=session.sid,
            subject=accounts.subject_for(person, c),
            next_attempt_at=now(),
        )
        for c in clients
    ]
    db.session.add_all(owed)

    @after_this_request
    def deliver_after_commit(response: Response) -> Response:
        if response.status_code < 400:
            for delivery in owed:
                deliver(delivery.id)
        return response

    return owed


def logout_token(delivery: LogoutDelivery, client: Client) -> str:
    """§2.4: iss, aud, iat, exp, jti, sub, sid and the event; never a nonce."""
    issued = int(time.time())
    key = keys.cache().signing_key(client.id_token_signed_response_alg)
    claims = {
        "iss": current_app.config["ISSUER"],
        "aud": client.client_id,
        "iat": issued,
        "exp": issued + 120,
        "jti": uuid.uuid4().hex,
        "sub": delivery.subject,
        "sid": delivery.session_sid,
        "events": {EVENT: {}},
    }
    header = {"alg": client.id_token_signed_response_alg, "kid": key.kid, "typ": "logout+jwt"}
    return jwt.encode(header, claims, key)


def deliver(delivery_id: int) -> bool:
    """One attempt, claimed atomically so two nodes never send the same attempt."""
    row = db.session.get(LogoutDelivery, delivery_id)
    if row is None or row.delivered_at is not None or row.attempts >= MAX_ATTEMPTS:
        return False
    wait = BACKOFF[min(row.attempts, len(BACKOFF) - 1)]
    claimed = logout_deliveries.claim_attempt(row, next_attempt_at=now() + wait)
    transaction.commit()
    if not claimed:
        return False
    client = db.session.get(Client, row.client_id)
    error = None
    if client is None or not client.backchannel_logout_uri:
        error = "the service no longer takes back-channel logouts"
    else:
        try:
            response = requests.post(
                client.backchannel_logout_uri,
                timeout=TIMEOUT,
                data={"logout_token": logout_token(row, client)},
            )
            if response.status_code not in (200, 204):  # §2.8
                error = f"answered {response.status_code}"
        except requests.RequestException as failure:
            error = failure.__class__.__name__
    db.session.refresh(row)
    if error is None:
        row.delivered_at = now()
    row.last_error = error
    transaction.commit()
    return error is None


def deliver_due(limit: int = 100) -> int:
    """Retry every delivery whose time has come; return how many arrived."""
    due = logout_deliveries.due(MAX_ATTEMPTS, limit)
    return sum(deliver(delivery_id) for delivery_id in due)
