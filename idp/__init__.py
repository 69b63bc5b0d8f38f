"""Silta's broker: ``create_app`` wires configuration, extensions, blueprints and errors."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask import current_app
from flask import g
from flask import request
from flask import session as browser_cookie
from flask_babel import get_locale

from . import config as settings
from .extensions import babel
from .extensions import csrf
from .extensions import db
from .framework import Broker
from .framework import BrowserCookieInterface
from .storage import engine


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    values = settings.load(config)
    instance = str(Path(values["INSTANCE_PATH"]).resolve()) if values["INSTANCE_PATH"] else None
    app = Broker(__name__, instance_path=instance, instance_relative_config=True)
    settings.check(values, Path(app.instance_path))
    app.config.update(values)
    if not values["DATABASE_URL"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=values["DATABASE_URL"] or f"sqlite:///{app.instance_path}/silta.db",
        SQLALCHEMY_ENGINE_OPTIONS=engine.options(values["DATABASE_URL"]),
        SESSION_COOKIE_NAME="silta_browser",
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=values["SESSION_COOKIE_SECURE"],
        BABEL_TRANSLATION_DIRECTORIES="translations",
        BABEL_DEFAULT_LOCALE=values["DEFAULT_LOCALE"],
    )
    app.session_interface = BrowserCookieInterface()
    _init_extensions(app)
    _register_blueprints(app)
    from .ops import metrics
    from .ops import request_id

    request_id.init_app(app)
    metrics.init_app(app)
    from .audit import counted
    from .audit import events

    events.subscribe(counted.count_event)
    from .errors import register_error_handlers

    register_error_handlers(app)
    app.after_request(_security_headers)
    app.jinja_env.globals.update(csp_nonce=csp_nonce, get_locale=get_locale)
    from .web import templating

    templating.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from .authenticators import registry
    from .oidc.keys import KeyCache
    from .oidc.views import init_server

    engine.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    app.extensions["silta.keys"] = KeyCache()
    registry.init_app(app)
    init_server(app)


def _register_blueprints(app: Flask) -> None:
    from .account.views import bp as account_bp
    from .consent.views import bp as consent_bp
    from .interaction.methods import bp as methods_bp
    from .interaction.methods import callbacks as method_callbacks_bp
    from .interaction.views import bp as interaction_bp
    from .oidc.views import CROSS_SITE_VIEWS
    from .oidc.views import bp as oidc_bp
    from .ops.health import bp as health_bp
    from .web.home import bp as home_bp

    for blueprint in (
        oidc_bp,
        interaction_bp,
        methods_bp,
        method_callbacks_bp,
        consent_bp,
        account_bp,
        home_bp,
        health_bp,
    ):
        app.register_blueprint(blueprint)
    for view in CROSS_SITE_VIEWS:
        csrf.exempt(app.view_functions[f"oidc.{view}"])


def select_locale() -> str:
    """The UI language: `?lang=` (remembered), then the interaction's `ui_locales`
    (OIDC Core §3.1.2.1), then the browser's Accept-Language."""
    supported = settings.SUPPORTED_LOCALES
    chosen = request.args.get("lang")
    if chosen in supported:
        browser_cookie["lang"] = chosen
        return chosen
    if browser_cookie.get("lang") in supported:
        return browser_cookie["lang"]
    uid = (request.view_args or {}).get("uid")
    if uid and not g.get("database_unavailable"):  # the 503 page must not ask the database
        from .storage.models import Interaction

        ia = db.session.get(Interaction, uid)  # already loaded by the view: no second query
        for tag in (ia.params.get("ui_locales") or "").split() if ia else []:
            if tag.split("-")[0] in supported:
                return tag.split("-")[0]
    return request.accept_languages.best_match(supported) or current_app.config["DEFAULT_LOCALE"]


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(connect_src: str = "", form_action: str = "") -> str:
    """The pages' CSP; a page that talks to one more origin (the card page) names it.

    ``form_action`` names the one service origin a page's form may end up at: browsers apply
    form-action to the redirects after a submission too (CSP 3 §6.4.1), so the consent form,
    whose answer redirects to the service, needs its redirect URI's origin.
    """
    nonce = g.get("csp_nonce")
    script = f"'nonce-{nonce}'" if nonce else "'none'"
    connect = f"connect-src 'self' {connect_src}; " if connect_src else ""
    return (
        f"default-src 'self'; script-src {script}; {connect}style-src 'self'; "
        f"img-src 'self' data:; form-action 'self'{' ' + form_action if form_action else ''}; "
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )


def _security_headers(response):
    """Every answer's security headers, unless the view set its own (one pass over the headers)."""
    headers = response.headers
    present = {key.lower() for key, _ in headers.items()}
    if "content-security-policy" not in present:
        # A page that ran a script has a nonce; every other answer (JSON, a redirect) the
        # same policy, built once.
        policy = content_security_policy() if g.get("csp_nonce") else _NO_SCRIPT_POLICY
        headers.add("Content-Security-Policy", policy)
    for key, name, value in _FIXED_HEADERS:
        if key not in present:
            headers.add(name, value)
    if "cache-control" not in present and response.mimetype == "text/html":
        headers.add("Cache-Control", "no-store")
    return response


_NO_SCRIPT_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

_FIXED_HEADERS = tuple(
    (name.lower(), name, value)
    for name, value in (
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    )
)
