"""Receiving a back-channel logout (OpenID Connect Back-Channel Logout 1.0 §2.5–§2.8).

The broker POSTs a logout token when a citizen's broker session ends. The token is checked
(tokens.py), its `jti` is spent once, and every local session of that `sid` (or `sub`) ends:
the rows go, so the browser's next request here finds no login.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from . import tokens
from .client import broker_client
from .extensions import db
from .models import SpentLogoutToken
from .models import now
from .sessions import end_sessions

log = logging.getLogger("relying_parties.logout")


class LogoutRejected(Exception):
    """The logout token failed a check, or was seen before; ``reason`` names which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def receive(raw: str | None) -> int:
    """Validate a logout token and end its sessions; return how many ended."""
    if not raw:
        raise LogoutRejected("no_logout_token")
    client = broker_client()
    try:
        claims = tokens.check_logout_token(
            raw,
            client.broker_keys,
            issuer=client.issuer,
            client_id=client.client_id,
            alg="RS256",
            enc_key=client.keys.enc if client.keys else None,
        )
    except tokens.TokenInvalid as invalid:
        raise LogoutRejected(invalid.reason) from None
    _spend(str(claims["jti"]), int(claims["exp"]))
    ended = end_sessions(claims.get("sid"), claims.get("sub"))
    log.info("logout.received sid=%s sessions_ended=%s", claims.get("sid"), ended)
    return ended


def _spend(jti: str, expires_at: int) -> None:
    """§2.6 step 6: a `jti` is accepted once; it is kept until its token could not pass anyway."""
    db.session.execute(db.delete(SpentLogoutToken).where(SpentLogoutToken.expires_at < now()))
    db.session.add(SpentLogoutToken(jti=jti, expires_at=expires_at + tokens.LEEWAY))
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise LogoutRejected("jti_replayed") from None
