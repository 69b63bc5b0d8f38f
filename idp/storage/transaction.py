"""The request's one transaction: the database binding, the ORM session, and the one way to end
a transaction (``commit``, ``rollback``).

A request's statements run on one connection in one transaction. The single sign-on requests
run only Core statements (``fast.FastStatement``) on a Core connection of their own, without
the ORM session's begin, commit and close (about 50 µs a request against 15 µs); should ORM work
follow in the same request, the session joins that connection and takes its transaction as its
own (``join_transaction_mode="control_fully"``), so everything a request did still commits or
rolls back together (docs/decisions/0001-hot-path.md, round 4).
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING
from typing import Any
from typing import cast

import sqlalchemy as sa
from flask import g
from flask import has_app_context
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as _FlaskSession
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import registry

REQUEST_CONNECTION = "_silta_request_connection"  # the Core connection a request opened
_CURRENT = "_silta_connection"  # the connection of the request's transaction, once looked up


class Base(DeclarativeBase):
    # Unix times outlive 2038 only in 64 bits; SQLite's INTEGER is already 64-bit and is the
    # only type it auto-increments.
    registry = registry(
        type_annotation_map={int: sa.BigInteger().with_variant(sa.Integer(), "sqlite")}
    )


def request_connection() -> Connection | None:
    """The Core connection this request (or command) opened for its statements, if any."""
    if not has_app_context():
        return None
    connection: Connection | None = g.get(REQUEST_CONNECTION)
    return connection if connection is not None and not connection.closed else None


class Session(_FlaskSession):
    """Flask-SQLAlchemy's session (3.1.1), sharing the request's Core connection once there is one.

    ``get_bind`` is Flask-SQLAlchemy's documented way to choose a session's bind; answering the
    request's connection makes ORM work join the Core transaction, and ``commit``/``rollback``
    end that transaction too, whoever began it.
    """

    def get_bind(
        self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any
    ) -> Any:
        if bind is None:
            shared = request_connection()
            if shared is not None:
                return shared
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)

    def commit(self) -> None:
        super().commit()
        shared = request_connection()
        if shared is not None and shared.in_transaction():
            shared.commit()

    def rollback(self) -> None:
        super().rollback()
        shared = request_connection()
        if shared is not None and shared.in_transaction():
            shared.rollback()


db = SQLAlchemy(
    model_class=Base,
    session_options={"class_": Session, "join_transaction_mode": "control_fully"},
)

if TYPE_CHECKING:

    class Model(Base):
        """What mypy is told ``db.Model`` is: the declarative base (Flask-SQLAlchemy builds the
        real class at run time, adding table names and binds, which mypy cannot follow)."""

        __abstract__ = True

else:
    Model = db.Model  # every table's base class


def connection() -> Connection:
    """The connection of this request's transaction, for Core statements.

    If the ORM session began the transaction, its connection. Otherwise the request opens a
    Core connection of its own and begins a transaction on it; ORM work later in the same
    request joins it (``Session`` above). Kept on the request (``g``); a commit or rollback ends
    the transaction, and the next call begins the next one. ``release`` closes it when the app
    context ends.
    """
    if not has_app_context():
        return db.session.connection()
    kept: Connection | None = g.get(_CURRENT)
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
    setattr(g, _CURRENT, kept)
    return kept


def commit() -> None:
    """Commit what this request did: the one way a transaction is committed."""
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


def release(_error: BaseException | None = None) -> None:
    """End of the app context: the request's own connection goes back to the pool (an
    unfinished transaction on it is rolled back, as the ORM session's would be), or, in a
    worker that keeps it between requests, stays checked out with its transaction ended."""
    own: Connection | None = g.pop(REQUEST_CONNECTION, None)
    g.pop(_CURRENT, None)
    if own is None:
        return
    kept_between_requests = own is getattr(_kept, "connection", None)
    if kept_between_requests and not own.invalidated:
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
    kept: Connection | None = getattr(_kept, "connection", None)
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
    driver = kept.connection.dbapi_connection
    if driver is None:
        return False
    try:
        return bool(kept.dialect.do_ping(driver))
    except kept.dialect.loaded_dbapi.Error:
        kept.invalidate()
        return False


def _orm_session_in_transaction() -> bool:
    return db.session.registry.has() and db.session().in_transaction()


def ping() -> None:
    """One round trip to the database (``/readyz``); raises SQLAlchemy's error if it fails."""
    db.session.execute(sa.text("SELECT 1"))


def rows_changed(statement: sa.Executable) -> int:
    """Run an UPDATE or DELETE through the ORM session, in the request's transaction; how many
    rows it changed."""
    return cast(sa.CursorResult[Any], db.session.execute(statement)).rowcount
