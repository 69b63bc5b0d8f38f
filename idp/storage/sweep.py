"""Rows whose life ended: deleted by ``silta sweep`` (ARCHITECTURE §5), never by a request."""

from __future__ import annotations

import sqlalchemy as sa

from .models import AuthorizationCode
from .models import CardChallenge
from .models import Interaction
from .models import LoginSession
from .models import LogoutDelivery
from .models import PushedRequest
from .models import Token
from .models import UpstreamLogin
from .models import UsedJti
from .transaction import rows_changed


def expired(cutoff: int) -> dict[str, int]:
    """Delete what ended before ``cutoff``; the count per kind. The caller commits."""
    deleted = {
        "interactions": sa.delete(Interaction).where(Interaction.expires_at < cutoff),
        "codes": sa.delete(AuthorizationCode).where(AuthorizationCode.expires_at < cutoff),
        "sessions": sa.delete(LoginSession).where(LoginSession.expires_at < cutoff),
        "tokens": sa.delete(Token).where(
            Token.access_expires_at < cutoff,
            (Token.refresh_expires_at.is_(None)) | (Token.refresh_expires_at < cutoff),
        ),
        "client_assertions": sa.delete(UsedJti).where(UsedJti.expires_at < cutoff),
        "upstream_logins": sa.delete(UpstreamLogin).where(UpstreamLogin.expires_at < cutoff),
        "card_challenges": sa.delete(CardChallenge).where(CardChallenge.expires_at < cutoff),
        "pushed_requests": sa.delete(PushedRequest).where(PushedRequest.expires_at < cutoff),
        # Undelivered logouts stay: the outbox retries them until they arrive.
        "logout_deliveries": sa.delete(LogoutDelivery).where(
            LogoutDelivery.delivered_at.is_not(None), LogoutDelivery.delivered_at < cutoff
        ),
    }
    return {name: rows_changed(statement) for name, statement in deleted.items()}
