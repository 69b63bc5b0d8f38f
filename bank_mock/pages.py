"""Rendering the citizen's pages: the bank's branding, the chosen language, the page's CSP."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response
from flask import current_app

from silta_common import web

from .banks import BANKS
from .banks import Bank


def current_bank() -> Bank:
    """The bank this process is."""
    return BANKS[current_app.config["BANK_ID"]]


def content_security_policy(form_targets: Iterable[str] = ()) -> str:
    """No scripts, no framing, no foreign styles; forms post here (and redirect to `targets`)."""
    # CSP3 §6.3.1: form-action also governs the redirects after a post, so a screen whose post
    # answers the client by redirect must name the client's origin.
    return web.page_policy(form_action=sorted({web.origin_of(uri) for uri in form_targets}))


def render_page(
    template: str,
    *,
    status: int = 200,
    ui_locales: str | None = None,
    form_targets: Iterable[str] = (),
    **context: Any,
) -> Response:
    """A page in the citizen's language (the login's ``ui_locales`` next after their own choice)."""
    policy = {"Content-Security-Policy": content_security_policy(form_targets)}
    return web.render_page(
        template, status=status, ui_locales=ui_locales, headers=policy, **context
    )
