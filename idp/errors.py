"""One error tree for the citizen-facing pages, on silta_common's base, shown in one place.

OAuth errors toward services are Authlib's (``authlib.oauth2.rfc6749.errors``) and travel back
to the service. Everything here is shown to a person: a plain sentence, an HTTP status, and an
error id (the request id) that is also logged, never a stack trace.
"""

from __future__ import annotations

import contextlib
import logging
from types import MappingProxyType
from typing import Any

import sqlalchemy.exc as database_errors
from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from silta_common.errors import ErrorPages
from silta_common.errors import ErrorShower
from silta_common.errors import SiltaError
from silta_common.errors import register_error_handlers as register_common_handlers
from silta_common.web import render_page

from .ops import request_id

log = logging.getLogger("silta.errors")
TRY_AGAIN = _l("Something went wrong on our side. Please try again in a moment.")
# The database cannot be reached (a restart, a failover) or its pool is exhausted: worth a retry.
DATABASE_UNAVAILABLE = (
    database_errors.OperationalError,
    database_errors.InterfaceError,
    database_errors.TimeoutError,
)


class PageError(SiltaError):
    """An error shown to the citizen as a page."""

    message = _l("The request could not be understood.")

    def __init__(self, message: Any = None, *, status: int | None = None, code: str | None = None):
        super().__init__(code=code, status=status, message=message)


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


class FormExpired(PageError):
    code = "csrf"
    message = _l("This form has expired. Go back, reload the page and try again.")


class HttpErrorPage(PageError):
    """A werkzeug HTTP error (404, 405, …), described in werkzeug's words."""

    @classmethod
    def from_http(cls, error: HTTPException) -> HttpErrorPage:
        page = super().from_http(error)
        page.message = error.description or ""
        return page


class ServerError(PageError):
    status = 500
    code = "server_error"
    message = TRY_AGAIN


class DatabaseUnavailable(ServerError):
    """503 while the database is away (RFC 6749 §4.1.2.1 `temporarily_unavailable`)."""

    status = 503
    code = "temporarily_unavailable"
    headers = MappingProxyType({"Retry-After": "5"})

    def as_json(self) -> dict[str, str]:
        return {"error": self.code, "error_description": str(TRY_AGAIN)}


PAGES = ErrorPages(
    form_expired=FormExpired,
    not_found=HttpErrorPage,
    http_error=HttpErrorPage,
    unexpected=ServerError,
)
SHOWER = "silta.errors"  # app.extensions key of the app's ErrorShower


def _error_id() -> str:
    """The request id: error pages are only shown inside a request, which always has one."""
    return request_id.current() or ""


def _page(error: SiltaError, error_id: str) -> Response:
    return render_page("error.html", code=error.code, message=error.message, error_id=error_id)


def render_error(code: str, message: str, status: int) -> Response:
    """The error page; its error id is the request id, so support finds the request's log lines."""
    shower: ErrorShower = current_app.extensions[SHOWER]
    return shower.show(PageError(message, status=status, code=code), as_json=False)


def database_unavailable(error: Exception) -> Response:
    """503 while the database is away: a page for people, an OAuth error for services.

    Services calling the token, userinfo or other back-channel endpoints get it as JSON,
    browsers get the page.
    """
    from .storage import transaction

    g.database_unavailable = True
    with contextlib.suppress(database_errors.SQLAlchemyError):
        transaction.rollback()  # the connection is gone already; nothing left to undo
    log.warning(
        "database.unavailable",
        extra={"error_id": request_id.current(), "error": error.__class__.__name__},
    )
    shower: ErrorShower = current_app.extensions[SHOWER]
    return shower.show(DatabaseUnavailable(), as_json=_wants_json())


def _wants_json() -> bool:
    """A service's HTTP client (JSON or anything) rather than a browser asking for a page."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best != "text/html"


def register_error_handlers(app: Flask) -> None:
    """Every error of the broker, shown by silta_common with the request id as error id."""
    app.extensions[SHOWER] = register_common_handlers(
        app,
        PageError,
        PAGES,
        render=_page,
        error_id=_error_id,
        log=log,
        structured_log=True,
    )
    for kind in DATABASE_UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)
