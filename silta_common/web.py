"""What every application's pages share: security headers and CSP, page rendering, the base.

The headers are added once per response in one pass over the headers already set, with every
fixed header built once at start-up: the broker runs this on its hot path (decision 0001).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask import Response
from flask import g
from flask import make_response
from flask import render_template
from flask_babel import force_locale
from flask_babel import get_locale
from jinja2 import BaseLoader
from jinja2 import ChoiceLoader
from jinja2 import FileSystemLoader
from jinja2 import PrefixLoader

from . import i18n

NONCE = "csp_nonce"  # the g key of this request's script nonce
TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_PREFIX = "silta_common"  # {% extends "silta_common/base.html" %}
AfterRequest = Callable[[Response], Response]


def content_security_policy(*directives: tuple[str, str]) -> str:
    """A CSP header value from ``(directive, sources)`` pairs, in the order given."""
    return "; ".join(f"{name} {sources}" for name, sources in directives)


def page_policy(*, form_action: Iterable[str] = (), script_src: str | None = None) -> str:
    """The components' page CSP: only their own styles and images, no framing, no base URI;
    forms post here, and to the ``form_action`` origins (CSP 3 §6.3.1: also the redirects after
    a post); scripts only where ``script_src`` names them."""
    scripts = (("script-src", script_src),) if script_src else ()
    return content_security_policy(
        ("default-src", "'none'"),
        *scripts,
        ("style-src", "'self'"),
        ("img-src", "'self'"),
        ("form-action", " ".join(["'self'", *form_action])),
        ("frame-ancestors", "'none'"),
        ("base-uri", "'none'"),
    )


def origin_of(uri: str) -> str:
    """``scheme://host[:port]`` of a URL, as CSP source lists name origins."""
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


def csp_nonce() -> str:
    """This page's script nonce (CSP 3 §2.3.1), made when a template first asks for it."""
    if NONCE not in g:
        setattr(g, NONCE, secrets.token_urlsafe(16))
    nonce: str = g.get(NONCE)
    return nonce


def security_headers(
    policy: str,
    *,
    script_policy: Callable[[str], str] | None = None,
    referrer_policy: str = "no-referrer",
    no_store: Collection[str] = ("text/html",),
    no_store_but: Collection[str] | None = None,
) -> AfterRequest:
    """An after-request hook adding the headers a view did not set itself.

    ``policy`` is the CSP of every answer; ``script_policy`` gives the CSP of a page that took a
    script nonce (``csp_nonce``). Answers of the ``no_store`` mimetypes (or, with
    ``no_store_but``, of every other mimetype) must not be cached. Everything is decided here,
    once: the hook is a plain function with no calls of its own but the header look-ups, as
    Flask runs it on every response (on the broker's hot path; and idp.framework answers
    ``ensure_sync`` from a plain function's code object).
    """
    fixed = tuple(
        (name.lower(), name, value)
        for name, value in (
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", referrer_policy),
        )
    )
    uncached, cached = frozenset(no_store), frozenset(no_store_but or ())
    every_but = no_store_but is not None

    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        present = {key.lower() for key, _ in headers.items()}
        if "content-security-policy" not in present:
            if script_policy is not None and (nonce := g.get(NONCE)):
                headers.add("Content-Security-Policy", script_policy(nonce))
            else:
                headers.add("Content-Security-Policy", policy)
        for key, name, value in fixed:
            if key not in present:
                headers.add(name, value)
        if "cache-control" not in present:
            mimetype = response.mimetype
            if (mimetype not in cached) if every_but else (mimetype in uncached):
                headers.add("Cache-Control", "no-store")
        return response

    return add_security_headers


def render_page(
    template: str,
    *,
    status: int = 200,
    ui_locales: str | None = None,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> Response:
    """A page in the visitor's language; ``ui_locales`` is the request's own hint, if any."""
    if ui_locales is None:
        return _page(template, status, headers, context)
    with force_locale(i18n.select_locale(ui_locales)):
        return _page(template, status, headers, context)


def _page(
    template: str, status: int, headers: Mapping[str, str] | None, context: dict[str, Any]
) -> Response:
    body = render_template(template, locale=str(get_locale()), **context)
    response = make_response(body, status)
    response.headers.update(headers or {})
    return response


def init_app(app: Flask) -> None:
    """Let the application's templates extend ``silta_common/base.html``."""
    own: BaseLoader | None = app.jinja_loader
    common = PrefixLoader({TEMPLATE_PREFIX: FileSystemLoader(TEMPLATES)})
    app.jinja_loader = ChoiceLoader([own, common] if own is not None else [common])
