"""Queries shared across concerns."""

from __future__ import annotations

from flask import g
from flask import has_app_context
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..hashing import digest
from .models import UsedJti


def connection() -> Connection:
    """The connection of the ORM session's current transaction, for Core statements.

    Looked up once per transaction and kept on the request: ``db.session.connection()`` walks
    the scoped session and its transaction state on every call. A commit or rollback closes
    that connection, so a closed one is never handed out; the next call opens the new one.
    """
    if not has_app_context():
        return db.session.connection()
    kept = g.get("_silta_connection")
    if kept is None or kept.closed or not kept.in_transaction():
        kept = g._silta_connection = db.session.connection()
    return kept


def spend_once(*parts: str, expires_at: int) -> bool:
    """Record a one-time identifier (a `jti`); False if it was already spent.

    The primary key makes this atomic across nodes. It is committed on a connection of its own,
    so it stays spent even when the request that spent it then fails and rolls back (a
    savepoint behaved differently on SQLite, which kept it, and PostgreSQL, which did not).
    """
    try:
        with db.engine.begin() as connection:
            connection.execute(
                db.insert(UsedJti).values(key=digest("\0".join(parts)), expires_at=expires_at)
            )
    except IntegrityError:
        return False
    return True
