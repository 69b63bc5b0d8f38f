"""One error tree for the bridge, rendered in one place: JSON on /api, pages elsewhere.

Each error has a code (the contract's, where it names one), an i18n message key and an HTTP
status. Unexpected errors get an error id that is shown and logged, never a stack trace, and
no message here ever carries a PIN or a reset code.
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

log = logging.getLogger("card_mock.reader.errors")


class ReaderError(Exception):
    """An error with a code, an i18n message key and an HTTP status."""

    status = 400
    code = "bad_request"
    message = "error.bad_request"


class OriginNotAllowed(ReaderError):
    """The page was opened for an origin that is not among READER_ALLOWED_ORIGINS."""

    status = 403
    code = "origin_not_allowed"
    message = "error.origin"


class BadChallenge(ReaderError):
    """The challenge is not the standard base64 of 32 bytes."""

    code = "bad_challenge"
    message = "error.challenge"


class NoCard(ReaderError):
    """No usable card with this serial is in the reader."""

    status = 404
    code = "no_card"
    message = "error.no_card"


class CardLocked(ReaderError):
    """The card's PIN tries are spent: it refuses until it is unblocked."""

    status = 409
    code = "card_locked"
    message = "locked.text"


class WrongPin(ReaderError):
    """The card refused the PIN; `tries_left` tries remain."""

    code = "wrong_pin"
    message = "error.wrong_pin"

    def __init__(self, tries_left: int) -> None:
        super().__init__(f"wrong PIN, {tries_left} tries left")
        self.tries_left = tries_left


class ResetBlocked(ReaderError):
    """Too many wrong reset codes: the card can no longer be unblocked, only replaced."""

    status = 409
    code = "reset_blocked"
    message = "error.reset_blocked"


class InvalidResetCode(ReaderError):
    """The authority refused the reset code (wrong, used, expired or another card's)."""

    code = "invalid_code"
    message = "error.invalid_code"

    def __init__(self, tries_left: int = 0) -> None:
        super().__init__(f"reset code refused, {tries_left} tries left")
        self.tries_left = tries_left


class IssuerUnavailable(ReaderError):
    """The card authority did not answer the reset-code check in time, or not as agreed."""

    status = 503
    code = "issuer_unavailable"
    message = "error.issuer"


class CardFailed(ReaderError):
    """The token refused an operation it should have done; nothing on the card changed."""

    status = 500
    code = "card_failed"
    message = "error.card_failed"


def register_error_handlers(app: Flask) -> None:
    """Route every error to one renderer."""
    from .web import render_page

    def render(status: int, code: str, message: str, error_id: str | None = None) -> Response:
        if request.path.startswith("/api/"):
            response = jsonify(error=code)
            response.status_code = status
            return response
        return render_page("error.html", status=status, message=message, error_id=error_id)

    @app.errorhandler(ReaderError)
    def reader_error(error: ReaderError) -> Response:
        return render(error.status, error.code, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> Response:
        return render(400, "csrf", "error.csrf")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        message = "error.not_found" if status == 404 else "error.bad_request"
        return render(status, (error.name or "error").lower().replace(" ", "_"), message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        error_id = secrets.token_hex(6)
        log.exception("Unexpected error %s on %s %s", error_id, request.method, request.path)
        return render(500, "server_error", "error.server", error_id)
