"""One error tree for the issuer, rendered in one place: JSON on /api, pages elsewhere.

Unexpected errors get an error id that is shown and logged, never a stack trace.
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask
from flask import Response
from flask import jsonify
from flask import request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .web import render_page

log = logging.getLogger("card_mock.issuer.errors")


class IssuerError(Exception):
    """An error with a code, an i18n message key and an HTTP status."""

    status = 400
    code = "bad_request"
    message = "error.bad_request"


class Unauthenticated(IssuerError):
    """The API call carries no valid verifier credentials."""

    status = 401
    code = "unauthenticated"


class Forbidden(IssuerError):
    """The verifier may not call this endpoint."""

    status = 403
    code = "forbidden"


class NotFound(IssuerError):
    """The holder, card or page does not exist."""

    status = 404
    code = "not_found"
    message = "error.not_found"


class RateLimited(IssuerError):
    """Too many requests from one address this minute."""

    status = 429
    code = "rate_limited"
    message = "error.rate_limited"


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, code: str, message: str, error_id: str | None = None) -> Response:
    if _is_api():
        response = jsonify(error=code)
        response.status_code = status
        if status == 401:  # RFC 9110 §11.6.1: say how to authenticate
            response.headers["WWW-Authenticate"] = 'Basic realm="silta-card", Bearer'
        return response
    return render_page("error.html", status=status, message=message, error_id=error_id)


def register_error_handlers(app: Flask) -> None:
    """Route every error to one renderer."""

    @app.errorhandler(IssuerError)
    def issuer_error(error: IssuerError) -> Response:
        return _render(error.status, error.code, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> Response:
        return _render(400, "csrf", "error.csrf")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        message = "error.not_found" if status == 404 else "error.bad_request"
        return _render(status, (error.name or "error").lower().replace(" ", "_"), message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        error_id = secrets.token_hex(6)
        log.exception("Unexpected error %s on %s %s", error_id, request.method, request.path)
        return _render(500, "server_error", "error.server", error_id)
