"""The authorization response on its way to the client: `iss`, then the response mode.

RFC 9207 §2: every authorization response, success or error, names the issuer. OAuth 2.0 Form
Post Response Mode §2: with ``form_post`` the parameters travel in an auto-submitted form.
"""

from __future__ import annotations

import functools
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit

from flask import Response
from flask import current_app
from flask import render_template

from ..web.headers import csp_nonce


@functools.lru_cache(maxsize=4)
def _iss_parameter(issuer: str) -> str:
    return urlencode({"iss": issuer})


def deliver(response: Response, redirect_uri: str, response_mode: str | None) -> Response:
    """Finish a redirect-bound authorization response (success or error) for the client."""
    location = response.headers.get("Location")
    if response.status_code != 302 or not location:
        return response
    # Appended, not re-encoded: the code, the state and the redirect URI's own query stay as
    # they are (RFC 6749 §3.1.2 keeps the registered query); redirect URIs have no fragment.
    location += ("&" if "?" in location else "?") + _iss_parameter(current_app.config["ISSUER"])
    if response_mode != "form_post":
        response.headers["Location"] = location
        return response
    registered = set(parse_qsl(urlsplit(redirect_uri).query))
    fields = [kv for kv in parse_qsl(urlsplit(location).query) if kv not in registered]
    page = render_template("form_post.html", action=redirect_uri, fields=fields)
    target = urlsplit(redirect_uri)
    response = Response(
        page, 200, {"Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8"}
    )
    # The page's only form goes to the client's redirect URI, and nowhere else.
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'nonce-{csp_nonce()}'; style-src 'self'; "
        f"form-action {target.scheme}://{target.netloc}; frame-ancestors 'none'; base-uri 'none'"
    )
    return response
