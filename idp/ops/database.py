"""Schema migrations (Alembic) and the sweep of expired rows."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from ..extensions import db
from ..oidc import backchannel
from ..oidc import keys
from ..storage.models import AuthorizationCode
from ..storage.models import CardChallenge
from ..storage.models import Interaction
from ..storage.models import LoginSession
from ..storage.models import LogoutDelivery
from ..storage.models import PushedRequest
from ..storage.models import Token
from ..storage.models import UpstreamLogin
from ..storage.models import UsedJti
from ..storage.models import now

MIGRATIONS = Path(__file__).parents[1] / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(revision: str = "head") -> None:
    """Bring the schema to ``revision``; safe to run on every start and on every node."""
    with db.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    with db.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)


def sweep(grace: int = 3600) -> dict[str, int]:
    """Delete rows whose life ended over ``grace`` seconds ago; run by a command, not a request."""
    cutoff = now() - grace
    deleted = {
        "interactions": db.delete(Interaction).where(Interaction.expires_at < cutoff),
        "codes": db.delete(AuthorizationCode).where(AuthorizationCode.expires_at < cutoff),
        "sessions": db.delete(LoginSession).where(LoginSession.expires_at < cutoff),
        "tokens": db.delete(Token).where(
            Token.access_expires_at < cutoff,
            (Token.refresh_expires_at.is_(None)) | (Token.refresh_expires_at < cutoff),
        ),
        "client_assertions": db.delete(UsedJti).where(UsedJti.expires_at < cutoff),
        "upstream_logins": db.delete(UpstreamLogin).where(UpstreamLogin.expires_at < cutoff),
        "card_challenges": db.delete(CardChallenge).where(CardChallenge.expires_at < cutoff),
        "pushed_requests": db.delete(PushedRequest).where(PushedRequest.expires_at < cutoff),
        # Undelivered logouts stay: the outbox retries them until they arrive.
        "logout_deliveries": db.delete(LogoutDelivery).where(
            LogoutDelivery.delivered_at.is_not(None), LogoutDelivery.delivered_at < cutoff
        ),
    }
    counts = {name: db.session.execute(statement).rowcount for name, statement in deleted.items()}
    counts["signing_keys_settled"] = len(keys.settle())
    counts["logouts_delivered"] = backchannel.deliver_due()
    db.session.commit()
    return counts
