"""What every response of the issuer shares: security headers and page rendering."""

from __future__ import annotations

from flask import Flask
from flask import Response
from flask import make_response
from flask import render_template

from . import i18n

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def init_app(app: Flask) -> None:
    """Install the security headers on every response."""
    app.after_request(security_headers)


def security_headers(response: Response) -> Response:
    """Deny framing, sniffing and referrers; send the CSP; keep pages out of caches."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype in ("text/html", "application/json"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def render_page(template: str, *, status: int = 200, **context) -> Response:
    """A page in the visitor's language."""
    locale = i18n.select_locale()
    body = render_template(template, locale=locale, t=i18n.translator(locale), **context)
    return make_response(body, status)
