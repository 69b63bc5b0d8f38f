"""One-time identifiers already seen: the `jti` of assertions, request objects, DPoP proofs."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..hashing import digest
from .models import UsedJti
from .transaction import db


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
