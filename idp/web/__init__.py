"""The broker's pages as web pages: security headers and CSP, locale choice, templating, home."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from silta_common import i18n
from silta_common import web as common_web

from ..extensions import babel
from . import templating
from .headers import add_security_headers
from .headers import csp_nonce
from .locale import select_locale

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"


def init_app(app: Flask) -> None:
    """The page language and catalogue, the base template, filters and security headers."""
    i18n.init_app(
        app,
        babel,
        TRANSLATIONS,
        locale_selector=select_locale,
        default_locale=app.config["DEFAULT_LOCALE"],
    )
    common_web.init_app(app)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    templating.init_app(app)
    app.after_request(add_security_headers)
