"""One error base, and one place that shows every error: a page for people, JSON for machines.

Each application keeps its own error tree on ``SiltaError`` (STYLE 8: a code, a message for
people, an HTTP status). ``register_error_handlers`` shows all of them, Flask-WTF's expired forms,
werkzeug's HTTP errors and anything unexpected; every error shown gets an error id that is also
logged, and no answer ever carries a stack trace.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from typing import Self

from flask import Flask
from flask import Response
from flask import jsonify
from flask import request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

NO_HEADERS: Mapping[str, str] = MappingProxyType({})


class SiltaError(Exception):
    """An error with a code, a message for people and an HTTP status; ``detail`` is for logs."""

    status: int = 400
    code: str = "bad_request"
    # A text for people: each application sets a lazy gettext string of its own catalogue.
    message: Any = "The request could not be understood."
    headers: Mapping[str, str] = NO_HEADERS  # sent with the error (Retry-After, Allow, …)

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        message: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or code or self.code)
        self.detail = detail
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        if message is not None:
            self.message = message
        if headers is not None:
            self.headers = headers

    @classmethod
    def from_http(cls, error: HTTPException) -> Self:
        """A werkzeug HTTP error (404, 405, 413, …) in this tree, keeping its headers.

        A 405 must say which methods are allowed (RFC 9110 §15.5.6), a 401 its challenge.
        """
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        code = (error.name or "error").lower().replace(" ", "_")
        shown = cls.__new__(cls)  # past a subclass's own constructor, whatever it takes
        SiltaError.__init__(shown, code=code, status=error.code or 500, headers=headers)
        return shown

    def as_json(self) -> dict[str, str]:
        """The JSON body for a machine: the code, and the detail where there is one."""
        body = {"error": self.code}
        if self.detail:
            body["error_description"] = self.detail
        return body


# An error kind for ErrorPages.of: a class of the tree, its message, or its attributes (a title).
Kind = type[SiltaError] | Mapping[str, Any] | Any


@dataclass(frozen=True)
class ErrorPages:
    """The errors an application shows for what its own tree does not name."""

    form_expired: type[SiltaError]  # Flask-WTF's CSRFError
    not_found: type[SiltaError]  # werkzeug's 404
    http_error: type[SiltaError]  # any other werkzeug HTTP error
    unexpected: type[SiltaError]  # anything else: a 500

    @classmethod
    def of(
        cls, tree: type[SiltaError], *, form_expired: Kind, not_found: Kind, unexpected: Kind
    ) -> ErrorPages:
        """The four in ``tree``: each a class of it, or one made with the application's texts."""
        return cls(
            form_expired=_kind(tree, "FormExpired", 400, "csrf", form_expired),
            not_found=_kind(tree, "PageNotFound", 404, "not_found", not_found),
            http_error=tree,
            unexpected=_kind(tree, "ServerError", 500, "server_error", unexpected),
        )


def _kind(
    tree: type[SiltaError], name: str, status: int, code: str, kind: Kind
) -> type[SiltaError]:
    if isinstance(kind, type) and issubclass(kind, tree):
        return kind
    texts = dict(kind) if isinstance(kind, Mapping) else {"message": kind}
    attributes = {"status": status, "code": code, "__module__": tree.__module__, **texts}
    made: type[SiltaError] = type(name, (tree,), attributes)
    return made


def new_error_id() -> str:
    """A short random id a person can read out to support."""
    return secrets.token_hex(6)


def never() -> bool:
    return False


def machine_request(
    *, paths: Iterable[str] = (), prefixes: tuple[str, ...] = ()
) -> Callable[[], bool]:
    """``wants_json`` for these endpoints, and for any request whose Accept prefers JSON."""
    exact = frozenset(paths)

    def wants_json() -> bool:
        path = request.path
        return (
            path in exact
            or path.startswith(prefixes)
            or request.accept_mimetypes.best == "application/json"
        )

    return wants_json


Render = Callable[[SiltaError, str], Response]


@dataclass(frozen=True)
class ErrorShower:
    """Shows an error with an error id that is also logged: JSON when asked, else a page."""

    render: Render  # (error, error id) → the application's error page
    wants_json: Callable[[], bool]  # this request comes from a machine
    error_id: Callable[[], str]
    log: logging.Logger
    structured_log: bool  # the log's formatter writes extras (idp's JSON lines)

    def show(self, error: SiltaError, *, as_json: bool | None = None) -> Response:
        """The answer for ``error``; ``as_json`` overrides the request's own choice."""
        return self._answer(error, "error.shown", logging.WARNING, as_json)

    def unexpected(self, error: SiltaError) -> Response:
        """A 500 whose error id is logged with the stack trace, for the operator only."""
        return self._answer(error, "error.unexpected", logging.ERROR, None, exc_info=True)

    def _answer(
        self,
        error: SiltaError,
        event: str,
        level: int,
        as_json: bool | None,
        exc_info: bool = False,
    ) -> Response:
        error_id = self.error_id()
        fields: dict[str, object] = {"error_id": error_id, "code": error.code}
        fields.update(status=error.status, **({"detail": error.detail} if error.detail else {}))
        if self.structured_log:
            self.log.log(level, event, extra=fields, exc_info=exc_info)
        else:  # a plain formatter drops extras: the line says them itself
            pairs = "".join(f" {key}=%s" for key in fields)
            self.log.log(level, event + pairs, *fields.values(), extra=fields, exc_info=exc_info)
        if self.wants_json() if as_json is None else as_json:
            response = jsonify(error.as_json())
            response.headers["Cache-Control"] = "no-store"
        else:
            response = self.render(error, error_id)
        response.status_code = error.status
        response.headers.extend(error.headers)
        return response


def register_error_handlers(
    app: Flask,
    tree: type[SiltaError],
    pages: ErrorPages,
    *,
    render: Render,
    wants_json: Callable[[], bool] = never,
    error_id: Callable[[], str] = new_error_id,
    log: logging.Logger | None = None,
    structured_log: bool = False,
) -> ErrorShower:
    """Show every error of ``app`` in one place; returns the shower for the app's own handlers."""
    shower = ErrorShower(
        render,
        wants_json,
        error_id,
        log or logging.getLogger(f"{app.import_name}.errors"),
        structured_log,
    )

    @app.errorhandler(tree)
    def tree_error(error: SiltaError) -> Response:
        return shower.show(error)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Response:
        return shower.show(pages.form_expired())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        kind = pages.not_found if error.code == 404 else pages.http_error
        return shower.show(kind.from_http(error))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        return shower.unexpected(pages.unexpected())

    return shower
