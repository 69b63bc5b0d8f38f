"""The database: engine options, SQLite pragmas, schema migrations (Alembic), the sweep."""

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


def engine_options(url: str) -> dict:
    """SQLAlchemy engine options: a bounded, self-healing pool for a server, SQLite's own."""
    if url and not url.startswith("sqlite"):
        # pool_pre_ping: a connection the database dropped (a restart, a failover) is noticed
        # and replaced before use, so the broker recovers without a restart; connect_timeout
        # bounds the wait for a database that does not answer at all.
        return {
            "pool_pre_ping": True,
            "pool_size": 5,
            "max_overflow": 5,
            "pool_timeout": 10,
            "connect_args": {"connect_timeout": 5},
        }
    return {"connect_args": {"timeout": 15, "check_same_thread": False}}


def sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the one writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A checkpoint (the WAL copied back into the database, then synced) runs inside whichever
    # commit crosses the threshold, and that request waits for the disk. Every 10,000 pages
    # (about 40 MB of log) instead of SQLite's 1,000 syncs a tenth as often; durability is
    # unchanged, the log just grows larger between checkpoints (docs/performance.md).
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.close()


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
