"""What every response of the bridge shares: security headers, CORS for /api, page rendering."""

from __future__ import annotations

from flask import Flask
from flask import Response
from flask import current_app
from flask import make_response
from flask import render_template
from flask import request
from flask import url_for

from . import i18n

READER, REDEEMER = "silta_reader.reader", "silta_reader.redeemer"

# Scripts only from the bridge's own static files (the postMessage hand-back is reader.js).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def init_app(app: Flask) -> None:
    """Install the security and CORS headers on every response."""
    app.after_request(security_headers)
    app.after_request(cors_headers)


def security_headers(response: Response) -> Response:
    """Deny framing, sniffing and referrers; send the CSP; keep pages out of caches."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # The origin the page was opened for is in its URL: never send it on as a Referer.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype in ("text/html", "application/json"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


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


def card_reader():
    """This app's service.CardReader."""
    return current_app.extensions[READER]


def redeemer():
    """This app's issuer_client.ResetCodeRedeemer."""
    return current_app.extensions[REDEEMER]


def render_page(
    template: str,
    *,
    status: int = 200,
    query: dict[str, str] | None = None,
    languages_to: str | None = None,
    **context,
) -> Response:
    """A page in the visitor's language; language links go to `languages_to` (or here)."""
    locale = i18n.select_locale()
    endpoint = languages_to or request.endpoint

    def language_href(code: str) -> str:
        if endpoint is None or endpoint == "static":
            return f"?lang={code}"
        return url_for(endpoint, **{**(query or {}), "lang": code})

    body = render_template(
        template,
        locale=locale,
        t=i18n.translator(locale),
        language_href=language_href,
        **context,
    )
    return make_response(body, status)
