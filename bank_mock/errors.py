"""One error tree for the bank's pages, on silta_common's base, shown in one place.

OAuth errors toward the client are Authlib's and travel back on the redirect; everything here
is shown to a person (or, at the machine endpoints, as JSON), never as a stack trace.
"""

from __future__ import annotations

from flask import Flask
from flask import Response
from flask_babel import lazy_gettext as _l

from silta_common.errors import ErrorPages
from silta_common.errors import SiltaError
from silta_common.errors import machine_request
from silta_common.errors import register_error_handlers as register_common_handlers

from .pages import render_page

JSON_PATHS = frozenset({"/token", "/jwks.json", "/.well-known/openid-configuration", "/healthz"})


class PageError(SiltaError):
    """An error shown to the citizen: a translated sentence, a code and an HTTP status."""

    message = _l("The request could not be understood. Return to the service and start again.")

    def __init__(self, detail: str | None = None, *, code: str | None = None) -> None:
        super().__init__(detail, code=code)


class UntrustedRequest(PageError):
    """A request whose redirect URI is not trusted: shown here, never redirected."""

    code = "invalid_request"


class LoginExpired(PageError):
    """The login transaction is unknown, expired, finished, or another browser's."""

    status = 410
    code = "login_expired"
    message = _l(
        "This login has expired or was already finished. Return to the service and start again."
    )


class RateLimited(PageError):
    """Too many login posts from one address this minute."""

    status = 429
    code = "rate_limited"
    message = _l("Too many attempts from your connection. Wait a minute and try again.")


class BankUnavailable(PageError):
    """The `down` scenario: the bank answers nothing but 503."""

    status = 503
    code = "temporarily_unavailable"
    message = _l(
        "The bank's identification service is not available right now. Please try again later."
    )


class ServerErrorPage(PageError):
    """The `error_page` scenario, and anything unexpected: the bank fails."""

    status = 500
    code = "server_error"
    message = _l("Something went wrong on our side. Please try again in a moment.")


def _page(error: SiltaError, error_id: str) -> Response:
    return render_page(
        "error.html",
        code=error.code,
        message=error.message,
        detail=error.detail,
        error_id=error_id,
    )


def register_error_handlers(app: Flask) -> None:
    """Render every error, expected or not, in one place."""
    register_common_handlers(
        app,
        PageError,
        ErrorPages.of(
            PageError,
            form_expired=_l("This form has expired. Go back, reload the page and try again."),
            not_found=_l("This page does not exist."),
            unexpected=ServerErrorPage,
        ),
        render=_page,
        wants_json=machine_request(paths=JSON_PATHS),
    )
