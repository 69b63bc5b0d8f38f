"""One error tree for the citizen-facing pages, rendered in one place.

OAuth errors toward services are Authlib's (``authlib.oauth2.rfc6749.errors``) and travel back
to the service. Everything here is shown to a person: a plain sentence, an HTTP status, and an
error id that is also logged, never a stack trace.
"""

from __future__ import annotations

import contextlib
import logging

from flask import Flask
from flask import g
from flask import jsonify
from flask import render_template
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as database_errors
from werkzeug.exceptions import HTTPException

from .ops import request_id

log = logging.getLogger("silta.errors")


class PageError(Exception):
    """An error shown to the citizen as a page."""

    status = 400
    code = "bad_request"
    message = _l("The request could not be understood.")

    def __init__(self, message=None, *, status: int | None = None, code: str | None = None):
        super().__init__(str(message or self.message))
        if message is not None:
            self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code


class InteractionExpired(PageError):
    status = 410
    code = "interaction_expired"
    message = _l(
        "This login has expired or was already finished. Return to the service and start again."
    )


class InvalidClientRequest(PageError):
    """A request with an untrusted redirect URI: shown, not redirected (RFC 6749 §4.1.2.1)."""

    code = "invalid_request"


class NotLoggedIn(PageError):
    status = 401
    code = "login_required"
    message = _l("Log in first to see this page.")


TRY_AGAIN = _l("Something went wrong on our side. Please try again in a moment.")
# The database cannot be reached (a restart, a failover) or its pool is exhausted: worth a retry.
DATABASE_UNAVAILABLE = (
    database_errors.OperationalError,
    database_errors.InterfaceError,
    database_errors.TimeoutError,
)


def render_error(code: str, message: str, status: int):
    """The error page; its error id is the request id, so support finds the request's log lines."""
    error_id = request_id.current()
    log.warning("error.shown", extra={"error_id": error_id, "code": code, "status": status})
    return render_template("error.html", code=code, message=message, error_id=error_id), status


def database_unavailable(error: Exception):
    """503 while the database is away: a page for people, an OAuth error for services.

    RFC 6749 §4.1.2.1 names `temporarily_unavailable` for this; services calling the token,
    userinfo or other back-channel endpoints get it as JSON, browsers get the page.
    """
    from .extensions import db

    g.database_unavailable = True
    with contextlib.suppress(database_errors.SQLAlchemyError):
        db.session.rollback()  # the connection is gone already; nothing left to undo
    log.warning(
        "database.unavailable",
        extra={"error_id": request_id.current(), "error": error.__class__.__name__},
    )
    headers = {"Retry-After": "5"}
    if _wants_json():
        body = {"error": "temporarily_unavailable", "error_description": str(TRY_AGAIN)}
        return jsonify(body), 503, {**headers, "Cache-Control": "no-store"}
    page, status = render_error("temporarily_unavailable", str(TRY_AGAIN), 503)
    return page, status, headers


def _wants_json() -> bool:
    """A service's HTTP client (JSON or anything) rather than a browser asking for a page."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best != "text/html"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(PageError)
    def page_error(error: PageError):
        return render_error(error.code, str(error.message), error.status)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            "csrf", str(_l("This form has expired. Go back, reload the page and try again.")), 400
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        page, status = render_error(
            error.name.lower().replace(" ", "_"), error.description or "", error.code
        )
        # Keep the exception's own headers: a 405 must say which methods are allowed
        # (RFC 9110 §15.5.6), a 401 its challenge.
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        return page, status, headers

    for kind in DATABASE_UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        error_id = request_id.current()
        log.exception("error.unexpected", extra={"error_id": error_id})
        return render_template(
            "error.html",
            code="server_error",
            error_id=error_id,
            message=TRY_AGAIN,
        ), 500
