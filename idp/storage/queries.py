"""Queries shared across concerns."""

from __future__ import annotations

import os
import threading

from flask import g
from flask import has_app_context
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..extensions import REQUEST_CONNECTION
from ..extensions import db
from ..extensions import request_connection
from ..hashing import digest
from .models import UsedJti


def connection() -> Connection:
    """The connection of this request's transaction, for Core statements.

    If the ORM session began the transaction, its connection. Otherwise the request opens a
    Core connection of its own and begins a transaction on it: the single sign-on requests
    never need the ORM session, whose begin, commit and close cost about 50 µs a request
    against 15 µs. ORM work later in the same request joins that connection (the session
    class in ``extensions``), so everything a request does still commits or rolls back
    together. Kept on the request (``g``); a commit or rollback ends the transaction, and the
    next call begins the next one. ``release`` closes it when the app context ends.
    """
    if not has_app_context():
        return db.session.connection()
    kept = g.get("_silta_connection")
    if kept is not None and not kept.closed and kept.in_transaction():
        return kept
    own = request_connection()
    if own is None and _orm_session_in_transaction():
        kept = db.session.connection()  # the ORM began first: its transaction is the request's
    else:
        if own is None:
            own = _checkout()
            setattr(g, REQUEST_CONNECTION, own)
        if not own.in_transaction():
            own.begin()
        kept = own
    g._silta_connection = kept
    return kept


def commit() -> None:
    """Commit what this request did, through the ORM session only if it has one."""
    if db.session.registry.has():
        db.session.commit()  # the session's commit ends the shared transaction too
        return
    own = request_connection()
    if own is not None and own.in_transaction():
        own.commit()


def rollback() -> None:
    """Roll back what this request did; the counterpart of ``commit``."""
    if db.session.registry.has():
        db.session.rollback()
        return
    own = request_connection()
    if own is not None and own.in_transaction():
        own.rollback()


def release(_error=None) -> None:
    """End of the app context: the request's own connection goes back to the pool (an
    unfinished transaction on it is rolled back, as the ORM session's would be), or, in a
    worker that keeps it between requests, stays checked out with its transaction ended."""
    own = g.pop(REQUEST_CONNECTION, None)
    g.pop("_silta_connection", None)
    if own is None:
        return
    if own is getattr(_kept, "connection", None) and not own.invalidated:
        if own.in_transaction():
            own.rollback()
        return
    own.close()


# A worker that serves one request at a time on its main thread (gunicorn's sync and Silta's
# bjoern worker classes) keeps its connection checked out between requests: the pool's checkout
# and check-in (its reset rollback included) cost about 40 µs a request. What the pool does at
# those moments is done here instead: the transaction is ended after each request, a
# connection that failed is replaced, and where the pool would ping before handing out a
# connection (``pool_pre_ping``, PostgreSQL), the kept one is pinged before each request. A
# connection is never carried across a fork.
_kept = threading.local()
_keeping = [False]


def keep_between_requests() -> None:
    """Keep this process's main-thread connection between requests (see above)."""
    _keeping[0] = True


def _forget_inherited() -> None:
    _kept.__dict__.clear()  # the parent's; the pool was disposed of for the child already


os.register_at_fork(after_in_child=_forget_inherited)


def _checkout() -> Connection:
    engine = db.engine
    if not _keeping[0] or threading.current_thread() is not threading.main_thread():
        return engine.connect()
    kept = getattr(_kept, "connection", None)
    if kept is not None and kept.engine is engine and _usable(kept):
        return kept
    if kept is not None:
        kept.close()
    kept = _kept.connection = engine.connect()
    return kept


def _usable(kept: Connection) -> bool:
    if kept.closed or kept.invalidated:
        return False
    if not kept.engine.pool._pre_ping:
        return True
    try:
        return kept.dialect.do_ping(kept.connection.dbapi_connection)
    except kept.dialect.loaded_dbapi.Error:
        kept.invalidate()
        return False


def _orm_session_in_transaction() -> bool:
    return db.session.registry.has() and db.session().in_transaction()


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
