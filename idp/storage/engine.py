"""The database engine: its options per database, SQLite's settings, and binding it to an app."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from . import transaction
from .transaction import db


def options(url: str) -> dict[str, Any]:
    """SQLAlchemy's engine options for the configured database (``DATABASE_URL``)."""
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


def init_app(app: Flask) -> None:
    """Bind the database to an app; the request's connection is released when its context ends."""
    # Registered before Flask-SQLAlchemy's own teardown, so it runs after it (Flask runs them
    # in reverse): the session is closed first, then the connection it may have shared.
    app.teardown_appcontext(transaction.release)
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
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
