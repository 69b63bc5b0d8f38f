"""Unbound extension singletons, bound to an app in ``create_app``."""

import sqlalchemy as sa
from flask import current_app
from flask import g
from flask import has_app_context
from flask import request
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as _FlaskSession
from flask_wtf import csrf as flask_wtf_csrf
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import registry


class Base(DeclarativeBase):
    # Unix times outlive 2038 only in 64 bits; SQLite's INTEGER is already 64-bit and is the
    # only type it auto-increments.
    registry = registry(
        type_annotation_map={int: sa.BigInteger().with_variant(sa.Integer(), "sqlite")}
    )


class CSRFProtect(flask_wtf_csrf.CSRFProtect):
    """Flask-WTF's protection, answering safe methods before its exemption look-up.

    Flask-WTF looks up the view's exemption (a string built from the view's module and name)
    before it asks whether the method needs a token at all; GET and HEAD never do, and they
    are most of the requests, single sign-on's `/authorize` and `/userinfo` among them.
    """

    def protect(self, apply_exemptions: bool = False) -> None:
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        super().protect(apply_exemptions)


REQUEST_CONNECTION = "_silta_request_connection"  # storage/queries.py opens and closes it


def request_connection() -> sa.Connection | None:
    """The Core connection this request (or command) opened for its statements, if any."""
    if not has_app_context():
        return None
    connection = g.get(REQUEST_CONNECTION)
    return connection if connection is not None and not connection.closed else None


class Session(_FlaskSession):
    """Flask-SQLAlchemy's session, sharing the request's Core connection once there is one.

    The single sign-on requests run only Core statements, on a connection of their own
    (``queries.connection``), without the ORM session's lifecycle (about 50 µs a request).
    Should ORM work follow in the same request, the session joins that connection and takes
    its transaction as its own (``join_transaction_mode="control_fully"``), so a request is
    still one transaction; ``commit`` and ``rollback`` end it, whoever began it.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
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
babel = Babel()
csrf = CSRFProtect()
