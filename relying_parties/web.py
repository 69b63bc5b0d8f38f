"""What every response of a service shares: security headers, the pages' language and base."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from silta_common import i18n
from silta_common import web

from . import labels
from .extensions import babel
from .pages import content_security_policy
from .pages import page_context

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def init_app(app: Flask) -> None:
    """The pages' language, base template and names; the security headers on every response."""
    i18n.init_app(app, babel, TRANSLATIONS)
    web.init_app(app)
    app.jinja_env.globals.update(labels.TEMPLATE_GLOBALS)
    app.context_processor(page_context)
    # The callback's URL carries a code and state: no Referer may carry them elsewhere (the
    # default no-referrer); personal pages are kept out of caches, the style sheet is not.
    app.after_request(
        web.security_headers(
            content_security_policy(app.config["BROKER_URL"]),
            no_store_but=("text/css",),
        )
    )
