"""One error tree for a service's pages, rendered in one place with an error id that is logged.

Every error a citizen can meet is a page in their language saying what happened and how to try
again; nothing shows a stack trace. The back-channel endpoint answers JSON instead (views/auth.py).
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("relying_parties.errors")
# OAuth 2.0 / OIDC error codes the broker may send back, each with its own explanation.
KNOWN_BROKER_ERRORS = ("access_denied", "login_required", "consent_required", "invalid_request")


class PageError(Exception):
    """An error shown to the citizen: a code, an i18n key and an HTTP status."""

    status = 400
    code = "bad_request"
    message = "error.bad_request"
    retry = False  # whether the page offers to start the login again

    def __init__(self, code: str | None = None, detail: str | None = None) -> None:
        super().__init__(code or self.code)
        if code is not None:
            self.code = code
        self.detail = detail


class LoginFailed(PageError):
    """The broker's answer did not pass a check; `code` names which (never shown as blame)."""

    status = 400
    message = "error.login_failed"
    retry = True
    purpose = "login"


class BrokerRefused(PageError):
    """The broker answered with an OAuth error, e.g. `access_denied` when the citizen declined."""

    status = 200  # the citizen did nothing wrong: a normal page that explains
    retry = True

    def __init__(self, error: str, purpose: str) -> None:
        super().__init__("broker_" + error)
        self.purpose = purpose
        known = error if error in KNOWN_BROKER_ERRORS else "other"
        self.message = f"error.broker.{known}"


class NotLoggedIn(PageError):
    status = 401
    code = "not_logged_in"
    message = "error.not_logged_in"
    retry = True


class Unavailable(PageError):
    """The broker cannot be reached or answered nonsense."""

    status = 503
    code = "broker_unavailable"
    message = "error.unavailable"
    retry = True


class StepUpRefused(PageError):
    """A step-up login did not reach the level, or identified someone else: nothing was done."""

    status = 403
    message = "error.step_up"
    retry = False


class FormExpired(PageError):
    code = "csrf"
    message = "error.csrf"


class ServerError(PageError):
    status = 500
    code = "server_error"
    message = "error.server"


def register_error_handlers(app: Flask) -> None:
    """Render every error, expected or not, in one place."""
    from .pages import render_page

    def render(error: PageError, status: int | None = None, exc_info: bool = False):
        error_id = secrets.token_hex(4)
        log.warning(
            "error.shown id=%s code=%s detail=%s",
            error_id,
            error.code,
            error.detail,
            exc_info=exc_info,
        )
        return render_page(
            "error.html", status=status or error.status, error=error, error_id=error_id
        )

    @app.errorhandler(PageError)
    def page_error(error: PageError):
        return render(error)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return render(FormExpired())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        page = PageError(error.name.lower().replace(" ", "_"))
        page.message = "error.not_found" if error.code == 404 else "error.bad_request"
        return render(page, error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(_error: Exception):
        return render(ServerError(), exc_info=True)
