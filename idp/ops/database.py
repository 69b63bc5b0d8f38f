"""The database: schema migrations (Alembic) and the sweep; its engine is idp/storage/engine.py."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import current_app

from ..extensions import db
from ..storage import sweep as expired_rows
from ..storage import transaction
from ..storage.models import now
from . import jobs

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
    """Delete rows whose life ended over ``grace`` seconds ago, then run the registered jobs
    (``jobs``); run by a command, not a request."""
    counts = expired_rows.expired(now() - grace)
    for job in jobs.registered(current_app):
        counts[job.name] = job.run()
    transaction.commit()
    return counts
