"""What every response of a service shares: security headers."""

from __future__ import annotations

from flask import Flask
from flask import Response

from .pages import content_security_policy


def init_app(app: Flask) -> None:
    app.after_request(security_headers)


def security_headers(response: Response) -> Response:
    """Deny framing and sniffing, send the CSP, keep personal pages out of caches."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # The callback's URL carries a code and state: no Referer may carry them elsewhere.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype != "text/css":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
