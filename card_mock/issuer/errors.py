"""One error tree for the issuer, on silta_common's base, shown in one place: JSON on /api.

Every error shown gets an error id that is also logged, never a stack trace.
"""

from __future__ import annotations

from types import MappingProxyType

from flask import Flask
from flask import Response
from flask_babel import lazy_gettext as _l

from silta_common.errors import ErrorPages
from silta_common.errors import SiltaError
from silta_common.errors import machine_request
from silta_common.errors import register_error_handlers as register_common_handlers
from silta_common.web import render_page


class IssuerError(SiltaError):
    """An error with a code, a message for people and an HTTP status."""

    message = _l("The request could not be understood.")


class Unauthenticated(IssuerError):
    """The API call carries no valid verifier credentials."""

    status = 401
    code = "unauthenticated"
    # RFC 9110 §11.6.1: say how to authenticate.
    headers = MappingProxyType({"WWW-Authenticate": 'Basic realm="silta-card", Bearer'})


class Forbidden(IssuerError):
    """The verifier may not call this endpoint."""

    status = 403
    code = "forbidden"


class NotFound(IssuerError):
    """The holder, card or page does not exist."""

    status = 404
    code = "not_found"
    message = _l("This page does not exist.")


class RateLimited(IssuerError):
    """Too many requests from one address this minute."""

    status = 429
    code = "rate_limited"
    message = _l("Too many attempts from your connection. Wait a minute.")


def _page(error: SiltaError, error_id: str) -> Response:
    return render_page("error.html", message=error.message, error_id=error_id)


def register_error_handlers(app: Flask) -> None:
    """Route every error to one renderer."""
    register_common_handlers(
        app,
        IssuerError,
        ErrorPages.of(
            IssuerError,
            form_expired=_l("This form has expired. Go back, reload the page and try again."),
            not_found=NotFound,
            unexpected=_l("Something went wrong on our side. Please try again in a moment."),
        ),
        render=_page,
        wants_json=machine_request(prefixes=("/api/",)),
    )
