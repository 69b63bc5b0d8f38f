"""What every response of the issuer shares: security headers, the pages' language and base."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from silta_common import i18n
from silta_common import web

from .extensions import babel

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
add_security_headers = web.security_headers(
    web.page_policy(), no_store=("text/html", "application/json")
)


def init_app(app: Flask) -> None:
    """The pages' language and base template, and the security headers on every response."""
    i18n.init_app(app, babel, TRANSLATIONS)
    web.init_app(app)
    app.after_request(add_security_headers)
