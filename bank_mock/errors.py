"""One error tree for the bank's pages, rendered in one place with an error id that is logged.

OAuth errors toward the client are Authlib's and travel back on the redirect; everything here
is shown to a person, never as a stack trace.
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask
from flask import jsonify
from flask import request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .pages import render_page

log = logging.getLogger("bank_mock.errors")
JSON_PATHS = frozenset({"/token", "/jwks.json", "/.well-known/openid-configuration", "/healthz"})


class PageError(Exception):
    """An error shown to the citizen: a translated sentence, a code and an HTTP status."""

    status = 400
    code = "bad_request"
    message = "error.bad_request"  # an i18n key

    def __init__(self, detail: str | None = None, *, code: str | None = None) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        if code is not None:
            self.code = code


class UntrustedRequest(PageError):
    """A request whose redirect URI is not trusted: shown here, never redirected."""

    code = "invalid_request"


class LoginExpired(PageError):
    """The login transaction is unknown, expired, finished, or another browser's."""

    status = 410
    code = "login_expired"
    message = "error.login_expired"


class RateLimited(PageError):
    """Too many login posts from one address this minute."""

    status = 429
    code = "rate_limited"
    message = "error.rate_limited"


class BankUnavailable(PageError):
    """The `down` scenario: the bank answers nothing but 503."""

    status = 503
    code = "temporarily_unavailable"
    message = "error.unavailable"


class ServerErrorPage(PageError):
    """The `error_page` scenario: the bank's authorization endpoint fails."""

    status = 500
    code = "server_error"
    message = "error.server"


def render_error(code: str, message: str, status: int, detail: str | None = None):
    """Log an error id and show the error as a page, or as JSON to a machine endpoint."""
    error_id = secrets.token_hex(4)
    log.warning("error.shown id=%s code=%s status=%s", error_id, code, status)
    if request.path in JSON_PATHS or request.accept_mimetypes.best == "application/json":
        return jsonify(error=code, error_description=detail or code), status
    return render_page(
        "error.html", status=status, code=code, message=message, detail=detail, error_id=error_id
    )


def register_error_handlers(app: Flask) -> None:
    """Render every error, expected or not, in one place."""

    @app.errorhandler(PageError)
    def page_error(error: PageError):
        return render_error(error.code, error.message, error.status, error.detail)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error("csrf", "error.csrf", 400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        key = {404: "error.not_found", 405: "error.bad_request"}.get(
            error.code, "error.bad_request"
        )
        return render_error(error.name.lower().replace(" ", "_"), key, error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        error_id = secrets.token_hex(4)
        log.exception("error.unexpected id=%s", error_id)
        return render_page(
            "error.html", status=500, code="server_error", message="error.server", error_id=error_id
        )
