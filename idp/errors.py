"""One error tree for the citizen-facing pages, rendered in one place.

OAuth errors toward services are Authlib's (``authlib.oauth2.rfc6749.errors``) and travel back
to the service. Everything here is shown to a person: a plain sentence, an HTTP status, and an
error id that is also logged, never a stack trace.
"""

from __future__ import annotations

import logging

from flask import Flask
from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .hashing import new_secret

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


def render_error(code: str, message: str, status: int):
    error_id = new_secret(6)
    log.warning("error.shown", extra={"error_id": error_id, "code": code, "status": status})
    return render_template("error.html", code=code, message=message, error_id=error_id), status


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
        return render_error(
            error.name.lower().replace(" ", "_"), error.description or "", error.code
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        error_id = new_secret(6)
        log.exception("error.unexpected", extra={"error_id": error_id})
        return render_template(
            "error.html",
            code="server_error",
            error_id=error_id,
            message=_l("Something went wrong on our side. Please try again in a moment."),
        ), 500
