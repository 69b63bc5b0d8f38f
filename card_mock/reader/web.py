"""What every response of the bridge shares: security headers, CORS for /api, page rendering."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

from flask import Flask
from flask import Response
from flask import current_app
from flask import request
from flask import url_for

from silta_common import i18n
from silta_common import web

from .extensions import babel

if TYPE_CHECKING:  # names for the annotations only
    from .issuer_client import ResetCodeRedeemer
    from .service import CardReader

READER, REDEEMER = "silta_reader.reader", "silta_reader.redeemer"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

# Scripts only from the bridge's own static files (the postMessage hand-back is reader.js).
# The origin the page was opened for is in its URL: never send it on as a Referer (the
# default no-referrer).
add_security_headers = web.security_headers(
    web.page_policy(script_src="'self'"), no_store=("text/html", "application/json")
)


def init_app(app: Flask) -> None:
    """The pages' language and base template; security and CORS headers on every response."""
    i18n.init_app(app, babel, TRANSLATIONS)
    web.init_app(app)
    app.after_request(add_security_headers)
    app.after_request(cors_headers)


def cors_headers(response: Response) -> Response:
    """CORS on /api for the allowed broker origins only (Fetch standard, CORS protocol).

    A public broker reaching a loopback bridge is a private network request: Chrome's Private
    Network Access preflight asks for ``Access-Control-Allow-Private-Network``.
    """
    if not request.path.startswith("/api/"):
        return response
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if origin is None or origin not in current_app.config["ALLOWED_ORIGINS"]:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET"
        response.headers["Access-Control-Max-Age"] = "600"
        if request.headers.get("Access-Control-Request-Private-Network") == "true":
            response.headers["Access-Control-Allow-Private-Network"] = "true"
    return response


def card_reader() -> CardReader:
    """This app's service.CardReader."""
    reader: CardReader = current_app.extensions[READER]
    return reader


def redeemer() -> ResetCodeRedeemer:
    """This app's issuer_client.ResetCodeRedeemer."""
    found: ResetCodeRedeemer = current_app.extensions[REDEEMER]
    return found


def render_page(
    template: str,
    *,
    status: int = 200,
    query: dict[str, str] | None = None,
    languages_to: str | None = None,
    **context: Any,
) -> Response:
    """A page in the visitor's language; language links go to `languages_to` (or here)."""
    endpoint = languages_to or request.endpoint

    def language_href(code: str) -> str:
        if endpoint is None or endpoint == "static":
            return f"?lang={code}"
        values: dict[str, Any] = {**(query or {}), "lang": code}
        return url_for(endpoint, **values)

    return web.render_page(template, status=status, language_href=language_href, **context)
