"""A party's own database: its URL or an SQLite file in its instance folder, and SQLite's pragmas.

The mock parties (banks, card authority, services, witness) keep small schemas of their own,
made with ``create_all`` at start-up, without migrations. On SQLite, write-ahead logging lets
their pages read while a login writes, and a 15-second busy timeout lets a second writer wait
instead of failing. The broker binds its database itself (idp/storage/engine.py): it has
migrations and a tuned hot path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

SQLITE_BUSY_SECONDS = 15


def bind(app: Flask, db: SQLAlchemy, filename: str, *, foreign_keys: bool = False) -> None:
    """Bind ``db`` to ``app``: ``DATABASE_URL``, or ``<instance>/<filename>`` on SQLite."""
    url = app.config.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path)}/{filename}"
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}}
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _wal if not foreign_keys else _wal_and_keys)


def _wal(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the one writer
    cursor.close()


def _wal_and_keys(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite enforces foreign keys only when asked
    cursor.close()
