"""Silta's broker: ``create_app`` wires configuration, extensions, blueprints and errors."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from . import config as settings
from .extensions import csrf
from .framework import Broker
from .framework import BrowserCookieInterface
from .storage import engine


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    from .audit import counted
    from .audit import events
    from .errors import register_error_handlers
    from .ops import metrics
    from .ops import request_id
    from .web import init_app as init_pages

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
    )
    app.session_interface = BrowserCookieInterface()
    _init_extensions(app)
    _register_blueprints(app)
    request_id.init_app(app)
    metrics.init_app(app)
    events.subscribe(counted.count_event)
    register_error_handlers(app)
    init_pages(app)  # registered last, so its security headers run first on every answer
    return app


def _init_extensions(app: Flask) -> None:
    from .authenticators import registry
    from .oidc.keys import KeyCache
    from .oidc.views import init_server

    engine.init_app(app)
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
