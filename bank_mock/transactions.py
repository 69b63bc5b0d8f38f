"""Login transactions: the server-side state of one citizen's way through the bank's screens.

`/authorize` stores one and sends the browser to the screens with its uid; the browser's own
random id (kept in its cookie) must match, so a copied link is useless in another browser.
Each step moves the row from one state to the next by an atomic conditional update.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from flask import session as browser_cookie

from .errors import LoginExpired
from .extensions import db
from .models import LoginTransaction
from .models import now

LIFETIME = 600  # seconds a citizen has to log in and decide

PASSWORD = "password"  # waiting for customer number and password
CODE = "code"  # waiting for the key code
RELEASE = "release"  # logged in; waiting for Continue or Cancel
DONE = "done"  # answered: a code or an error went back to the client


def _browser_hash() -> str:
    token = browser_cookie.get("browser")
    if not token:
        token = browser_cookie["browser"] = secrets.token_urlsafe(32)
    return hashlib.sha256(token.encode()).hexdigest()


def create(client_id: str, params: dict) -> LoginTransaction:
    """Store a verified authorization request; the caller commits."""
    tx = LoginTransaction(
        uid=secrets.token_urlsafe(32),
        client_id=client_id,
        params=params,
        browser_hash=_browser_hash(),
        state=PASSWORD,
        expires_at=now() + LIFETIME,
    )
    db.session.add(tx)
    return tx


def load(uid: str, *states: str) -> LoginTransaction:
    """The open transaction of this browser in one of `states`; LoginExpired otherwise."""
    tx = db.session.get(LoginTransaction, uid)
    if (
        tx is None
        or tx.expires_at <= now()
        or not secrets.compare_digest(tx.browser_hash, _browser_hash())
        or tx.state not in states
    ):
        raise LoginExpired()
    return tx


def advance(tx: LoginTransaction, to_state: str, *from_states: str, **values) -> None:
    """Move the transaction on if it is still in one of `from_states`; LoginExpired if not."""
    moved = db.session.execute(
        sa.update(LoginTransaction)
        .where(LoginTransaction.uid == tx.uid, LoginTransaction.state.in_(from_states))
        .values(state=to_state, **values)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if moved != 1:
        db.session.rollback()
        raise LoginExpired()
