"""Rendering the citizen's pages: the bank's branding, the chosen language, the page's CSP."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import Response
from flask import current_app
from flask import make_response
from flask import render_template

from . import i18n
from .banks import BANKS
from .banks import Bank


def current_bank() -> Bank:
    """The bank this process is."""
    return BANKS[current_app.config["BANK_ID"]]


def content_security_policy(form_targets: Iterable[str] = ()) -> str:
    """No scripts, no framing, no foreign styles; forms post here (and redirect to `targets`)."""
    # CSP3 §6.3.1: form-action also governs the redirects after a post, so a screen whose post
    # answers the client by redirect must name the client's origin.
    origins = " ".join(sorted({_origin(uri) for uri in form_targets}))
    return (
        "default-src 'none'; style-src 'self'; img-src 'self'; "
        f"form-action 'self'{' ' + origins if origins else ''}; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def _origin(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


def render_page(
    template: str,
    *,
    status: int = 200,
    ui_locales: str | None = None,
    form_targets: Iterable[str] = (),
    **context,
) -> Response:
    """A page in the citizen's language, with the bank's branding."""
    locale = i18n.select_locale(ui_locales)
    body = render_template(
        template, locale=locale, t=i18n.translator(locale), bank=current_bank(), **context
    )
    response = make_response(body, status)
    response.headers["Content-Security-Policy"] = content_security_policy(form_targets)
    return response
