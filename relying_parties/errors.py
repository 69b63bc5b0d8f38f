"""One error tree for a service's pages, on silta_common's base, shown in one place.

Every error a citizen can meet is a page in their language saying what happened (its title)
and how to try again; nothing shows a stack trace. The back-channel endpoint answers JSON
instead (views/auth.py).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask import Response
from flask_babel import lazy_gettext as _l

from silta_common.errors import ErrorPages
from silta_common.errors import SiltaError
from silta_common.errors import machine_request
from silta_common.errors import register_error_handlers as register_common_handlers

# OAuth 2.0 / OIDC error codes the broker may send back, each with its own explanation.
BROKER_ERRORS = {
    "access_denied": (
        _l("You did not pass your data"),
        _l(
            "You cancelled, or declined to pass your data. Nothing was passed to this service, "
            "and you are not logged in here. To use the service, log in again and allow the "
            "data it asks for; you can also choose another way to identify yourself."
        ),
    ),
    "login_required": (
        _l("Identify yourself again"),
        _l("Silta needs you to identify yourself again."),
    ),
    "consent_required": (
        _l("Your consent is needed"),
        _l("Silta needs your consent before passing your data."),
    ),
    "invalid_request": (
        _l("The login could not start"),
        _l("Silta could not accept this login request. Please try again."),
    ),
}
OTHER_BROKER_ERROR = (
    _l("The login did not complete"),
    _l("Silta could not complete the login. Please try again."),
)


class PageError(SiltaError):
    """An error shown to the citizen: a code, a title and a message, an HTTP status."""

    title: Any = _l("The request could not be handled")
    message = _l("The request could not be understood. Go back and try again.")
    retry = False  # whether the page offers to start the login again

    def __init__(self, code: str | None = None, detail: str | None = None) -> None:
        super().__init__(detail, code=code)


class LoginFailed(PageError):
    """The broker's answer did not pass a check; `code` names which (never shown as blame)."""

    title = _l("You were not logged in")
    message = _l(
        "The answer from Silta could not be verified, so you were not logged in. Please try again."
    )
    retry = True
    purpose = "login"


class BrokerRefused(PageError):
    """The broker answered with an OAuth error, e.g. `access_denied` when the citizen declined."""

    status = 200  # the citizen did nothing wrong: a normal page that explains
    retry = True

    def __init__(self, error: str, purpose: str) -> None:
        super().__init__("broker_" + error)
        self.purpose = purpose
        self.title, self.message = BROKER_ERRORS.get(error, OTHER_BROKER_ERROR)


class NotLoggedIn(PageError):
    status = 401
    code = "not_logged_in"
    title = _l("You are not logged in")
    message = _l("You are not logged in to this service, or your session has ended.")
    retry = True


class Unavailable(PageError):
    """The broker cannot be reached or answered nonsense."""

    status = 503
    code = "broker_unavailable"
    title = _l("Silta cannot be reached")
    message = _l("Silta cannot be reached right now. Please try again in a few minutes.")
    retry = True


class StepUpRefused(PageError):
    """A step-up login did not reach the level, or identified someone else: nothing was done."""

    status = 403
    title = _l("Nothing was changed")
    message = _l(
        "The new identification did not reach high assurance for the same person, so nothing "
        "was changed."
    )
    retry = False


def _page(error: SiltaError, error_id: str) -> Response:
    from .pages import render_page

    return render_page("error.html", error=error, error_id=error_id)


def register_error_handlers(app: Flask) -> None:
    """Render every error, expected or not, in one place."""
    register_common_handlers(
        app,
        PageError,
        ErrorPages.of(
            PageError,
            form_expired={
                "title": _l("This form has expired"),
                "message": _l("This form has expired. Go back, reload the page and try again."),
            },
            not_found={
                "title": _l("Page not found"),
                "message": _l("This page does not exist."),
            },
            unexpected={
                "title": _l("Something went wrong"),
                "message": _l("Something went wrong on our side. Please try again in a moment."),
            },
        ),
        render=_page,
        wants_json=machine_request(),
    )
